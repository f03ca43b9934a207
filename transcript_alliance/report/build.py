"""From transcript files to a report's content: read the session and its history, code
them, and gather what the page shows. Problems with the history or the self-reports
become notes on the page; only an unreadable session file stops the report."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..comparison.outcomes import read_outcomes
from ..comparison.selfreport import SelfReports, read_self_reports
from ..errors import InputError
from ..io import renamed_note, unique_session_id
from ..read.base import ReadOptions
from ..read.inputs import read_input
from ..read.manifest import read_manifest
from ..run.analysis import SessionResult, analyze_sessions
from ..segment.utterances import segment_sessions
from ..session import Role, Session
from . import content as c
from .findings import look_at, session_type_findings, went_well

# Below this (or with one side silent) the report shows no estimate at all; `code` still
# scores such a session, with a warning (run/scoring.SHORT_SESSION_UTTERANCES).
REPORT_MIN_UTTERANCES = 10


def too_little_speech(session: Session) -> str | None:
    """Why a session cannot be estimated, or None when it can."""
    roles = {u.role for u in session.utterances}
    n, words = len(session.utterances), session.n_words
    if n < REPORT_MIN_UTTERANCES:
        return (
            f"{session.session_id} has too little speech to estimate the alliance "
            f"({n} utterances, {words} words; at least {REPORT_MIN_UTTERANCES} utterances needed)"
        )
    missing = [r.value for r in (Role.THERAPIST, Role.CLIENT) if r not in roles]
    if missing:
        return (
            f"{session.session_id}: no {' or '.join(missing)} speech found, so the alliance "
            "cannot be estimated (the speakers' roles may not have been recognised)"
        )
    return None


def distinct_session_ids(
    sessions: Sequence[Session], paths: Sequence[Path | None] | None = None
) -> list[str]:
    """The session and its history under distinct ids, as `code` makes them
    (`io.unique_session_id`: `-2`, `-3`, ... in order), so that two files never merge into
    one point of the trajectory; the same file given twice keeps one id (and is left out of
    the history as the session reported). Ids are changed in place.

    Parameters
    ----------
    sessions : sequence of Session
        The session reported first, then its history.
    paths : sequence of Path or None, optional
        Each session's file (default: its `source_path`; pass the paths read before
        pseudonymising, which drops them).

    Returns
    -------
    list of str
        One note per renamed session.
    """
    paths = [s.source_path for s in sessions] if paths is None else list(paths)
    used: set[str] = set()
    by_file: dict[Path, str] = {}
    notes = []
    for session, path in zip(sessions, paths):
        key = Path(path).resolve() if path is not None else None
        if key is not None and key in by_file:
            session.session_id = by_file[key]
            continue
        given = session.session_id
        session.session_id = unique_session_id(given, used)
        if session.session_id != given:
            notes.append(renamed_note(given, session.session_id))
        if key is not None:
            by_file[key] = session.session_id
    return notes


def _order(results: list[SessionResult]) -> list[SessionResult]:
    sessions = [r.session for r in results]
    if all(s.session_number is not None for s in sessions):
        return sorted(results, key=lambda r: r.session.session_number)
    if all(s.date for s in sessions):
        return sorted(results, key=lambda r: str(r.session.date))
    return results


def read_for_report(
    file: Path,
    history: Sequence[Path] = (),
    manifest: Path | None = None,
    options: ReadOptions | None = None,
) -> tuple[Session, list[Session], list[str]]:
    """The session (an unreadable one raises InputError), its readable history sessions,
    and a note for each history file that could not be read. A manifest gives each file
    its ids, session number, date and session type; `options` say how files are read
    (format, roles map, columns). Two files with one id get distinct ids
    (`distinct_session_ids`), with a note."""
    listed = {e.path.resolve(): e.metadata for e in read_manifest(manifest)} if manifest else {}

    def read(path: Path) -> Session:
        if not Path(path).is_file():
            raise InputError(path, "no such file")
        metadata = listed.get(Path(path).resolve(), {})
        return read_input(path, metadata, options)

    current = read(Path(file))
    earlier, notes = [], []
    for path in history:
        try:
            earlier.append(read(Path(path)))
        except InputError as error:
            notes.append(f"history file left out: {error}")
    notes += distinct_session_ids([current, *earlier])
    return current, earlier, notes


def build_report(
    current: Session,
    history: Sequence[Session] = (),
    *,
    self_reports: SelfReports | str | Path | None = None,
    client: str | None = None,
    quotes: bool = True,
    notes: Sequence[str] = (),
    session_type: str | None = None,
    outcomes=None,
    **analyze_options,
) -> c.ReportContent:
    """The report's content for `current`, with `history` (earlier sessions of the same
    client) for the trajectory. `session_type` (psychotherapy, medication, team) overrides
    each session's own (from the manifest); `outcomes` (an `Outcomes` or a CSV path) puts
    symptom scores beside the trajectory. `analyze_options` go to `analyze_sessions`."""
    notes = list(notes)
    client = client or current.client_id
    if client is not None and current.client_id not in (None, client):
        notes.append(
            f"{current.session_id} belongs to client {current.client_id}, "
            f"not {client}; the report follows the session's own client"
        )
        client = current.client_id
    kept = []
    for s in history:
        if client is not None and s.client_id not in (None, client):
            notes.append(
                f"history session {s.session_id} left out: it belongs to client "
                f"{s.client_id}, not {client}"
            )
        elif s.session_id == current.session_id:
            notes.append(f"history session {s.session_id} left out: it is the session reported")
        else:
            kept.append(s)
    segment_sessions([current, *kept])
    reason = too_little_speech(current)
    scorable = [s for s in kept if not too_little_speech(s)]
    notes += [f"history: {too_little_speech(s)}; left out" for s in kept if s not in scorable]
    heading = {
        "client": client,
        "therapist": current.therapist_id,
        "date": current.date,
        "session_number": current.session_number,
        "utterances": len(current.utterances),
        "words": current.n_words,
        "source": current.source_path.name if current.source_path else current.session_id,
    }
    if isinstance(self_reports, str | Path):
        self_reports = read_self_reports(self_reports)
    to_code = scorable if reason else [*scorable, current]
    results = _analyze(to_code, session_type, **analyze_options)
    report = c.ReportContent(
        session_id=current.session_id,
        heading=heading,
        scorable=reason is None,
        notes=notes,
        warnings=c.for_clinician(list(current.warnings)),
        quotes=quotes,
    )
    if reason:
        report.notes.insert(0, reason)
    else:
        result = results[-1]
        report.warnings = c.for_clinician([*result.warnings, *current.warnings])
        evidence = c.evidence_table(result)
        report.components = c.component_readings(result)
        report.interval_note = c.interval_note(report.components)
        report.timeline = c.timeline(result, evidence)
        report.episodes, report.repair_turns = c.episodes(result, evidence)
        report.balance = c.balance(result)
        report.session_type = result.session_type
        report.dyads = result.dyads.to_dict(orient="records") if len(result.dyads) > 1 else []
        report.skills, report.skill_columns, report.skill_counts = c.skills(result)
        report.went_well = went_well(result, report.components, report.episodes, evidence)
        report.look_at = look_at(result, report.components, report.episodes, evidence)
        good, look = session_type_findings(result, evidence)
        report.went_well += good
        report.look_at += look
    ordered = _order(results)
    if isinstance(outcomes, str | Path):
        outcomes = read_outcomes(outcomes)
    report.trajectory = c.trajectory(
        ordered, results[-1] if not reason else None, self_reports, outcomes
    )
    if self_reports is not None:
        report.self_report_note = _self_report_note(self_reports, report, client)
    return report


def _analyze(sessions: list[Session], session_type: str | None, **options) -> list[SessionResult]:
    """Each session coded through the pipeline of its type (`session_type` for all when
    given, else each session's own), results in input order."""
    return analyze_sessions(sessions, session_type=session_type, **options)


def _self_report_note(reports: SelfReports, report: c.ReportContent, client: str | None) -> str:
    matched = sum(bool(p.self_reports) for p in report.trajectory)
    if matched:
        scale = (
            ""
            if reports.instrument.on_wai_sr_metric
            else (f" ({reports.instrument.name} rescaled onto 1-5 to sit beside the estimates)")
        )
        return f"{matched} session(s) with self-reports{scale}."
    held = sorted({str(x) for x in reports.frame.get("client_id", []) if x == x and x})
    if client and held:
        return (
            f"The self-report file has no ratings for client {client} (it holds "
            f"{', '.join(held[:5])}); none are shown."
        )
    return "No self-report in the file matches these sessions; none are shown."
