"""`deidentify`: transcripts in, pseudonymised transcripts out (the toolkit's JSON
schema, roles and times kept, so every command reads them back), with `entities.csv`
saying what was replaced where. The table from pseudonyms back to the original words is
never written: it would re-identify the corpus."""

from __future__ import annotations

import warnings
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import NAME_GUESSED, InputError
from ..io import renamed_note, safe_file_stem, unique_session_id, write_json, write_table
from ..read.base import ReadOptions
from ..read.formats.jsonfile import session_record
from ..read.inputs import read_inputs
from ..schema import ENTITY_COLUMNS
from ..session import Session
from .ids import relocate
from .pseudonyms import PseudonymTable
from .sessions import Redaction, pseudonymise_sessions


@dataclass
class DeidSummary:
    """What `deidentify` did over a batch.

    Attributes
    ----------
    written : list of Path
        The files written (sessions, entity tables, pseudonym tables).
    identifiers : int
        Identifiers replaced in all.
    failures : list of InputError
        The inputs that could not be read, each with its one-line reason.
    """

    written: list[Path] = field(default_factory=list)
    identifiers: int = 0
    failures: list[InputError] = field(default_factory=list)


def by_client(sessions: list[Session]) -> list[list[Session]]:
    """A client's sessions together (pseudonyms hold across them); sessions without a
    client id each on their own."""
    groups: dict[str, list[Session]] = defaultdict(list)
    alone = []
    for s in sessions:
        (groups[str(s.client_id)] if s.client_id else alone).append(s)
    return [*groups.values(), *([s] for s in alone)]


def alone_note(alone: int, total: int) -> str | None:
    """The warning for a run in which some of several sessions carry no client id: each
    of those is pseudonymised on its own, so one person gets another pseudonym in each
    (and a name found in one is not looked for in the others). None when all have one,
    or there is one session.

    Parameters
    ----------
    alone, total : int
        Sessions without a client id, and all sessions.
    """
    if total < 2 or alone == 0:
        return None
    return (
        f"{alone} of {total} sessions have no client_id: each is pseudonymised on its own, "
        "so the same person gets a different pseudonym in each; give a manifest with a "
        "client_id column to keep a client's pseudonyms across sessions"
    )


def session_json(session: Session) -> dict:
    """The pseudonymised session in the toolkit's JSON schema, marked as de-identified;
    the date is left out (an identifier)."""
    record = session_record(session, date=False)
    record["metadata"]["deidentified"] = True
    return record


def entity_rows(redaction: Redaction) -> list[dict]:
    """One row per identifier replaced in a session, for entities.csv: in the session id,
    in speaker labels, in turn texts. Never the words replaced: where (offsets), what
    kind, which pseudonym.

    Parameters
    ----------
    redaction : Redaction
        What pseudonymising the session did.

    Returns
    -------
    list of dict
        session_id (as written); field: ``session_id`` (an identifier in the id: offsets
        in the original id and in the written one; turn empty), ``speaker`` (a label that
        names someone: one row per label, standing for every turn it speaks; offsets 0 to
        the label's length; turn empty) or ``text`` (turn 0-based, offsets in the
        original turn text and in the redacted one); kind, pseudonym (`[PERSON_1]`),
        start_char, end_char, new_start_char, new_end_char, recognizer.
    """
    rows = [
        {
            "session_id": redaction.session_id,
            "field": "session_id",
            "turn": None,
            "kind": r.found.kind,
            "pseudonym": r.pseudonym,
            "start_char": r.found.start,
            "end_char": r.found.end,
            "new_start_char": r.new_start,
            "new_end_char": r.new_end,
            "recognizer": r.found.recognizer,
        }
        for r in redaction.id_replacements
    ]
    rows += [
        {
            "session_id": redaction.session_id,
            "field": "speaker",
            "turn": None,
            "kind": "PERSON",
            "pseudonym": new,
            "start_char": 0,
            "end_char": len(label),
            "new_start_char": 0,
            "new_end_char": len(new),
            "recognizer": "speaker_label",
        }
        for label, new in redaction.labels.items()
        if new != label
    ]
    for turn, hits in redaction.found.items():
        spans = redaction.offsets[turn].spans
        for (hit, pseudonym), (new_start, new_end, _, _) in zip(hits, spans):
            rows.append(
                {
                    "session_id": redaction.session_id,
                    "field": "text",
                    "turn": turn,
                    "kind": hit.kind,
                    "pseudonym": pseudonym,
                    "start_char": hit.start,
                    "end_char": hit.end,
                    "new_start_char": new_start,
                    "new_end_char": new_end,
                    "recognizer": hit.recognizer,
                }
            )
    return rows


