"""Speaker labels and timestamps at the start of a line: `T:`, `Dr. Lee:`, `[00:01:02] Client:`,
`CLIENT (00:01:02):`, `Speaker 1  0:05` on a line of its own. Shared by the plain-text and
Word readers, and by the subtitle readers for `Name:` prefixes inside cues."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..errors import InputError
from ..session import Turn
from .roles import is_known_label

_TS = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"


def _ts_group(name: str) -> str:
    return rf"[\[(]?(?P<{name}>{_TS})[\])]?"


_LABEL = r"(?P<label>[^\W\d_][\w.'’\- ]{0,38}?)"
# [ts] Label [ts]: text   |   - Label: text   |   [Label] text
_LABEL_LINE = re.compile(
    rf"^\s*(?:{_ts_group('ts1')}\s+)?(?:-\s*)?"
    rf"(?:{_LABEL}|\[(?P<blabel>[^\W\d_][\w.'’\- ]{{0,38}}?)\])"
    rf"\s*(?:{_ts_group('ts2')})?\s*(?::|(?<=\]))(?:\s+|$)(?P<text>.*)$"
)
# "Speaker 1  00:05" alone on a line (Otter-style exports): the speech follows below.
_LABEL_TIME_LINE = re.compile(rf"^\s*{_LABEL}\s+{_ts_group('ts2')}\s*$")
_MAX_LABEL_WORDS = 4
MAX_TURN_CHARS = 200_000  # far above any real turn; keeps a runaway line from stalling spaCy


@dataclass
class LabelledLine:
    line: int
    label: str
    text: str
    start: float | None


def parse_timestamp(value: str) -> float:
    """'01:02:03.5' or '1:02' or '00:01:02,500' -> seconds."""
    parts = value.replace(",", ".").split(":")
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + float(part)
    return seconds


def match_label(line: str) -> LabelledLine | None:
    """The label, timestamp and speech of a line that starts with a speaker label."""
    m = _LABEL_LINE.match(line) or _LABEL_TIME_LINE.match(line)
    if not m:
        return None
    groups = m.groupdict()
    label = (groups.get("label") or groups.get("blabel") or "").strip()
    if not label or len(label.split()) > _MAX_LABEL_WORDS:
        return None
    ts = groups.get("ts1") or groups.get("ts2")
    return LabelledLine(0, label, (groups.get("text") or "").strip(), _ts_or_none(ts))


def _ts_or_none(ts: str | None) -> float | None:
    return parse_timestamp(ts) if ts else None


def turns_from_lines(
    lines: list[tuple[int, str]],
    path: str,
    known_labels: set[str] | None = None,
    unit: str = "line",
) -> tuple[list[Turn], list[str]]:
    """Group numbered lines into speaker turns; lines without a label continue the turn
    before them. Returns the turns and warnings.

    A label is believed when it is a known role name, named in `known_labels` (the --roles
    map), or used at least twice; a one-off `Like I said: ...` stays speech, with a warning.
    """
    known = {k.casefold() for k in (known_labels or set())}
    matches = {n: match_label(text) for n, text in lines if len(text) <= MAX_TURN_CHARS}
    counts = Counter(m.label.casefold() for m in matches.values() if m)
    believed = {
        label for label, c in counts.items() if c >= 2 or label in known or is_known_label(label)
    }
    if not believed and len(counts) == 1:
        believed = set(counts)  # a one-speaker file still has its speaker
    warnings: list[str] = []
    header: list[int] = []
    turns: list[Turn] = []
    current: Turn | None = None
    for number, text in lines:
        if len(text) > MAX_TURN_CHARS:
            raise InputError(
                path,
                f"a single {unit} of {len(text):,} characters; expected {unit}s under "
                f"{MAX_TURN_CHARS:,} characters (is this a transcript?)",
                where=f"{unit} {number}",
            )
        m = matches.get(number)
        if m and m.label.casefold() in believed:
            current = Turn(len(turns), m.label, m.text, start=m.start, source_line=number)
            turns.append(current)
            continue
        if m:
            warnings.append(
                f"{unit} {number}: '{m.label}:' looks like a speaker label but appears only "
                "once; read as speech (name it in --roles to make it a speaker)"
            )
        if not text.strip():
            continue
        if current is None:
            header.append(number)
            continue
        current.text = f"{current.text} {text.strip()}".strip()
        if len(current.text) > MAX_TURN_CHARS:
            raise InputError(
                path,
                f"a turn longer than {MAX_TURN_CHARS:,} characters; expected speaker labels "
                "to break the text into turns",
                where=f"{unit} {current.source_line}",
            )
    for turn in (t for t in turns if not t.text):
        warnings.append(f"{unit} {turn.source_line}: '{turn.speaker}:' with no speech; dropped")
    turns = [t for t in turns if t.text]
    for index, turn in enumerate(turns):
        turn.index = index
    if header and turns:
        span = f"{unit} {header[0]}" if len(header) == 1 else f"{unit}s {header[0]}-{header[-1]}"
        warnings.append(
            f"{span} come{'s' if len(header) == 1 else ''} before the first speaker label and were "
            "read as a header, not speech"
        )
    return turns, warnings


def require_labels(turns: list[Turn], path: str, n_lines: int, unit: str = "line") -> None:
    if not turns:
        raise InputError(
            path,
            f"no speaker labels in {n_lines} {unit}s; expected turns such as 'Therapist: ...' "
            "or 'T: ...' (or pass --format for another layout)",
        )
