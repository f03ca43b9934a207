"""JSON and JSON Lines: the toolkit's own schema (`{"session_id", ..., "turns": [...]}`),
Whisper/WhisperX output (`{"segments": [{"start", "end", "text", "speaker"}]}`), a bare list
of turns, or one turn or segment per line (JSONL)."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ...errors import InputError
from ...session import Role, Session, Turn
from ..base import Source, merge_consecutive
from ..labels import MAX_TURN_CHARS


class TurnRecord(BaseModel):
    """A turn in the toolkit's schema, or a diarized ASR segment (extra keys ignored)."""

    model_config = ConfigDict(extra="ignore")
    speaker: str = Field(min_length=1, description="speaker label as in the recording")
    text: str = Field(max_length=MAX_TURN_CHARS, description="what was said")
    role: Role | None = Field(None, description="therapist, client or other, if known")
    start: float | None = Field(None, ge=0, description="seconds from the start")
    end: float | None = Field(None, ge=0, description="seconds from the start")


class SessionRecord(BaseModel):
    """The toolkit's own session file."""

    model_config = ConfigDict(extra="forbid")
    session_id: str | None = None
    client_id: str | None = None
    therapist_id: str | None = None
    session_number: int | None = None
    date: str | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    turns: list[TurnRecord]


def read(source: Source) -> Session:
    if (source.options.format or source.path.suffix.casefold().lstrip(".")) == "jsonl":
        records = _jsonl_records(source)
        return _session(source, _validated(source, records, "line"), "jsonl", first_line=1)
    data = _load(source.text, source)
    if isinstance(data, list):
        return _session(source, _validated(source, data, "turn"), "json")
    if not isinstance(data, dict):
        raise InputError(source.name, "expected a JSON object with 'turns' or 'segments'")
    if "turns" in data:
        try:
            record = SessionRecord.model_validate(data)
        except ValidationError as err:
            raise InputError(source.name, _describe(err)) from None
        session = _session(source, record.turns, "json")
        for key in ("client_id", "therapist_id", "session_number", "date"):
            setattr(session, key, getattr(record, key))
        session.session_id = record.session_id or session.session_id
        session.metadata.update(record.metadata)
        return session
    if "segments" in data and isinstance(data["segments"], list):
        return _session(source, _validated(source, data["segments"], "segment"), "whisper")
    raise InputError(
        source.name,
        f"a JSON object with keys {', '.join(list(data)[:6]) or '(none)'}; expected 'turns' "
        "(the toolkit's schema) or 'segments' (Whisper/WhisperX)",
    )


def _load(text: str, source: Source, where: str | None = None) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        place = where or f"line {err.lineno} column {err.colno}"
        raise InputError(
            source.name, f"invalid JSON ({err.msg}); expected complete JSON", place
        ) from None
    except RecursionError:
        raise InputError(source.name, "JSON nested too deeply; expected turns", where) from None


def _jsonl_records(source: Source) -> list[Any]:
    return [_load(line, source, f"line {n}") for n, line in source.numbered_lines() if line.strip()]


def _validated(source: Source, items: list[Any], unit: str) -> list[TurnRecord]:
    records = []
    for n, item in enumerate(items, start=1 if unit == "line" else 0):
        if not isinstance(item, dict):
            raise InputError(
                source.name, "expected a JSON object with speaker and text", f"{unit} {n}"
            )
        if "speaker" not in item and "text" in item:
            raise InputError(
                source.name,
                "no 'speaker' field; expected diarized segments (e.g. WhisperX with "
                "diarization) or turns with a speaker",
                f"{unit} {n}",
            )
        try:
            records.append(TurnRecord.model_validate(item))
        except ValidationError as err:
            raise InputError(source.name, _describe(err), f"{unit} {n}") from None
    return records


def _session(source: Source, records: list[TurnRecord], fmt: str, first_line: int = 0) -> Session:
    turns = [
        Turn(
            i,
            r.speaker.strip(),
            r.text.strip(),
            start=r.start,
            end=r.end,
            source_line=i + first_line,
        )
        for i, r in enumerate(records)
        if r.text.strip()
    ]
    if not turns:
        raise InputError(source.name, "no turns with text; expected at least one")
    session = source.new_session(merge_consecutive(turns), fmt)
    roles = {r.speaker.strip(): r.role.value for r in records if r.role is not None}
    if roles:
        session.metadata["speaker_roles"] = roles
    return session


def _describe(err: ValidationError) -> str:
    first = err.errors()[0]
    loc = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in first["loc"]).lstrip(".")
    return f"{loc or 'value'}: {first['msg'].lower()}"