def entity_table(rows: list[dict]) -> pd.DataFrame:
    """entities.csv's table: `ENTITY_COLUMNS`, offsets and turns as whole numbers with
    empty cells (not `3.0`) where a row has none."""
    frame = pd.DataFrame(rows, columns=ENTITY_COLUMNS)
    for column in ("turn", "start_char", "end_char", "new_start_char", "new_end_char"):
        frame[column] = frame[column].astype("Int64")
    return frame


def output_path(out: Path, session_id: str, used: set[str]) -> Path:
    """`out/<stem>.json` for a (pseudonymised) session id: the stem made safe
    (`safe_file_stem`: an id such as '../../x' or '/abs/path' never leaves `out`) and
    unique in the run by the rule `code` uses too (`io.unique_session_id`:
    case-insensitively, `-2`, `-3`, ... in input order).

    Parameters
    ----------
    out : Path
        The output folder.
    session_id : str
        The session's id, pseudonymised.
    used : set of str
        The case-folded stems taken so far in the run; updated in place.

    Returns
    -------
    Path

    Raises
    ------
    InputError
        Should a stem still resolve outside `out` (a guard; `safe_file_stem` prevents it).
    """
    stem = unique_session_id(safe_file_stem(session_id), used)
    path = out / f"{stem}.json"
    if path.resolve().parent != out.resolve():
        raise InputError(f"session id {session_id!r}: not usable as a file name in {out}")
    return path


def deidentify_files(
    files: list[Path],
    out: Path,
    *,
    manifest: Path | None = None,
    on_error=lambda _: None,
    options: ReadOptions | None = None,
) -> DeidSummary:
    """Pseudonymise every readable transcript into `out/<session_id>.json`, one client's
    sessions with one pseudonym table; a file that fails is listed and the rest go on.
    Ids are pseudonymised like the text (`Maya_Johnson_2026-01-05` -> `PERSON_1_DATE_1`),
    then made safe and unique as file names in input order (`output_path`; a renamed
    id is warned about); the written JSON carries the file's stem as its `session_id`.
    `options`: how the files are read (format, roles map, columns)."""
    summary = DeidSummary()
    sessions = list(
        read_inputs(files, manifest, options, failures=summary.failures, on_error=on_error)
    )
    if not sessions:
        return summary
    note = alone_note(sum(not s.client_id for s in sessions), len(sessions))
    if note:
        warnings.warn(note, stacklevel=2)
    out.mkdir(parents=True, exist_ok=True)
    done: dict[int, Redaction] = {}
    for group in by_client(sessions):
        for session, redaction in zip(group, pseudonymise_sessions(group, PseudonymTable())):
            done[id(session)] = redaction
    rows, used = [], set()
    for session in sessions:  # input order: the suffixes `code --redact` gives
        redaction = done[id(session)]
        path = output_path(out, session.session_id, used)
        if path.stem != safe_file_stem(session.session_id):
            warnings.warn(renamed_note(session.session_id, path.stem), stacklevel=2)
        if NAME_GUESSED in session.warnings:
            warnings.warn(f"{path.name}: {NAME_GUESSED}", stacklevel=2)
        session.session_id = redaction.session_id = path.stem  # the file names the session
        redaction.id_replacements = relocate(path.stem, redaction.id_replacements)
        write_json(path, session_json(session), indent=1)
        summary.written.append(path)
        rows += entity_rows(redaction)
    summary.identifiers = len(rows)
    write_table(entity_table(rows), out / "entities.csv")
    return summary
