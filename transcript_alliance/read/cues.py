"""Shared by the subtitle readers (WebVTT, SRT): timing lines checked one by one, so a
broken cue is named instead of being dropped or glued to its neighbour by the parser, and
cues turned into speaker turns."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import InputError
from ..session import Session, Turn
from .base import Source, merge_consecutive
from .labels import require_labels, turns_from_lines


@dataclass
class Cue:
    number: int  # 1-based position in the file
    start: float
    end: float
    text: str
    voice: str | None = None


def check_timings(text: str, path: str, timing: re.Pattern[str], example: str) -> None:
    """Every line with an arrow must be a well-formed timing line."""
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


def turns_from_cues(
    cues: list[Cue], path: str, known_labels: set[str]
) -> tuple[list[Turn], list[str]]:
    """Cues to turns: a voice tag or a `Name:` prefix starts a turn; a cue with neither
    continues the speaker before it. Times come from the first and last cue of a turn."""
    voices = {c.voice for c in cues if c.voice}
    lines = [(c.number, f"{c.voice}: {c.text}" if c.voice else c.text) for c in cues]
    turns, warnings = turns_from_lines(lines, path, known_labels | voices, unit="cue")
    require_labels(turns, path, len(cues), unit="cue")
    by_number = {c.number: c for c in cues}
    numbers = [t.source_line or 0 for t in turns] + [cues[-1].number + 1]
    for turn, first, after in zip(turns, numbers, numbers[1:]):
        turn.start = by_number[first].start
        last = max(n for n in by_number if first <= n < after)
        turn.end = by_number[last].end
    return turns, warnings


def session_from_cues(source: Source, cues: list[Cue], fmt: str) -> Session:
    if not cues:
        raise InputError(source.name, "no cues with text; expected timed cues with speech")
    turns, warnings = turns_from_cues(cues, source.name, source.options.known_labels)
    return source.new_session(merge_consecutive(turns), fmt, warnings)
