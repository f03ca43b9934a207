"""JSON and JSON Lines: the toolkit's own schema (`{"session_id", ..., "turns": [...]}`),
Whisper/WhisperX output (`{"segments": [{"start", "end", "text", "speaker"}]}`), a bare list
of turns, or one turn or segment per line (JSONL). Places in messages are 1-based."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ...errors import InputError
from ...io import validation_message
from ...session import Role, Session, Turn
from ..base import Source, merge_consecutive
from ..labels import MAX_TURN_CHARS

UNKNOWN_SPEAKER = "UNKNOWN"  # a segment the diarization left without a speaker


class TurnRecord(BaseModel):
    """A turn in the toolkit's schema, or a diarized ASR segment (extra keys ignored).

    Attributes
    ----------
    speaker : str
        The speaker label (non-empty).
    role : Role or None
        therapist, client or other, when known.
    text : str
        What was said (at most `MAX_TURN_CHARS` characters).
    start, end : float or None
        Seconds from the start of the recording (>= 0).
    """

    model_config = ConfigDict(extra="ignore")
    speaker: str = Field(min_length=1, description="speaker label as in the recording")
    role: Role | None = Field(None, description="therapist, client or other, if known")
    text: str = Field(max_length=MAX_TURN_CHARS, description="what was said")
    start: float | None = Field(None, ge=0, description="seconds from the start")
    end: float | None = Field(None, ge=0, description="seconds from the start")


class SessionRecord(BaseModel):
    """The toolkit's own session file (read here, written by `session_record`).

    Unknown keys are refused (``extra="forbid"``), so a misspelt key is an error, not
    silently dropped.

    Attributes
    ----------
    session_id, client_id, therapist_id, date : str or None
        Identifiers and the ISO date.
    session_number : int or None
        The session's number in the client's treatment (1-based).
    metadata : dict
        Reader metadata (roles, layout, ...).
    turns : list of TurnRecord
        The turns in order.
    """

    model_config = ConfigDict(extra="forbid")
    session_id: str | None = None
    client_id: str | None = None
    therapist_id: str | None = None
    session_number: int | None = None
    date: str | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    turns: list[TurnRecord]


def session_record(session: Session, *, date: bool = True) -> dict[str, Any]:
    """A session in the toolkit's own JSON schema (`SessionRecord`), which `read` reads
    back with its turns, roles, times and metadata.

    Parameters
    ----------
    session
        Any session, read or built.
    date
        Keep the session's date (`deidentify` leaves it out: a date is an identifier).

    Returns
    -------
    dict
        JSON-ready: ``session_id, client_id, therapist_id, session_number, [date,]
        metadata, turns`` (each ``speaker, role, text, start, end``; times in seconds).
    """
    turns = [
        TurnRecord.model_construct(
            speaker=t.speaker, role=t.role, text=t.text, start=t.start, end=t.end
        )
        for t in session.turns
    ]
    record = SessionRecord.model_construct(
        session_id=session.session_id,
        client_id=session.client_id,
        therapist_id=session.therapist_id,
        session_number=session.session_number,
        date=session.date,
        metadata=dict(session.metadata),
        turns=turns,
    )
    return record.model_dump(mode="json", exclude=None if date else {"date"})


def read(source: Source) -> Session:
    """Read a JSON or JSON Lines transcript.

    Accepted shapes: the toolkit's own session file (`SessionRecord`), a list of turns, an
    ASR output with ``segments`` (WhisperX and similar; each with speaker, text, start,
    end in seconds), or JSON Lines with a turn per line.

    Parameters
    ----------
    source : Source
        The file and its options (format "jsonl" or a .jsonl suffix selects JSON Lines).

    Returns
    -------
    Session
        One turn per record (consecutive records of one speaker merged); roles given in
        the records go to ``metadata["speaker_roles"]``.

    Raises
    ------
    InputError
        Invalid JSON, JSON nested too deeply, a shape other than the above, a record that
        fails validation (the message names the 1-based turn or line), or no turn with
        text.
    """
    if (source.options.format or source.path.suffix.casefold().lstrip(".")) == "jsonl":
        numbered = [(n, line) for n, line in source.numbered_lines() if line.strip()]
        records = [_load(line, source, f"line {n}") for n, line in numbered]
        valid = _validated(source, records, "line", [n for n, _ in numbered])
        return _session(source, valid, "jsonl", "a turn per line")
    data = _load(source.text, source)
    if isinstance(data, list):
        return _session(source, _validated(source, data, "turn"), "json", "a list of turns")
    if not isinstance(data, dict):
        raise InputError(source.name, "expected a JSON object with 'turns' or 'segments'")
    if "turns" in data:
        try:
            record = SessionRecord.model_validate(data)
        except ValidationError as err:
            raise InputError(source.name, validation_message(err)) from None
        session = _session(source, record.turns, "json", "the toolkit's session schema")
        for key in ("client_id", "therapist_id", "session_number", "date"):
            setattr(session, key, getattr(record, key))
        session.session_id = record.session_id or session.session_id
        session.metadata.update(record.metadata)
        return session
    if "segments" in data and isinstance(data["segments"], list):
        segments, warnings = _diarized(source, data["segments"])
        records = _validated(source, segments, "segment")
        session = _session(source, records, "whisper", "diarized Whisper/WhisperX segments")
        for warning in warnings:
            session.warn(warning)
        if any(seg.get("speaker") == UNKNOWN_SPEAKER for seg in segments):
            session.metadata.setdefault("speaker_roles", {})[UNKNOWN_SPEAKER] = Role.OTHER.value
        return session
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


def _diarized(source: Source, segments: list[Any]) -> tuple[list[Any], list[str]]:
    """WhisperX segments, each with a speaker. A segment without one (diarization left a
    short piece unassigned) takes the speaker most of its words carry, else the speaker of
    both its neighbours when they agree, else `UNKNOWN_SPEAKER`; each such segment is named
    (1-based) in a warning. Output with no speaker anywhere (plain Whisper) is refused."""
    objects = [seg for seg in segments if isinstance(seg, dict)]
    if objects and not any(seg.get("speaker") or _word_speaker(seg) for seg in objects):
        raise InputError(
            source.name,
            f"no speaker in any of the {len(segments)} segments: Whisper output without "
            "diarization cannot tell therapist from client; a diarized transcript would help "
            "(e.g. WhisperX run with diarization, which gives each segment a 'speaker')",
            "segment 1",
        )
    filled: list[Any] = []
    notes: list[str] = []
    for i, seg in enumerate(segments):
        if not isinstance(seg, dict) or seg.get("speaker") or "text" not in seg:
            filled.append(seg)
            continue
        speaker, how = _guess_speaker(seg, segments, i)
        notes.append(f"segment {i + 1} ({str(seg.get('text', '')).strip()[:30]!r}): {how}")
        filled.append({**seg, "speaker": speaker})
    if not notes:
        return filled, []
    more = f"; and {len(notes) - 10} more" if len(notes) > 10 else ""
    return filled, [f"{len(notes)} segment(s) without a 'speaker': {'; '.join(notes[:10])}{more}"]


def _word_speaker(segment: dict[str, Any]) -> str | None:
    words = segment.get("words")
    if not isinstance(words, list):
        return None
    speakers = Counter(
        w["speaker"] for w in words if isinstance(w, dict) and isinstance(w.get("speaker"), str)
    )
    return speakers.most_common(1)[0][0] if speakers else None


def _guess_speaker(segment: dict[str, Any], segments: list[Any], i: int) -> tuple[str, str]:
    if speaker := _word_speaker(segment):
        return speaker, f"read as {speaker}, the speaker of its words"
    before = next((s.get("speaker") for s in reversed(segments[:i]) if _has_speaker(s)), None)
    after = next((s.get("speaker") for s in segments[i + 1 :] if _has_speaker(s)), None)
    if before and before == after:
        return before, f"read as {before}, the speaker before and after it"
    return UNKNOWN_SPEAKER, (
        f"read as {UNKNOWN_SPEAKER} (role other): its neighbours differ "
        f"({before or 'none'} before, {after or 'none'} after)"
    )


def _has_speaker(segment: Any) -> bool:
    return isinstance(segment, dict) and bool(segment.get("speaker"))


def _validated(
    source: Source, items: list[Any], unit: str, numbers: list[int] | None = None
) -> list[TurnRecord]:
    """Each item checked as a turn; errors name the 1-based segment, turn or file line."""
    records = []
    for n, item in zip(numbers or range(1, len(items) + 1), items):
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
            raise InputError(source.name, validation_message(err), f"{unit} {n}") from None
    return records


def _session(source: Source, records: list[TurnRecord], fmt: str, layout: str) -> Session:
    turns = [
        Turn(
            i,
            r.speaker.strip(),
            r.text.strip(),
            start=r.start,
            end=r.end,
            source_line=i + 1,
        )
        for i, r in enumerate(records)
        if r.text.strip()
    ]
    if not turns:
        raise InputError(source.name, "no turns with text; expected at least one")
    session = source.new_session(merge_consecutive(turns), fmt)
    session.metadata["layout"] = layout
    roles = {r.speaker.strip(): r.role.value for r in records if r.role is not None}
    if roles:
        session.metadata["speaker_roles"] = roles
    return session
