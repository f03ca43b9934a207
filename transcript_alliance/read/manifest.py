"""The manifest: a CSV tying files to sessions, clients and therapists (DESIGN.md:
`path, session_id, client_id, therapist_id, session_number, date`; an optional `roles`
column with a per-file map such as "Dr. Lee=therapist,Sam=client"; optional
`session_type` (psychotherapy, medication, team), `program` and `week`; an optional
`clinicians` column naming each clinician's id in a team session ("Dr. Reyes=T11,Ms.
Burke=T12", used by dyads.csv's `therapist_id`); more columns kept as session metadata).
Paths are relative to the manifest's folder; a path outside it is allowed, and flagged
(`ManifestEntry.outside`, listed in run.json). A bad row is reported with the manifest's
path and its 1-based row (the header is row 1), and the other rows are read."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError, OptionError, name_text
from ..io import read_csv
from ..schema import MANIFEST_COLUMNS
from ..session_types import NAMES as SESSION_TYPE_NAMES
from .roles import parse_roles_map


@dataclass
class ManifestEntry:
    """One row of the manifest.

    Attributes
    ----------
    path : Path
        The file, resolved against the manifest's folder.
    metadata : dict[str, Any]
        The row's session metadata.
    row : int
        The row's 1-based number in the manifest (the header is row 1).
    outside : bool
        Whether the file lies outside the manifest's folder.
    """

    path: Path
    metadata: dict[str, Any]
    row: int
    outside: bool = False  # the file lies outside the manifest's folder


def read_manifest(path: str | Path, errors: list[InputError] | None = None) -> list[ManifestEntry]:
    """The manifest's rows, in order.

    Parameters
    ----------
    path : str or Path
        The manifest CSV.
    errors : list of InputError, optional
        Where a bad row goes (manifest path, `row N`, what was wrong), the others being
        read; without it the first bad row is raised.

    Returns
    -------
    list of ManifestEntry
        One per good row.

    Raises
    ------
    InputError
        The manifest cannot be read, has no `path` column, or (without `errors`) a row is bad.
    """
    path = Path(path)
    frame = read_csv(path, what="a CSV manifest")
    if "path" not in frame.columns:
        raise InputError(
            path, f"no 'path' column; expected columns {', '.join(MANIFEST_COLUMNS)}", "row 1"
        )
    entries: list[ManifestEntry] = []
    seen: dict[str, int] = {}
    folder = path.parent.resolve()
    for row_number, record in enumerate(frame.to_dict("records"), start=2):
        try:
            entry = _entry(path, folder, record, row_number, seen)
        except InputError as error:
            if errors is None:
                raise
            errors.append(error)
            continue
        entries.append(entry)
    return entries


def _iso_date(text: str) -> bool:
    """Whether `text` is a real calendar date written YYYY-MM-DD (`2026-13-45` is not)."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _entry(
    path: Path, folder: Path, record: dict[str, str], row_number: int, seen: dict[str, int]
) -> ManifestEntry:
    """One row as an entry; raises its InputError."""
    if not record["path"].strip():
        raise InputError(path, "empty path; expected a transcript file", f"row {row_number}")
    target = (path.parent / record["path"].strip()).resolve()
    if not target.is_file():
        raise InputError(path, f"no such file: {record['path']}", f"row {row_number}")
    number = record.get("session_number", "").strip()
    if number and not number.isdigit():
        raise InputError(
            path, f"session_number '{number}'; expected a whole number", f"row {row_number}"
        )
    session_type = record.get("session_type", "").strip()
    if session_type and session_type not in SESSION_TYPE_NAMES:
        raise InputError(
            path,
            f"session_type '{session_type}'; expected one of {', '.join(SESSION_TYPE_NAMES)}",
            f"row {row_number}",
        )
    if record.get("roles", "").strip():
        try:
            parse_roles_map(record["roles"])
        except OptionError as err:
            problem = str(err).removeprefix("`roles`: ")
            raise InputError(path, f"roles {problem}", f"row {row_number}") from None
    date = record.get("date", "").strip()
    if date and not _iso_date(date):
        raise InputError(
            path, f"date '{date}'; expected an ISO date YYYY-MM-DD", f"row {row_number}"
        )
    week = record.get("week", "").strip()
    if week and not week.isdigit():
        raise InputError(path, f"week '{week}'; expected a whole number", f"row {row_number}")
    session_id = record.get("session_id", "").strip() or name_text(target.stem)[0]
    if session_id in seen:
        raise InputError(
            path,
            f"session_id '{session_id}' also on row {seen[session_id]}; expected one row "
            "per session",
            f"row {row_number}",
        )
    seen[session_id] = row_number
    metadata = {k: v.strip() for k, v in record.items() if k != "path"}
    metadata["session_id"] = session_id
    return ManifestEntry(target, metadata, row_number, not target.is_relative_to(folder))
