"""What every reader receives: the file's path and bytes, decoded text on demand, options."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..errors import NAME_GUESSED, InputError, name_text, path_text
from ..session import Role, Session, Turn
from .encoding import DecodedText, decode_bytes

# Bounds on what a ZIP-based file (.docx, .xlsx) may inflate to (issue 19: a 392 KB .docx
# inflating to 100 MB took 6.5 minutes and 3.8 GB to parse). A long session's
# document.xml or sheet is a few MB.
MAX_INFLATED = 64 * 2**20  # bytes, all members together, checked before anything is parsed
MAX_MEMBERS = 10_000


@dataclass
class ReadOptions:
    """Reader settings a user may pass; all optional. One of these travels from an entry
    point (`code`, `iter_code`, `read_for_report`, ...) to every file read."""

    format: str | None = None  # overrides the extension and sniffing
    columns: Mapping[str, str] = field(default_factory=dict)  # table readers: field -> column
    known_labels: set[str] = field(default_factory=set)  # labels named in --roles
    header_row: int | None = None  # table readers: the header's 1-based row (--header-row)
    # speaker label -> role ("Dr. Lee=therapist,Sam=client"); a manifest row's own map wins
    roles: str | Mapping[str, str] | None = None


@dataclass
class Source:
    """What a reader receives for one file.

    Attributes
    ----------
    path : Path
        The file, for messages and the session id (its stem).
    data : bytes
        The file's raw bytes.
    options : ReadOptions
        The user's reader settings (format, columns, roles, header row).
    """

    path: Path
    data: bytes
    options: ReadOptions = field(default_factory=ReadOptions)

    @cached_property
    def decoded(self) -> DecodedText:
        """The file's text, decoded once on first use (see `decode_bytes`).

        Raises
        ------
        InputError
            The file is empty, binary, or not valid in the encoding its BOM names.
        """
        return decode_bytes(self.data, self.path)

    @property
    def text(self) -> str:
        """The decoded text (str); raises `InputError` as `decoded` does."""
        return self.decoded.text

    @property
    def name(self) -> str:
        """The path as text, for `InputError` messages (see `errors.path_text`)."""
        return path_text(self.path)

    def numbered_lines(self) -> list[tuple[int, str]]:
        """The decoded text's lines with their 1-based line numbers.

        Returns
        -------
        list of (int, str)
            (line number, line without its line ending).
        """
        return list(enumerate(self.text.splitlines(), start=1))

    def new_session(
        self, turns: list[Turn], fmt: str, warnings: list[str] | None = None
    ) -> Session:
        """A Session for this file; encoding warnings carried over for text formats.

        Parameters
        ----------
        turns : list of Turn
            The turns read, in order.
        fmt : str
            The format name recorded in ``Session.format`` ("text", "srt", "table", ...).
        warnings : list of str, optional
            The reader's own warnings, added after the decoder's.

        Returns
        -------
        Session
            ``session_id`` is the file's stem (`errors.name_text`: bytes that are
            not UTF-8 read as Windows-1252, with a warning); ``encoding`` is "binary"
            for formats read from bytes (DOCX, XLSX).
        """
        encoding = self.decoded.encoding if "decoded" in self.__dict__ else "binary"
        stem, guessed = name_text(self.path.stem)
        session = Session(
            session_id=stem,
            turns=turns,
            source_path=self.path,
            format=fmt,
            encoding=encoding,
        )
        for message in (self.decoded.warnings if encoding != "binary" else []) + (warnings or []):
            session.warn(message)
        if guessed:
            session.warn(NAME_GUESSED)
        return session


def file_roles(session: Session) -> dict[str, Role]:
    """Roles that the file itself states for its speakers (CHAT headers, JSON `role`).

    Parameters
    ----------
    session : Session
        A session whose ``metadata["speaker_roles"]`` (label -> role name) a reader filled.

    Returns
    -------
    dict of str to Role
        Empty when the file states none.
    """
    return {label: Role(role) for label, role in session.metadata.get("speaker_roles", {}).items()}


def merge_consecutive(turns: list[Turn]) -> list[Turn]:
    """Join consecutive pieces from one speaker (subtitle cues, ASR segments) into a turn.

    A backchannel piece is never merged into the turn before it.

    Parameters
    ----------
    turns : list of Turn
        Turns in order; changed in place (text joined with a space, end time extended,
        indices renumbered from 0).

    Returns
    -------
    list of Turn
        The merged turns.
    """
    merged: list[Turn] = []
    for turn in turns:
        if merged and merged[-1].speaker == turn.speaker and not turn.backchannel:
            last = merged[-1]
            last.text = f"{last.text} {turn.text}".strip()
            last.end = turn.end if turn.end is not None else last.end
            continue
        turn.index = len(merged)
        merged.append(turn)
    return merged


def check_archive(source: Source, what: str) -> None:
    """Refuse a ZIP whose members would inflate past `MAX_INFLATED`, by the sizes its
    directory declares, before any parser sees it (a member that lies about its size is
    cut at the declared size by `zipfile`, and fails its CRC check)."""
    try:
        with zipfile.ZipFile(io.BytesIO(source.data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as err:
        problem = f"not a readable ZIP archive ({err}); expected a {what}"
        raise InputError(source.name, problem) from None
    declared = sum(m.file_size for m in members)
    if declared > MAX_INFLATED or len(members) > MAX_MEMBERS:
        raise InputError(
            source.name,
            f"inflates to {declared / 2**20:,.0f} MB in {len(members):,} parts; expected a "
            f"{what} under {MAX_INFLATED // 2**20} MB unpacked (a ZIP bomb?)",
        )
