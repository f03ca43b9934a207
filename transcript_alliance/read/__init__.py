"""Readers: one module per transcript format, each returning a `Session`.

`read_session` picks the reader from the extension (or `format=`), confirms it by sniffing
the content, reads, lifts inline backchannels and resolves roles.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ..errors import InputError, OptionError
from ..session import Role, Session
from .backchannels import lift_backchannels
from .base import ReadOptions, Source, file_roles
from .formats import chat, docx, jsonfile, plaintext, srt, table, webvtt
from .roles import parse_roles_map, resolve_roles
from .sniff import sniff_format

Reader = Callable[[Source], Session]

READERS: dict[str, Reader] = {
    "text": plaintext.read,
    "csv": table.read,
    "tsv": table.read,
    "xlsx": table.read,
    "json": jsonfile.read,
    "jsonl": jsonfile.read,
    "vtt": webvtt.read,
    "srt": srt.read,
    "docx": docx.read,
    "chat": chat.read,
}
EXTENSIONS: dict[str, str] = {
    ".txt": "text", ".text": "text", ".csv": "csv", ".tsv": "tsv", ".xlsx": "xlsx",
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".vtt": "vtt", ".srt": "srt",
    ".docx": "docx", ".cha": "chat",
}  # fmt: skip
FORMATS = sorted(READERS)


def read_session(
    path: str | Path,
    *,
    format: str | None = None,
    roles: str | Mapping[str, str] | None = None,
    columns: Mapping[str, str] | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> Session:
    """Read one transcript into a `Session` with a role for every turn.

    `roles` maps speaker labels to roles ("Dr. Lee=therapist,Sam=client"); `columns` maps
    table fields to column names ({"speaker": "Who"}); `metadata` overrides session fields
    (session_id, client_id, therapist_id, session_number, date), e.g. from a manifest.
    """
    path = Path(path)
    roles_map = parse_roles_map(roles)
    if format is not None and format not in READERS:
        raise OptionError(f"--format: '{format}' is not one of {', '.join(FORMATS)}")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, "is a folder; expected a transcript file") from None
    except OSError as err:
        raise InputError(path, f"cannot be read ({err.strerror})") from None
    fmt, note = _choose_format(path, data, format)
    options = ReadOptions(format=fmt, columns=dict(columns or {}), known_labels=set(roles_map))
    session = READERS[fmt](Source(path, data, options))
    if note:
        session.warn(note)
    lift_backchannels(session)
    resolve_roles(session, roles_map, file_roles(session))
    _apply_metadata(session, metadata or {})
    return session


def _choose_format(path: Path, data: bytes, given: str | None) -> tuple[str, str | None]:
    if given:
        return given, None
    by_extension = EXTENSIONS.get(path.suffix.casefold())
    sniffed = sniff_format(data)
    if by_extension is None:
        if sniffed is None:
            raise InputError(
                path,
                f"unknown extension '{path.suffix}' and unrecognised content; expected one of "
                f"{', '.join(sorted(EXTENSIONS))} (or pass --format)",
            )
        return sniffed, None
    if sniffed and sniffed != by_extension and _trust_sniff(by_extension, sniffed):
        return (
            sniffed,
            f"the extension says {by_extension} but the content is {sniffed}; read as {sniffed}",
        )
    return by_extension, None


def _trust_sniff(by_extension: str, sniffed: str) -> bool:
    """Sniffing overrides the extension only where its signal is unambiguous (a WEBVTT
    header, a CHAT header, a Word or Excel archive), never for loose text guesses."""
    return sniffed in {"vtt", "chat", "docx", "xlsx"} and by_extension in {
        "text",
        "srt",
        "csv",
        "tsv",
    }


def _apply_metadata(session: Session, metadata: Mapping[str, Any]) -> None:
    for key in ("session_id", "client_id", "therapist_id", "date"):
        if metadata.get(key):
            setattr(session, key, str(metadata[key]))
    if metadata.get("session_number") not in (None, ""):
        session.session_number = int(metadata["session_number"])
    extra = {
        k: v
        for k, v in metadata.items()
        if k not in {"path", "session_id", "client_id", "therapist_id", "session_number", "date"}
        and v not in (None, "")
    }
    session.metadata.update(extra)


__all__ = ["EXTENSIONS", "FORMATS", "READERS", "Role", "read_session"]
