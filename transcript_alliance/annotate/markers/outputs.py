"""The files `markers --out PATH` writes: the utterance table with `m_<code>` counts at
PATH, and beside it the markers, per-session style and per-window tables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ...io import write_table
from ...schema import marker_table, utterance_table
from ...session import Session
from ..style import session_style, window_style


def sibling(path: Path, name: str) -> Path:
    """out/utterances.csv -> out/utterances_markers.csv"""
    return path.with_name(f"{path.stem}_{name}{path.suffix}")


def write_marker_tables(sessions: list[Session], out: str | Path, codes: list[str]) -> list[Path]:
    out = Path(out)
    windows = [row for s in sessions for row in window_style(s)]
    return [
        write_table(utterance_table(sessions, codes), out),
        write_table(marker_table(sessions), sibling(out, "markers")),
        write_table(pd.DataFrame([session_style(s) for s in sessions]), sibling(out, "style")),
        write_table(pd.DataFrame(windows), sibling(out, "windows")),
    ]
