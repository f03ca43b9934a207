"""Spreadsheet transcripts (CSV, TSV, XLSX): one row per turn or utterance, with speaker
and text columns named by `--columns` or guessed from common names."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import pandas as pd

from ...errors import InputError
from ...session import Role, Session, Turn
from ..base import Source, merge_consecutive
from ..labels import MAX_TURN_CHARS, parse_timestamp

# Guesses, in order of preference, for each field when --columns does not name it.
COLUMN_GUESSES: dict[str, tuple[str, ...]] = {
    "speaker": ("speaker", "speaker_label", "name", "who", "spk", "participant", "speaker_name"),
    "text": ("text", "utterance", "transcript", "content", "message", "speech", "line", "said"),
    "start": ("start", "start_time", "begin", "time", "timestamp", "start_sec", "onset"),
    "end": ("end", "end_time", "stop", "end_sec", "offset"),
    "role": ("role", "speaker_role"),
}
_RAGGED = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def read(source: Source) -> Session:
    frame = _load_frame(source)
    columns = _map_columns(frame, source)
    turns: list[Turn] = []
    roles: dict[str, str] = {}
    for i, row in enumerate(frame.itertuples(index=False), start=2):  # row 1 is the header
        values = dict(zip(frame.columns, row))
        text = str(values[columns["text"]]).strip()
        speaker = str(values[columns["speaker"]]).strip()
        if len(text) > MAX_TURN_CHARS:
            raise InputError(
                source.name, f"a cell of {len(text):,} characters; expected speech", f"row {i}"
            )
        if not text:
            continue
        start = _time(values, columns.get("start"), source, i)
        end = _time(values, columns.get("end"), source, i)
        if not speaker:
            if not turns:
                raise InputError(
                    source.name, f"expected a speaker in column '{columns['speaker']}'", f"row {i}"
                )
            speaker = turns[-1].speaker
        if "role" in columns and (role := str(values[columns["role"]]).strip().casefold()):
            if role not in {r.value for r in Role}:
                raise InputError(
                    source.name,
                    f"role '{role}' in column '{columns['role']}'; expected therapist, client "
                    "or other",
                    f"row {i}",
                )
            roles[speaker] = role
        turns.append(Turn(len(turns), speaker, text, start=start, end=end, source_line=i))
    if not turns:
        raise InputError(source.name, "no rows with text; expected one row per turn")
    session = source.new_session(merge_consecutive(turns), source.options.format or "table")
    if roles:
        session.metadata["speaker_roles"] = roles
    return session


def _load_frame(source: Source) -> pd.DataFrame:
    suffix = source.path.suffix.casefold()
    fmt = source.options.format or suffix.lstrip(".")
    try:
        if fmt == "xlsx":
            if not zipfile.is_zipfile(io.BytesIO(source.data)):
                raise InputError(source.name, "not an Excel .xlsx file (not a ZIP archive)")
            frame = pd.read_excel(io.BytesIO(source.data), dtype=str, keep_default_na=False)
        else:
            text = source.text
            frame = pd.read_csv(
                io.StringIO(text),
                sep=_delimiter(text, fmt),
                dtype=str,
                keep_default_na=False,
                skip_blank_lines=True,
                index_col=False,
            )
    except InputError:
        raise
    except (pd.errors.ParserError, csv.Error) as err:
        if m := _RAGGED.search(str(err)):
            raise InputError(
                source.name,
                f"not a well-formed table: {m.group(3)} fields; expected {m.group(1)} as in the "
                "header (quote text that contains the delimiter)",
                f"row {m.group(2)}",
            ) from None
        raise InputError(source.name, f"not a well-formed table ({_first_line(err)})") from None
    except pd.errors.EmptyDataError:
        raise InputError(
            source.name, "no header row; expected columns such as speaker,text"
        ) from None
    except Exception as err:  # openpyxl raises many types on damaged workbooks
        raise InputError(source.name, f"not a readable spreadsheet ({_first_line(err)})") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.fillna("")


def _delimiter(text: str, fmt: str) -> str:
    header = text.split("\n", 1)[0]
    if fmt == "tsv" or header.count("\t") > header.count(","):
        return "\t"
    return ";" if header.count(";") > header.count(",") else ","


def _map_columns(frame: pd.DataFrame, source: Source) -> dict[str, str]:
    by_fold = {c.casefold(): c for c in frame.columns}
    mapped: dict[str, str] = {}
    for fieldname, given in source.options.columns.items():
        if given.casefold() not in by_fold:
            raise InputError(
                source.name,
                f"--columns names '{given}' for {fieldname}, but the columns are: "
                f"{', '.join(frame.columns)}",
            )
        mapped[fieldname] = by_fold[given.casefold()]
    for fieldname, guesses in COLUMN_GUESSES.items():
        if fieldname not in mapped:
            found = next((by_fold[g] for g in guesses if g in by_fold), None)
            if found:
                mapped[fieldname] = found
    for needed in ("speaker", "text"):
        if needed not in mapped:
            raise InputError(
                source.name,
                f"no {needed} column; expected one named {', '.join(COLUMN_GUESSES[needed][:4])} "
                f"(or --columns {needed}=NAME); the columns are: {', '.join(frame.columns)}",
                "row 1",
            )
    return mapped


def _time(values: dict, column: str | None, source: Source, row: int) -> float | None:
    if not column:
        return None
    raw = str(values[column]).strip()
    if not raw:
        return None
    try:
        return float(raw) if ":" not in raw else parse_timestamp(raw)
    except ValueError:
        raise InputError(
            source.name,
            f"'{raw[:30]}' in column '{column}'; expected seconds or hh:mm:ss",
            f"row {row}",
        ) from None


def _first_line(err: Exception) -> str:
    return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
