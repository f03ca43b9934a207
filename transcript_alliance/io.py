"""Sessions to tidy tables, and tables to files (CSV, TSV, Parquet, JSONL by suffix),
written atomically: a file is either complete or absent."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import OptionError
from .session import Session

UTTERANCE_COLUMNS = [
    "session_id", "turn", "utterance", "role", "speaker", "start", "end", "text",
    "start_char", "end_char", "n_words", "events", "client_id", "therapist_id",
    "session_number",
]  # fmt: skip
# The evidence table (analysis.py): the utterances behind each component's estimate.
EVIDENCE_COLUMNS = [
    "session_id", "component", "direction", "turn", "utterance", "role", "weight", "text",
]  # fmt: skip
TABLE_SUFFIXES = {".csv", ".tsv", ".parquet", ".jsonl"}


MARKER_COLUMNS = [
    "session_id", "turn", "utterance", "role", "speaker", "code", "component", "source",
    "rule", "negated", "hedged", "start_char", "end_char", "text", "utterance_text",
]  # fmt: skip


# The marker table's columns that come from the Marker itself.
_MARKER_FIELDS = MARKER_COLUMNS[MARKER_COLUMNS.index("code") : MARKER_COLUMNS.index("text") + 1]


def utterance_table(sessions: Iterable[Session], codes: list[str] | None = None) -> pd.DataFrame:
    """One row per utterance, in the column order of the `utterances` contract; with
    `codes`, an `m_<code>` column per code counting its matches that are not negated."""
    sessions = list(sessions)
    pairs = [(s, u) for s in sessions for u in s.utterances]
    # Built column by column: much cheaper than a dict per row for large sessions.
    columns: dict[str, Any] = {
        "session_id": [s.session_id for s, _ in pairs],
        "turn": [u.turn for _, u in pairs],
        "utterance": [u.index for _, u in pairs],
        "role": [u.role.value for _, u in pairs],
        "speaker": [u.speaker for _, u in pairs],
        "start": pd.array([u.start for _, u in pairs], dtype="Float64"),
        "end": pd.array([u.end for _, u in pairs], dtype="Float64"),
        "text": [u.text for _, u in pairs],
        "start_char": [u.start_char for _, u in pairs],
        "end_char": [u.end_char for _, u in pairs],
        "n_words": [u.n_words for _, u in pairs],
        "events": [";".join(e.kind for e in u.events) for _, u in pairs],
        "client_id": [s.client_id for s, _ in pairs],
        "therapist_id": [s.therapist_id for s, _ in pairs],
        "session_number": pd.array([s.session_number for s, _ in pairs], dtype="Int64"),
    }
    if codes:
        counts = {code: [0] * len(pairs) for code in codes}
        for row, (_, u) in enumerate(pairs):
            for m in u.markers:
                if not m.negated and m.code in counts:
                    counts[m.code][row] += 1
        columns.update({f"m_{code}": column for code, column in counts.items()})
    return pd.DataFrame(columns, columns=list(columns))


def marker_table(sessions: Iterable[Session]) -> pd.DataFrame:
    """One row per marker match, negated and hedged ones included, with the words that
    triggered it (offsets into the turn's text as read) and the utterance around them."""
    rows = [(s, u, m) for s in sessions for u in s.utterances for m in u.markers]
    if not rows:
        return pd.DataFrame(columns=MARKER_COLUMNS)
    # Built column by column, as utterance_table is.
    columns = {
        "session_id": [s.session_id for s, _, _ in rows],
        "turn": [u.turn for _, u, _ in rows],
        "utterance": [u.index for _, u, _ in rows],
        "role": [u.role.value for _, u, _ in rows],
        "speaker": [u.speaker for _, u, _ in rows],
        **{name: [getattr(m, name) for _, _, m in rows] for name in _MARKER_FIELDS},
        "utterance_text": [u.text for _, u, _ in rows],
    }
    return pd.DataFrame(columns, columns=MARKER_COLUMNS)


def check_table_path(path: Path) -> None:
    if path.suffix.casefold() not in TABLE_SUFFIXES:
        raise OptionError(
            f"--out {path}: expected a file ending in {', '.join(sorted(TABLE_SUFFIXES))}"
        )


def write_table(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write by suffix into a temporary file beside the target, then rename it in place."""
    path = Path(path)
    check_table_path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        suffix = path.suffix.casefold()
        if suffix == ".parquet":
            frame.to_parquet(tmp, index=False)
        elif suffix == ".jsonl":
            frame.to_json(tmp, orient="records", lines=True, force_ascii=False)
        else:
            frame.to_csv(tmp, index=False, sep="\t" if suffix == ".tsv" else ",")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
