"""Sessions to tidy tables, and tables to files (CSV, TSV, Parquet, JSONL by suffix),
written atomically: a file is either complete or absent."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from .errors import OptionError
from .session import Session

UTTERANCE_COLUMNS = [
    "session_id", "turn", "utterance", "role", "speaker", "start", "end", "text",
    "start_char", "end_char", "n_words", "events", "client_id", "therapist_id",
    "session_number",
]  # fmt: skip
TABLE_SUFFIXES = {".csv", ".tsv", ".parquet", ".jsonl"}


def utterance_table(sessions: Iterable[Session]) -> pd.DataFrame:
    """One row per utterance, in the column order of the `utterances` contract."""
    rows = [
        {
            "session_id": s.session_id,
            "turn": u.turn,
            "utterance": u.index,
            "role": u.role.value,
            "speaker": u.speaker,
            "start": u.start,
            "end": u.end,
            "text": u.text,
            "start_char": u.start_char,
            "end_char": u.end_char,
            "n_words": u.n_words,
            "events": ";".join(e.kind for e in u.events),
            "client_id": s.client_id,
            "therapist_id": s.therapist_id,
            "session_number": s.session_number,
        }
        for s in sessions
        for u in s.utterances
    ]
    frame = pd.DataFrame(rows, columns=UTTERANCE_COLUMNS)
    return frame.astype({"start": "Float64", "end": "Float64", "session_number": "Int64"})


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
