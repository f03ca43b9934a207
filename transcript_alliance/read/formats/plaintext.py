"""Plain text with a speaker label at the start of each turn (`T:`, `Dr. Lee:`,
`[00:01:02] Client:`); unlabelled lines continue the turn above them."""

from __future__ import annotations

from ...session import Session
from ..base import Source, merge_consecutive
from ..labels import require_labels, turns_from_lines


def read(source: Source) -> Session:
    lines = source.numbered_lines()
    turns, warnings = turns_from_lines(lines, source.name, source.options.known_labels)
    require_labels(turns, source.name, len(lines))
    return source.new_session(merge_consecutive(turns), "text", warnings)
