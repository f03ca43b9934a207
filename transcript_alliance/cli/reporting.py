"""The clinician's commands: `report` (an HTML page) and `feedback` (the terminal)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..read.base import ReadOptions
from ..read.inputs import require_inputs
from .options import (
    ClassifierOpt,
    ColumnsOpt,
    EstimatorOpt,
    FileArg,
    Files,
    FormatOpt,
    HeaderRowOpt,
    HistoryOpt,
    InstrumentOpt,
    ManifestOpt,
    QuotesOpt,
    RedactOpt,
    RolesOpt,
    SessionTypeOpt,
    value,
)
from .output import finish, stderr, stdout, warn, warnings_as_lines
from .output import report as report_error
from .reading import parse_columns, with_header_row


def _content(file: Path, history, *, manifest, read: dict, redact: bool, classifier: str, **build):
    """Read, optionally pseudonymise, and build the report's content, and whether a history
    file could not be read (ids renamed apart are notes, not failures)."""
    from ..report import build_report, read_for_report

    current, earlier, notes = read_for_report(
        file,
        history or [],
        manifest,
        ReadOptions(
            format=value(read["fmt"]), roles=read["roles"], columns=parse_columns(read["columns"])
        ),
    )
    for note in notes:
        warn(note)
    failed = any(n.startswith("history file left out") for n in notes)
    if redact:
        from ..deid import pseudonymise_sessions
        from ..report.build import distinct_session_ids

        paths = [s.source_path for s in (current, *earlier)]
        pseudonymise_sessions([current, *earlier])
        for note in distinct_session_ids([current, *earlier], paths):  # ids made alike
            warn(note)
            notes.append(note)
    content = build_report(
        current,
        earlier,
        notes=notes,
        classifier=None if classifier.casefold() == "none" else classifier,
        **build,
    )
    return content, failed


def report(
    file: FileArg,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="The HTML file to write (default: report.html, or report-2.html, ... "
            "where that exists).",
        ),
    ] = None,
    history: HistoryOpt = None,
    self_reports: Annotated[
        Path | None,
        typer.Option("--self-reports", help="Self-report CSV shown beside the estimates."),
    ] = None,
    instrument: InstrumentOpt = None,
    outcomes: Annotated[
        Path | None,
        typer.Option(
            "--outcomes", help="Symptom scores (gad7, phq9, ...) shown beside the trajectory."
        ),
    ] = None,
    client: Annotated[
        str | None, typer.Option("--client", help="Client id (default: the session's own).")
    ] = None,
    quotes: QuotesOpt = True,
    redact: RedactOpt = False,
    session_type: SessionTypeOpt = None,
    classifier: ClassifierOpt = "default",
    estimator: EstimatorOpt = None,
    manifest: ManifestOpt = None,
    fmt: FormatOpt = None,
    roles: RolesOpt = None,
    columns: ColumnsOpt = None,
    header_row: HeaderRowOpt = None,
) -> None:
    """A self-contained HTML page for a clinician: Goal, Task and Bond in plain words, the
    trajectory across sessions, ruptures and repairs, talk balance, and the quotes behind
    them. Nothing is fetched from anywhere; print it to PDF from the browser. Exit status 1
    when a history file could not be read (the page is written and says so).

    Example: transcript-alliance report s4.json --history s1.txt --history s2.txt --out r.html
    """
    columns = with_header_row(columns, header_row)
    from ..comparison.outcomes import read_outcomes
    from ..comparison.selfreport import read_self_reports
    from ..report import write_report

    reports = read_self_reports(self_reports, instrument) if self_reports else None
    symptoms = read_outcomes(outcomes) if outcomes else None
    content, failed = _content(
        file,
        history,
        manifest=manifest,
        read={"fmt": fmt, "roles": roles, "columns": columns},
        redact=redact,
        classifier=classifier,
        estimator=estimator,
        self_reports=reports,
        outcomes=symptoms,
        client=client,
        quotes=quotes,
        session_type=value(session_type),
    )
    if content.self_report_note and "no ratings" in content.self_report_note:
        warn(content.self_report_note)
    if out is None:  # never replace an earlier page unasked
        from ..report.render import unused_path

        out = unused_path("report.html")
        if out.name != "report.html":
            stderr.print(f"report.html exists (kept); writing {out} (--out names the file)")
    write_report(content, out)
    stderr.print(f"report written to {out}")
    if failed:
        raise typer.Exit(1)


def feedback(
    file: FileArg,
    history: HistoryOpt = None,
    quotes: QuotesOpt = True,
    redact: RedactOpt = False,
    session_type: SessionTypeOpt = None,
    classifier: ClassifierOpt = "default",
    estimator: EstimatorOpt = None,
    manifest: ManifestOpt = None,
    fmt: FormatOpt = None,
    roles: RolesOpt = None,
    columns: ColumnsOpt = None,
    header_row: HeaderRowOpt = None,
) -> None:
    """The report's summary in the terminal: the estimates, talk balance, what went well,
    what to look at, each clinician's alliance where there are several, and ruptures.

    Example: transcript-alliance feedback data/samples/sessions/maya_02.docx
    """
    columns = with_header_row(columns, header_row)
    from ..report import print_feedback

    content, _ = _content(
        file,
        history,
        manifest=manifest,
        read={"fmt": fmt, "roles": roles, "columns": columns},
        redact=redact,
        classifier=classifier,
        estimator=estimator,
        quotes=quotes,
        session_type=value(session_type),
    )
    print_feedback(content, stdout, quotes=quotes)


def deidentify(
    files: Files = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for the pseudonymised files.")] = Path(
        "deidentified"
    ),
    manifest: ManifestOpt = None,
    fmt: FormatOpt = None,
    roles: RolesOpt = None,
    columns: ColumnsOpt = None,
    header_row: HeaderRowOpt = None,
) -> None:
    """Pseudonymise transcripts: names, places, organisations, dates, ages over 89, phone
    numbers, emails, addresses and IDs become [PERSON_1], [LOCATION_2], ... consistently
    across a client's sessions (client ids from --manifest) and in speaker labels. Writes
    one JSON transcript per session and entities.csv (what was replaced where, never the
    original words). Needs the [deid] extra.

    Example: transcript-alliance deidentify --manifest data/samples/manifest.csv --out deid
    """
    columns = with_header_row(columns, header_row)
    from ..deid import deidentify_files

    require_inputs(files or [], manifest)
    with warnings_as_lines():  # renamed ids, file names that are not UTF-8
        summary = deidentify_files(
            files or [],
            out,
            manifest=manifest,
            on_error=report_error,
            options=ReadOptions(format=value(fmt), roles=roles, columns=parse_columns(columns)),
        )
    if summary.written:
        stderr.print(
            f"{len(summary.written)} session(s), {summary.identifiers} identifier(s) "
            f"replaced -> {out}/"
        )
    else:
        stderr.print("no file could be read; nothing written")
    finish(summary.failures)
