"""What every reader receives: the file's path and bytes, decoded text on demand, options."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..session import Role, Session, Turn
from .encoding import DecodedText, decode_bytes


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
    path: Path
    data: bytes
    options: ReadOptions = field(default_factory=ReadOptions)

    @cached_property
    def decoded(self) -> DecodedText:
        return decode_bytes(self.data, self.path)

    @property
    def text(self) -> str:
        return self.decoded.text

    @property
    def name(self) -> str:
        return str(self.path)

    def numbered_lines(self) -> list[tuple[int, str]]:
        return list(enumerate(self.text.splitlines(), start=1))

    def new_session(
        self, turns: list[Turn], fmt: str, warnings: list[str] | None = None
    ) -> Session:
        """A Session for this file; encoding warnings carried over for text formats."""
        encoding = self.decoded.encoding if "decoded" in self.__dict__ else "binary"
        session = Session(
            session_id=self.path.stem,
            turns=turns,
            source_path=self.path,
            format=fmt,
            encoding=encoding,
        )
        for message in (self.decoded.warnings if encoding != "binary" else []) + (warnings or []):
            session.warn(message)
        return session


def file_roles(session: Session) -> dict[str, Role]:
    """Roles that the file itself states for its speakers (CHAT headers, JSON `role`)."""
    return {label: Role(role) for label, role in session.metadata.get("speaker_roles", {}).items()}


def merge_consecutive(turns: list[Turn]) -> list[Turn]:
    """Join consecutive pieces from one speaker (subtitle cues, ASR segments) into a turn."""
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
