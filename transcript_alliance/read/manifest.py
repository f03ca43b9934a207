"""The manifest: a CSV tying files to sessions, clients and therapists (DESIGN.md:
`path, session_id, client_id, therapist_id, session_number, date`; an optional `roles`
column with a per-file map such as "Dr. Lee=therapist,Sam=client"; optional
`session_type` (psychotherapy, medication, team), `program` and `week`; an optional
`clinicians` column naming each clinician's id in a team session ("Dr. Reyes=T11,Ms.
Burke=T12", used by dyads.csv's `therapist_id`); more columns kept as session metadata).
Paths are relative to the manifest's folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..io import read_csv
from ..schema import MANIFEST_COLUMNS
from ..session_types import NAMES as SESSION_TYPE_NAMES


@dataclass
class ManifestEntry:
    path: Path
    metadata: dict[str, Any]
    row: int


def read_manifest(path: str | Path) -> list[ManifestEntry]:
    path = Path(path)
    frame = read_csv(path, what="a CSV manifest")
    if "path" not in frame.columns:
        raise InputError(
            path, f"no 'path' column; expected columns {', '.join(MANIFEST_COLUMNS)}", "row 1"
        )
    entries: list[ManifestEntry] = []
    seen: dict[str, int] = {}
    for row_number, record in enumerate(frame.to_dict("records"), start=2):
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
        week = record.get("week", "").strip()
        if week and not week.isdigit():
            raise InputError(path, f"week '{week}'; expected a whole number", f"row {row_number}")
        session_id = record.get("session_id", "").strip() or target.stem
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
        entries.append(ManifestEntry(target, metadata, row_number))
    return entries
