"""The main job: `code` (estimates per session), and later `calibrate` and `compare`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from ..errors import InputError, OptionError
from ..estimate.estimator import load_estimator
from ..run.coding import code as run_code
from ..session_types import SessionType
from .common import (
    CodebookOpt,
    ColumnsOpt,
    Files,
    FormatOpt,
    HeaderRowOpt,
    ManifestOpt,
    RolesOpt,
    app,
    parse_columns,
    stderr,
    with_header_row,
)  # fmt: skip
from .progress import batch_progress

EstimatorOpt = Annotated[
    Path | None,
    typer.Option("--estimator", help="Estimator JSON from `calibrate` (default: packaged)."),
]


@app.command()
def code(
    files: Files = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for the output tables.")] = Path(
        "coded"
    ),
    classifier: Annotated[
        str,
        typer.Option("--classifier", help="default, fast, a model folder, or none (rules only)."),
    ] = "default",
    markers: Annotated[
        bool, typer.Option("--markers/--no-markers", help="Use the rule markers.")
    ] = True,
    estimator: EstimatorOpt = None,
    resamples: Annotated[
        int, typer.Option("--resamples", help="Bootstrap resamples for the 90% intervals.")
    ] = 500,
    workers: Annotated[
        int | None, typer.Option("--workers", help="Processes (default: the cores available).")
    ] = None,
    backend: Annotated[
        str, typer.Option("--backend", help="local (processes) or dask (the [dask] extra).")
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Dask scheduler address (default: a local cluster)."),
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Skip files already coded with these settings.")
    ] = False,
    fail_fast: Annotated[
        bool, typer.Option("--fail-fast", help="Stop at the first file that fails.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress output.")] = False,
    redact: Annotated[
        bool,
        typer.Option(
            "--redact",
            help="Pseudonymise names, places, dates and other identifiers "
            "before coding (the [deid] extra); markers keep original offsets.",
        ),
    ] = False,
    session_type: Annotated[
        SessionType,
        typer.Option(
            "--session-type",
            help="The codes and weights that fit (a manifest's session_type column wins).",
        ),
    ] = SessionType.PSYCHOTHERAPY,
    manifest: ManifestOpt = None,
    fmt: FormatOpt = None,
    roles: RolesOpt = None,
    columns: ColumnsOpt = None,
    header_row: HeaderRowOpt = None,
    codebook: CodebookOpt = None,
) -> None:
    """Goal, Task, Bond and Total per session (WAI-SR metric, 1-5) with 90% intervals,
    the utterances behind each, and rupture episodes, for many sessions: streamed, in
    parallel, resumable. Exit status 0 when every file was coded, 1 when some failed.

    Example: transcript-alliance code --manifest data/samples/manifest.csv --out coded
    """
    columns = with_header_row(columns, header_row)
    use_classifier = classifier.casefold() != "none"
    if resamples < 50:
        raise OptionError(f"--resamples {resamples}: expected 50 or more")
    if not files and manifest is None:
        raise OptionError("no input: name transcript files or folders, or pass --manifest")
    n_workers = workers or len(os.sched_getaffinity(0))
    if n_workers < 1:
        raise OptionError(f"--workers {workers}: expected 1 or more")
    with batch_progress(quiet) as on_outcome:
        summary = run_code(
            files or [], out, manifest=manifest, classifier=classifier if use_classifier
            else None, markers=markers, estimator=estimator, codebook=codebook,
            resamples=resamples, fmt=fmt, roles=roles, columns=parse_columns(columns),
            workers=n_workers, backend=backend, scheduler=scheduler, resume=resume,
            fail_fast=fail_fast, redact=redact, session_type=session_type,
            on_outcome=on_outcome, freeze_gc=True,  # the CLI's process is the toolkit's own
        )  # fmt: skip
    for _, error in summary.failures:
        stderr.print(f"error: {error}", markup=False)
    if fail_fast and summary.failures:
        stderr.print("stopped at the first failure (--fail-fast); outputs not written")
        raise typer.Exit(1)
    if not summary.written:
        stderr.print("no file could be coded; nothing written")
        raise typer.Exit(2)
    resumed = f", {summary.resumed} resumed" if summary.resumed else ""
    stderr.print(
        f"{summary.sessions} session(s){resumed}, {summary.utterances} utterances, "
        f"{summary.ruptures} rupture episode(s) -> {out}/"
    )
    if summary.failures:
        stderr.print(f"{len(summary.failures)} file(s) failed; listed in {out}/errors.csv")
        raise typer.Exit(1)


SessionsArg = Annotated[Path, typer.Argument(help="sessions.csv (or .parquet) from `code`.")]
ReportsArg = Annotated[
    Path, typer.Argument(help="Self-report CSV: session_id (or client_id + session_number), "
                         "items or subscales.")
]  # fmt: skip
InstrumentOpt = Annotated[
    str | None,
    typer.Option("--instrument", help="wai-sr, wai-s, srs, haq-ii, or an instrument YAML "
                 "(default: guessed from the item columns)."),
]  # fmt: skip
RaterOpt = Annotated[
    str, typer.Option("--rater", help="Whose ratings: client, therapist, observer.")
]


def _read_sessions(path: Path):
    import pandas as pd

    try:
        if path.suffix.casefold() == ".parquet":
            return pd.read_parquet(path)
        return pd.read_csv(path)
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except (ValueError, pd.errors.ParserError) as err:
        raise InputError(path, f"could not be read as a sessions table ({err})") from None


@app.command()
def calibrate(
    sessions: SessionsArg,
    selfreports: ReportsArg,
    out: Annotated[Path, typer.Option("--out", help="Estimator JSON to write.")] = Path(
        "estimator.json"
    ),
    target: Annotated[
        str, typer.Option("--target", help="goal, task, bond, total, or all (default).")
    ] = "all",
    groups: Annotated[
        str, typer.Option("--groups", help="Column whose values form the CV folds.")
    ] = "client_id",
    instrument: InstrumentOpt = None,
    rater: RaterOpt = "client",
    estimator: EstimatorOpt = None,
) -> None:
    """Refit the estimator's weights to local self-reports (ridge, cross-validated with
    folds grouped by client) and save them for `code --estimator`.

    Example: transcript-alliance calibrate coded/sessions.csv selfreports.csv --out est.json
    """
    from ..comparison.selfreport import read_self_reports
    from ..estimate.fitting import calibrate as fit
    from ..io import write_json

    if target not in {"all", "goal", "task", "bond", "total"}:
        raise OptionError(f"--target {target}: expected goal, task, bond, total or all")
    reports = read_self_reports(selfreports, instrument)
    table = _read_sessions(sessions)
    fitted, report = fit(
        table, reports, load_estimator(estimator),
        targets=None if target == "all" else [target], group_column=groups, rater=rater,
    )  # fmt: skip
    out.parent.mkdir(parents=True, exist_ok=True)
    write_json(out, fitted.model_dump(mode="json"))
    for component, r in report["components"].items():
        cal, base = r["calibrated_cv"], r["default"]
        stderr.print(
            f"{component} (vs {r['target']}, {r['sessions']} sessions, {r['folds']} folds by "
            f"{groups}): calibrated CV r {_f(cal['r'])}, MAE {_f(cal['mae'])}; default r "
            f"{_f(base['r'])}, MAE {_f(base['mae'])}"
        )
    stderr.print(f"estimator written to {out}")


def _f(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


@app.command()
def compare(
    sessions: SessionsArg,
    selfreports: Annotated[
        Path | None,
        typer.Argument(
            help="Self-report CSV: session_id (or client_id + session_number), "
            "items or subscales. Optional with --outcomes.",
            show_default=False,
        ),
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for the comparison.")] = Path(
        "comparison"
    ),
    instrument: InstrumentOpt = None,
    outcomes: Annotated[
        Path | None,
        typer.Option(
            "--outcomes",
            help="Symptom measures (gad7, phq9, oasis, ...) by client: "
            "per session or pre/post; adds the alliance-outcome analyses.",
        ),
    ] = None,
) -> None:
    """Estimates against self-reports: Pearson, Spearman, ICC, Bland-Altman, MAE,
    repeated-measures correlation, a multilevel model; tables, plots and a summary. With
    --outcomes: early alliance against symptom change, and within-client lagged links.

    Example: transcript-alliance compare coded/sessions.csv selfreports.csv --out cmp
    """
    from ..comparison.agreement import compare_reports
    from ..comparison.files import write_comparison, write_outcome_comparison
    from ..comparison.outcomes import alliance_outcome, read_outcomes
    from ..comparison.selfreport import read_self_reports

    if selfreports is None and outcomes is None:
        raise OptionError("nothing to compare: name a self-report file, --outcomes, or both")
    table = _read_sessions(sessions)
    if selfreports is not None:
        reports = read_self_reports(selfreports, instrument)
        for note in reports.notes:
            stderr.print(f"warning: {note}", markup=False)
        results = compare_reports(table, reports)
        write_comparison(table, reports, results, out)
        for r in results:
            pear = r.get("pearson") or {}
            ci = pear.get("ci95") or [None, None]
            stderr.print(f"{r['rater']} {r['component']}: n {r['n']}, r {_f(pear.get('r'))} "
                         f"[{_f(ci[0])}, {_f(ci[1])}]")  # fmt: skip
    if outcomes is not None:
        measures = read_outcomes(outcomes)
        links = alliance_outcome(table, measures)
        write_outcome_comparison(links, measures, out)
        for r in links:
            if r["component"] != "total":
                continue
            figure = r.get("pearson") or r.get("within")
            name = "r" if "pearson" in r else "within slope"
            shown = (f"{name} {_f(figure.get('r', figure.get('slope')))} [{_f(figure['ci95'][0])}, "
                     f"{_f(figure['ci95'][1])}]" if figure else r.get("note", ""))  # fmt: skip
            stderr.print(f"{r['measure']} {r['analysis']}: {shown}", markup=False)
    stderr.print(f"comparison written to {out}/")
