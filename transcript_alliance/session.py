"""The conversation data model every reader returns and every later stage reads.

A `Session` holds speaker `Turn`s as read from a file; segmentation adds the `Utterance`s
(sentences) of each turn. Offsets are character offsets into the turn's text as read, so
every later score can point back to the exact words behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any


class Role(str, Enum):
    """Who a speaker is in the session. Couples and family sessions have several clients;
    co-therapy and team sessions several therapists."""

    THERAPIST = "therapist"
    CLIENT = "client"
    OTHER = "other"


@dataclass
class Event:
    """A non-lexical event: `[inaudible]`, `(laughs)`, `[crosstalk]`, a trailing `...`, an
    inline backchannel, or a long pause between turns (from timestamps)."""

    kind: str
    text: str
    start_char: int = 0
    end_char: int = 0
    seconds: float | None = None  # for pauses: their length


@dataclass
class Turn:
    """One speaker's stretch of talk, as the file gives it.

    Attributes
    ----------
    index : int
        0-based position in the session.
    speaker : str
        The label as in the file.
    text : str
    role : Role or None
        Set by role assignment.
    start, end : float or None
        Seconds from the session's start.
    source_line : int or None
        1-based line (or row, cue, segment) in the file.
    events : list of Event
        Non-lexical events (character offsets into `text`).
    backchannel : bool
        An inline backchannel lifted out of another speaker's turn.
    """

    index: int
    speaker: str
    text: str
    role: Role | None = None
    start: float | None = None  # seconds from the session's start
    end: float | None = None
    source_line: int | None = None  # 1-based line (or row, cue, segment) in the file
    events: list[Event] = field(default_factory=list)
    backchannel: bool = False  # an inline backchannel lifted out of another speaker's turn


@dataclass
class Marker:
    """A codebook match in an utterance: which code, which rule, the words, and whether a
    negation or hedge in scope modifies it. Offsets are into the turn's text as read."""

    code: str
    component: str
    rule: str
    text: str
    start_char: int
    end_char: int
    negated: bool = False
    hedged: bool = False
    source: str = "rule"


@dataclass
class TokenStats:
    """What the style measures need from an utterance's tokens.

    Attributes
    ----------
    words : int
        Word tokens (punctuation and spaces aside).
    function_words : dict of str to int
        Count per function-word category (`FUNCTION_CATEGORIES`).
    content_lemmas : frozenset of str
        Lemmas of nouns, verbs, adjectives, adverbs and proper nouns.
    """

    words: int
    function_words: dict[str, int]
    content_lemmas: frozenset[str]


@dataclass
class Utterance:
    """A sentence of a turn, with its place in the turn's text.

    Attributes
    ----------
    session_id : str
    turn : int
        0-based index of its turn.
    index : int
        0-based position within the session.
    role : Role
    speaker : str
    text : str
    start_char, end_char : int
        Character offsets into the turn's text (end exclusive).
    start, end : float or None
        Seconds, interpolated from the turn's times by character position.
    events : list of Event
    markers : list of Marker
        Filled by `annotate_sessions`.
    tokens : TokenStats or None
        Filled by `annotate_sessions`.
    """

    session_id: str
    turn: int
    index: int  # position within the session, 0-based
    role: Role
    speaker: str
    text: str
    start_char: int
    end_char: int
    start: float | None = None  # interpolated from the turn's times by character position
    end: float | None = None
    # True where start/end are not the file's own times: a share of the turn's span by
    # character position (a turn of several sentences, or words after an event such as
    # "(laughs)"), or an end taken from the next turn's start.
    time_interpolated: bool = False
    events: list[Event] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    tokens: TokenStats | None = None

    @property
    def n_words(self) -> int:
        """Words in the utterance, split on white space (int)."""
        return len(self.text.split())


@dataclass
class SpeakerInfo:
    """How a speaker label was resolved to a role, and how sure we are of it.

    Attributes
    ----------
    label : str
    role : Role
    confidence : float
        0-1: 1.0 for an explicit map, below 1 for known names and heuristics.
    source : str
        "map", "file", "known-name" or "heuristic".
    n_turns, n_words : int
    """

    label: str
    role: Role
    confidence: float  # 1.0 for an explicit map, below 1 for known names and heuristics
    source: str  # "map", "file", "known-name" or "heuristic"
    n_turns: int = 0
    n_words: int = 0


@dataclass
class Session:
    """A therapy session: who took part, what was said, and where it came from.

    Attributes
    ----------
    session_id : str
    turns : list of Turn
    source_path : Path or None
    format, encoding : str
        As read ("text", "srt", ...; "utf-8", "binary", ...).
    client_id, therapist_id : str or None
    session_number : int or None
        1-based number in the client's treatment.
    date : str or None
    metadata : dict
        Reader and manifest metadata (speaker_roles, layout, session_type, ...).
    speakers : dict of str to SpeakerInfo
        By label, after role assignment.
    utterances : list of Utterance
        Filled by segmentation.
    warnings : list of str
        One line each, without duplicates.
    """

    session_id: str
    turns: list[Turn]
    source_path: Path | None = None
    format: str = ""
    encoding: str = ""
    client_id: str | None = None
    therapist_id: str | None = None
    session_number: int | None = None
    date: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    speakers: dict[str, SpeakerInfo] = field(default_factory=dict)
    utterances: list[Utterance] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def warn(self, message: str) -> None:
        """Record a warning once (a message already recorded is not repeated).

        Parameters
        ----------
        message : str
            One line.
        """
        if message not in self.warnings:
            self.warnings.append(message)

    @property
    def n_words(self) -> int:
        """Words in the session: over the utterances once segmented, else over the turns (int)."""
        if self.utterances:
            return sum(u.n_words for u in self.utterances)
        return sum(len(t.text.split()) for t in self.turns)

    def speaker_labels(self) -> list[str]:
        """Speaker labels in order of first appearance.

        Returns
        -------
        list of str
        """
        return list(dict.fromkeys(t.speaker for t in self.turns))
