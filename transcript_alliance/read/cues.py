"""Shared by the subtitle readers (WebVTT, SRT): timing lines checked one by one, so a
broken cue is named instead of being dropped or glued to its neighbour by the parser; cues
cleaned (tags out, entities decoded, repeated caption lines read once) and split into
speaker pieces (several `<v Name>` spans or `Name:` lines in one cue), then into turns."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from ..errors import InputError
from ..session import Session, Turn
from .base import Source, merge_consecutive
from .labels import match_label, read_lines, require_labels, stated_roles

_TAG = re.compile(r"<[^>]*>")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]*)>|</v>")
_CHEVRON = re.compile(r"^\s*(?:>>|&gt;&gt;)", re.MULTILINE)
_BACKCHANNEL_WORDS = 3  # a piece this short between two of another voice is a backchannel
_FOLLOWS_ON = 0.05  # seconds: a cue starting this close to the last one's end follows on


@dataclass
class Cue:
    """One subtitle cue (WebVTT or SRT) as read by the caption library.

    Attributes
    ----------
    number : int
        1-based position of the cue in the file.
    start, end : float
        Seconds from the start of the recording.
    text : str
        The cue's text with its tags; lines separated by newlines.
    voice : str or None
        The speaker of a WebVTT ``<v Name>`` tag, if any.
    spans : list of (str or None, str)
        (voice, text) pieces in order, for cues with several voice tags.
    """

    number: int  # 1-based position in the file
    start: float
    end: float
    text: str  # with tags; lines separated by "\n"
    voice: str | None = None
    spans: list[tuple[str | None, str]] = field(default_factory=list)  # (voice, text) in order

    @property
    def lines(self) -> list[str]:
        """The cue's lines as shown: tags out, entities decoded, spaces collapsed (list of str)."""
        return plain_lines(self.text)


def plain_lines(text: str) -> list[str]:
    """Caption text as a viewer reads it: one string per non-empty line.

    Parameters
    ----------
    text : str
        A cue's text with tags (``<i>``, ``<v Name>``) and HTML entities.

    Returns
    -------
    list of str
        Non-empty lines, tags removed, entities decoded, runs of spaces collapsed.
    """
    lines = (" ".join(html.unescape(_TAG.sub("", line)).split()) for line in text.splitlines())
    return [line for line in lines if line]


def voice_spans(raw: str) -> list[tuple[str | None, str]]:
    """`<v A>one</v> <v B>two</v>` -> [("A", "one"), ("B", "two")]; text outside a span
    belongs to the voice before it (None at the start)."""
    spans: list[tuple[str | None, str]] = []
    voice: str | None = None
    position = 0
    for m in _VOICE.finditer(raw):
        spans.append((voice, raw[position : m.start()]))
        if m.group(1) is not None:
            voice = " ".join(m.group(1).split()) or None
        position = m.end()
    spans.append((voice, raw[position:]))
    return [(v, t) for v, t in spans if plain_lines(t)]


def check_timings(text: str, path: str, timing: re.Pattern[str], example: str) -> None:
    """Check that every line with an arrow (``-->``) is a well-formed timing line.

    Caption libraries drop or glue a broken cue silently; this names it instead.

    Parameters
    ----------
    text : str
        The whole subtitle file.
    path : str
        The file, for messages.
    timing : re.Pattern
        The format's timing-line grammar.
    example : str
        A well-formed timing line, shown in the message.

    Raises
    ------
    InputError
        At the first broken timing line (1-based line and cue number).
    """
    cue = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if "-->" not in line:
            continue
        cue += 1
        if not timing.match(line.strip()):
            raise InputError(
                path,
                f"broken cue timing {line.strip()[:60]!r}; expected '{example}'",
                f"line {number} (cue {cue})",
            )


@dataclass
class _Line:
    cue: int
    text: str
    start: float
    end: float
    voice: str | None  # the voice span this line opens, if any


def _unrepeated(cues: list[Cue]) -> tuple[list[tuple[Cue, list[str]]], int]:
    """Each cue with the lines it adds. Highlight-word captions (WhisperX) repeat a line once
    per word with the tags moved, and rolling captions (YouTube) repeat the line before: a
    cue's leading lines that repeat the end of the cue before are read once, the earlier
    cue's time extended. An exact repeat with the same markup stays (someone said it twice)."""
    kept: list[tuple[Cue, list[str]]] = []
    repeats = 0
    for cue in cues:
        lines = cue.lines
        if kept:
            previous = kept[-1][0]
            n = _overlap(previous.lines, lines)
            retagged = previous.text != cue.text
            if n and (retagged or n < len(lines)) and cue.start - previous.end <= _FOLLOWS_ON:
                lines = lines[n:]
                repeats += 1
                if not lines:
                    previous.end = max(previous.end, cue.end)
                    continue
        kept.append((cue, lines))
    return [(c, lines) for c, lines in kept if lines], repeats


