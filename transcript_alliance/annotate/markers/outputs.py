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
    """A file beside `path` named after it: out/utterances.csv -> out/utterances_markers.csv.

    Parameters
    ----------
    path : Path
    name : str
        The suffix added to the stem.

    Returns
    -------
    Path
    """
    return path.with_name(f"{path.stem}_{name}{path.suffix}")


def write_marker_tables(sessions: list[Session], out: str | Path, codes: list[str]) -> list[Path]:
    """Write the tables of `markers --out PATH`.

    Parameters
    ----------
    sessions : list of Session
        Annotated sessions (`annotate_sessions`).
    out : str or Path
        The utterance table's path; its suffix picks the format (.csv, .parquet, ...).
    codes : list of str
        The code ids, one ``m_<code>`` count column each.

    Returns
    -------
    list of Path
        The utterance table (`UTTERANCE_COLUMNS` and ``m_<code>``), and beside it
        ``_markers`` (`MARKER_COLUMNS`, one row per marker), ``_style`` (`session_style`,
        one row per session) and ``_windows`` (`window_style`, one row per window).

    Raises
    ------
    InputError
        An unsupported table suffix or a path that cannot be written.
    """
    out = Path(out)
    windows = [row for s in sessions for row in window_style(s)]
    return [
        write_table(utterance_table(sessions, codes), out),
        write_table(marker_table(sessions), sibling(out, "markers")),
        write_table(pd.DataFrame([session_style(s) for s in sessions]), sibling(out, "style")),
        write_table(pd.DataFrame(windows), sibling(out, "windows")),
    ]
