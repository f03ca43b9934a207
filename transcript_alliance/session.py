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
    """One speaker's stretch of talk, as the file gives it."""

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
    """What the style measures need from an utterance's tokens."""

    words: int
    function_words: dict[str, int]
    content_lemmas: frozenset[str]


@dataclass
class Utterance:
    """A sentence of a turn, with its place in the turn's text."""

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
    events: list[Event] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    tokens: TokenStats | None = None

    @property
    def n_words(self) -> int:
        return len(self.text.split())


@dataclass
class SpeakerInfo:
    """How a speaker label was resolved to a role, and how sure we are of it."""

    label: str
    role: Role
    confidence: float  # 1.0 for an explicit map, below 1 for known names and heuristics
    source: str  # "map", "file", "known-name" or "heuristic"
    n_turns: int = 0
    n_words: int = 0


@dataclass
class Session:
    """A therapy session: who took part, what was said, and where it came from."""

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
        if message not in self.warnings:
            self.warnings.append(message)

    @property
    def n_words(self) -> int:
        if self.utterances:
            return sum(u.n_words for u in self.utterances)
        return sum(len(t.text.split()) for t in self.turns)

    def speaker_labels(self) -> list[str]:
        """Speaker labels in order of first appearance."""
        return list(dict.fromkeys(t.speaker for t in self.turns))
