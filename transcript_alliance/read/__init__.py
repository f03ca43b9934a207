"""Readers: one module per transcript format, each returning a `Session`.

`read_session` picks the reader from the extension (or `format=`), confirms it by sniffing
the content, reads, lifts inline backchannels and resolves roles.
"""

from __future__ import annotations

import re
import stat
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ..errors import InputError, OptionError, TranscriptAllianceError
from ..session import Role, Session
from .backchannels import lift_backchannels
from .base import ReadOptions, Source, file_roles
from .formats import chat, docx, jsonfile, plaintext, srt, table, webvtt
from .punctuation import check_punctuation
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
    ".txt": "text",
    ".text": "text",
    ".csv": "csv",
    ".tsv": "tsv",
    ".xlsx": "xlsx",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".vtt": "vtt",
    ".srt": "srt",
    ".docx": "docx",
    ".cha": "chat",
}
FORMATS = sorted(READERS)


def read_session(
    path: str | Path,
    *,
    format: str | None = None,
    roles: str | Mapping[str, str] | None = None,
    columns: Mapping[str, str] | None = None,
    metadata: Mapping[str, Any] | None = None,
    header_row: int | None = None,
) -> Session:
    """Read one transcript into a `Session` with a role for every turn.

    Parameters
    ----------
    path
        The transcript file.
    format
        One of `FORMATS`; by default from the extension, confirmed by the content.
    roles
        Speaker labels to roles ("Dr. Lee=therapist,Sam=client"). A label that does not
        speak in this file is a warning (one map serves a folder of sessions), unless no
        label of the map speaks in it.
    columns
        Table fields to column names ({"speaker": "Who"}); the key "header_row" may carry
        `header_row` too (as `--columns header_row=3` does).
    metadata
        Overrides of session fields (session_id, client_id, therapist_id, session_number,
        date), e.g. from a manifest.
    header_row
        Tables: the 1-based row of the header, where title rows above it defeat the guess.

    Returns
    -------
    Session
        Turns with roles; `warnings` says what was guessed or skipped.

    Raises
    ------
    InputError
        The file cannot be read as a transcript (one line: file, place, what was expected).
    OptionError
        An option that makes no sense (an unknown format, a bad roles map).
    """
    path = Path(path)
    roles_map = parse_roles_map(roles)
    if format is not None and format not in READERS:
        raise OptionError(f"`format`: '{format}' is not one of {', '.join(FORMATS)}")
    columns = dict(columns or {})
    if "header_row" in columns:
        header_row = _header_row(columns.pop("header_row"))
    if header_row is not None and header_row < 1:
        raise OptionError(f"`header_row`: {header_row}; expected a row number from 1")
    try:
        data = _read_bytes(path)
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, "is a folder; expected a transcript file") from None
    except OSError as err:
        raise InputError(path, f"cannot be read ({err.strerror})") from None
    _refuse_rttm(path, data, format)
    fmt, note = _choose_format(path, data, format)
    options = ReadOptions(
        format=fmt, columns=columns, known_labels=set(roles_map), header_row=header_row
    )
    session = _run_reader(fmt, Source(path, data, options))
    if note:
        session.warn(note)
    lift_backchannels(session)
    check_punctuation(session)
    resolve_roles(session, roles_map, file_roles(session))
    _apply_metadata(session, metadata or {})
    return session


# A transcript of many hours is a few MB; a file over this is refused before it is read
# (it would be held in memory whole).
MAX_FILE_BYTES = 1 << 30


def _read_bytes(path: Path) -> bytes:
    """The file's bytes; a pipe, a device or an outsized file is refused before reading
    (a named pipe would wait forever, `/dev/zero` never ends)."""
    info = path.stat()
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(path)
    if not stat.S_ISREG(info.st_mode):
        raise InputError(path, "not a regular file (a pipe or a device); expected a transcript")
    if info.st_size > MAX_FILE_BYTES:
        raise InputError(
            path,
            f"{info.st_size / 2**30:,.1f} GB; expected a transcript under "
            f"{MAX_FILE_BYTES // 2**30} GB",
        )
    return path.read_bytes()


def _run_reader(fmt: str, source: Source) -> Session:
    """The reader's session; anything a reader did not foresee becomes one line too."""
    try:
        return READERS[fmt](source)
    except TranscriptAllianceError:
        raise
    except RecursionError:
        raise InputError(source.name, f"nested too deeply to read as {fmt}") from None
    except Exception as err:  # a library's own error on a file it could not parse
        detail = str(err).strip().splitlines()[0][:200] if str(err).strip() else ""
        raise InputError(
            source.name,
            f"could not be read as {fmt} ({type(err).__name__}{': ' + detail if detail else ''})",
        ) from err


def _header_row(value: object) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        raise OptionError(f"`header_row`: '{value}'; expected a row number from 1") from None


_RTTM_LINE = re.compile(rb"^SPEAKER\s+\S+\s+\S+\s+-?\d+(?:\.\d+)?\s+\d+(?:\.\d+)?\s")


def _refuse_rttm(path: Path, data: bytes, given: str | None) -> None:
    """RTTM (pyannote, NIST) says who spoke when but holds no words: nothing to read."""
    first = next((line.strip() for line in data[:4096].splitlines() if line.strip()), b"")
    if given is None and (path.suffix.casefold() == ".rttm" or _RTTM_LINE.match(first)):
        raise InputError(
            path,
            "an RTTM file says who spoke when but holds no words; read the transcript made "
            "with it instead (a diarized transcript, e.g. WhisperX JSON, .vtt or .srt with "
            "speaker names), or merge the RTTM's speakers into the transcript beside it first",
            "line 1",
        )


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
                f"{', '.join(sorted(EXTENSIONS))} (or pass `format`)",
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
        if k not in {"session_id", "client_id", "therapist_id", "session_number", "date"}
        and v not in (None, "")
    }
    session.metadata.update(extra)


__all__ = ["EXTENSIONS", "FORMATS", "READERS", "Role", "read_session"]