def _overlap(before: list[str], lines: list[str]) -> int:
    """How many of `lines`' first lines repeat the last lines of `before`."""
    longest = min(len(lines), len(before))
    return next((k for k in range(longest, 0, -1) if lines[:k] == before[-k:]), 0)


def _split(cue: Cue, lines: list[str]) -> list[_Line]:
    """The cue's lines, each with its voice, and times shared out by length (one cue's
    time covers all its pieces; the split within it is an estimate)."""
    if len(cue.spans) > 1:
        spans = [(voice, plain_lines(text)) for voice, text in cue.spans]
    else:
        spans = [(cue.voice, lines)]
    pieces = [(voice if k == 0 else None, line) for voice, ls in spans for k, line in enumerate(ls)]
    total = sum(len(t) for _, t in pieces) or 1
    out, done = [], 0
    for voice, text in pieces:
        start = cue.start + (cue.end - cue.start) * done / total
        done += len(text)
        end = cue.start + (cue.end - cue.start) * done / total
        out.append(_Line(cue.number, text, round(start, 3), round(end, 3), voice))
    return out


def _mark_backchannels(turns: list[Turn], multi_voice: set[int]) -> None:
    """In a cue with several voices, a short piece between two pieces of another speaker
    (`<v A>...</v> <v B>Mm-hmm.</v> <v A>...</v>`) is B's backchannel."""
    for before, turn, after in zip(turns, turns[1:], turns[2:]):
        same_cue = before.source_line == turn.source_line == after.source_line
        if (
            same_cue
            and turn.source_line in multi_voice
            and before.speaker == after.speaker != turn.speaker
            and len(turn.text.split()) <= _BACKCHANNEL_WORDS
        ):
            turn.backchannel = True


def session_from_cues(source: Source, cues: list[Cue], fmt: str) -> Session:
    """Cues to a session: a voice tag or a `Name:` line starts a turn; a line with neither
    continues the speaker before it. Times come from the first and last cue of a turn."""
    if not cues:
        raise InputError(source.name, "no cues with text; expected timed cues with speech")
    unrepeated, repeats = _unrepeated(cues)
    lines = [line for cue, shown in unrepeated for line in _split(cue, shown)]
    voices = [line.voice for line in lines]
    reading = read_lines(
        [(line.cue, line.text) for line in lines],
        source.name,
        source.options.known_labels,
        unit="cue",
        times=[(line.start, line.end) for line in lines],
        voices=voices,
        names_once=True,
    )
    if not reading.turns:
        chevrons = _CHEVRON.search(source.text)
        marks = " ('>>' marks a change of speaker but not who)" if chevrons else ""
        require_labels(
            [],
            source.name,
            len(cues),
            unit="cue",
            hint=f"the captions carry no speaker names{marks}; a diarized transcript would "
            "help (a name for each turn: e.g. WhisperX with diarization, or the meeting tool's "
            "transcript with names)",
        )
    unnamed = [
        cue.number
        for cue, shown in unrepeated
        if sum(line.startswith(("-", "–")) for line in shown) >= 2
        and not all(match_label(line) for line in shown if line.startswith(("-", "–")))
    ]
    multi_voice = {c.number for c in cues if len({v for v, _ in c.spans}) > 1}
    _mark_backchannels(reading.turns, multi_voice)
    warnings = list(reading.warnings)
    if unnamed:
        where = ", ".join(map(str, unnamed[:10]))
        warnings.append(
            f"cue(s) {where}: dialogue lines ('- ...') without a speaker name; a second "
            "voice in the cue cannot be told apart and is read with the speaker before it"
        )
    if repeats:
        warnings.append(
            f"{repeats} cue(s) repeat the caption line before them (highlighted words or "
            "rolling captions); each line read once, its time from the first to the last cue"
        )
    session = source.new_session(merge_consecutive(reading.turns), fmt, warnings)
    layout = "voice tags (<v Name>)" if any(voices) else f"in cues: {reading.layout}"
    if repeats:
        layout += "; repeated caption lines read once"
    session.metadata["layout"] = layout
    if roles := stated_roles(session.turns):
        session.metadata.setdefault("speaker_roles", {}).update(roles)
    return session
