"""The main job, `code` (estimates per session), and what uses its sessions table:
`calibrate` and `compare`; each a call into the library with the same name and arguments."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .options import (
    Backend,
    ClassifierOpt,
    CodebookOpt,
    ColumnsOpt,
    EstimatorOpt,
    Files,
    FormatOpt,
    HeaderRowOpt,
    InstrumentOpt,
    ManifestOpt,
    Rater,
    RaterOpt,
    RedactOpt,
    ReportsArg,
    RolesOpt,
    SessionsArg,
    SessionTypeOpt,
    Target,
    value,
)
from .output import as_flags, stderr, warn, warnings_as_lines
from .progress import batch_progress
from .reading import parse_columns, with_header_row


def code(
    files: Files = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for the output tables.")] = Path(
        "coded"
    ),
    classifier: ClassifierOpt = "default",
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
        Backend, typer.Option("--backend", help="local (processes) or dask (the [dask] extra).")
    ] = Backend.LOCAL,
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
    redact: RedactOpt = False,
    session_type: SessionTypeOpt = None,
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
    from ..run.coding import code as run

    with warnings_as_lines(), batch_progress(quiet) as on_outcome:
        summary = run(
            files or [],
            out,
            manifest=manifest,
            classifier=None if classifier.casefold() == "none" else classifier,
            markers=markers,
            estimator=estimator,
            codebook=codebook,
            resamples=resamples,
            fmt=value(fmt),
            roles=roles,
            columns=parse_columns(columns),
            workers=workers,
            backend=str(value(backend)),
            scheduler=scheduler,
            resume=resume,
            fail_fast=fail_fast,
            redact=redact,
            session_type=value(session_type),
            on_outcome=on_outcome,
            freeze_gc=True,  # the CLI's process is the toolkit's own (see `run.coding.code`)
        )
    for _, error in summary.failures:
        stderr.print(f"error: {as_flags(error)}", markup=False)
    if fail_fast and summary.failures:
        stderr.print("stopped at the first failure (--fail-fast); outputs not written")
        raise typer.Exit(1)
    if not summary.sessions and not summary.resumed:
        where = f"; listed in {out}/errors.csv" if summary.written else ""
        stderr.print(f"no file could be coded; no tables written{where}")
        raise typer.Exit(2)
    resumed = f", {summary.resumed} resumed" if summary.resumed else ""
    stderr.print(
        f"{summary.sessions} session(s){resumed}, {summary.utterances} utterances, "
        f"{summary.ruptures} rupture episode(s) -> {out}/"
    )
    if summary.warnings:  # each session's codes are in its row (docs/COLUMNS.md)
        counts = ", ".join(f"{code} {n}" for code, n in sorted(summary.warnings.items()))
        stderr.print(f"sessions with warnings: {counts} (column `warnings` of sessions.csv)")
    if summary.failures:
        stderr.print(f"{len(summary.failures)} file(s) failed; listed in {out}/errors.csv")
        raise typer.Exit(1)


def calibrate(
    sessions: SessionsArg,
    selfreports: ReportsArg,
    out: Annotated[Path, typer.Option("--out", help="Estimator JSON to write.")] = Path(
        "estimator.json"
    ),
    target: Annotated[Target, typer.Option("--target", help="What to refit.")] = Target.ALL,
    groups: Annotated[
        str, typer.Option("--groups", help="Column whose values form the CV folds.")
    ] = "client_id",
    instrument: InstrumentOpt = None,
    rater: RaterOpt = Rater.CLIENT,
    estimator: EstimatorOpt = None,
) -> None:
    """Refit the estimator's weights to local self-reports (ridge, cross-validated with
    folds grouped by client) and save them for `code --estimator`.

    Example: transcript-alliance calibrate coded/sessions.csv selfreports.csv --out est.json
    """
    from ..estimate.calibration import calibrate as run

    result = run(
        sessions,
        selfreports,
        out=out,
        target=value(target),
        groups=groups,  # type: ignore[arg-type]
        instrument=instrument,
        rater=str(value(rater)),
        estimator=estimator,
    )
    for name, fit in result.components.items():
        stderr.print(
            f"{name} (vs {fit.target}, {fit.sessions} sessions, {fit.folds} folds by "
            f"{groups}): calibrated CV r {_f(fit.calibrated_r)}, MAE {_f(fit.calibrated_mae)}; "
            f"default r {_f(fit.default_r)}, MAE {_f(fit.default_mae)}; kept: {fit.kept}"
        )
    for line in result.warnings:
        stderr.print(f"warning: {line}", markup=False)
    stderr.print(f"estimator written to {out}")


def _f(number: float | None) -> str:
    return "-" if number is None or number != number else f"{number:.2f}"


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
            help="Symptom measures (gad7, phq9, oasis, ...) by client: per session or "
            "pre/post; adds the alliance-outcome analyses.",
        ),
    ] = None,
) -> None:
    """Estimates against self-reports: Pearson, Spearman, ICC, Bland-Altman, MAE,
    repeated-measures correlation, a multilevel model; tables, plots and a summary. With
    --outcomes: early alliance against symptom change, and within-client lagged links.

    Example: transcript-alliance compare coded/sessions.csv selfreports.csv --out cmp
    """
    from ..comparison.compare import compare as run

    result = run(sessions, selfreports, out=out, instrument=instrument, outcomes=outcomes)
    for note in result.notes:
        warn(note)
    for r in result.agreement.itertuples():
        stderr.print(
            f"{r.rater} {r.component}: n {r.n}, r {_f(r.pearson_r)} "
            f"[{_f(r.pearson_low)}, {_f(r.pearson_high)}]",
            markup=False,
        )
    if len(result.outcomes):
        totals = result.outcomes[result.outcomes["component"] == "total"]
        for (measure, analysis), rows in totals.groupby(["measure", "analysis"], sort=False):
            shown = rows[rows["statistic"].isin(["pearson r", "within slope"])]
            if len(shown):
                s = shown.iloc[0]
                name = "r" if s["statistic"] == "pearson r" else "within slope"
                line = f"{name} {_f(s['estimate'])} [{_f(s['ci_low'])}, {_f(s['ci_high'])}]"
            else:
                line = str(rows.iloc[0]["note"] or "")
            stderr.print(f"{measure} {analysis}: {line}", markup=False)
    stderr.print(f"comparison written to {out}/")
