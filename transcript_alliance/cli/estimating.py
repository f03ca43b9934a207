"""The main job: `code` (estimates per session), and later `calibrate` and `compare`."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from ..analyze import analyze_sessions
from ..classifier import resolve_model_path
from ..coding import hashes, write_outputs
from ..errors import InputError, OptionError
from ..estimate import load_estimator
from ..markers import load_codebook
from ..segment import segment_sessions
from .classifying import progress_bars
from .common import (
    CodebookOpt,
    ColumnsOpt,
    Files,
    FormatOpt,
    ManifestOpt,
    RolesOpt,
    app,
    finish,
    read_all,
    stderr,
)  # fmt: skip

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
    manifest: ManifestOpt = None,
    fmt: FormatOpt = None,
    roles: RolesOpt = None,
    columns: ColumnsOpt = None,
    codebook: CodebookOpt = None,
) -> None:
    """Goal, Task, Bond and Total per session (WAI-SR metric, 1-5) with 90% intervals,
    the utterances behind each, and rupture episodes, for many sessions.

    Example: transcript-alliance code --manifest data/samples/manifest.csv --out coded
    """
    started = time.perf_counter()
    use_classifier = classifier.casefold() != "none"
    if not use_classifier and not markers:
        raise OptionError("--classifier none with --no-markers leaves no evidence to score")
    if resamples < 50:
        raise OptionError(f"--resamples {resamples}: expected 50 or more")
    est = load_estimator(estimator)  # before reading: a bad file fails fast
    failures: list[InputError] = []
    sessions = segment_sessions(read_all(files, manifest, fmt, roles, columns, failures))
    if not sessions:
        finish(failures, 0)
        raise OptionError("no session could be read; nothing written")
    n = sum(len(s.utterances) for s in sessions)
    with progress_bars() as bar:
        results = analyze_sessions(
            sessions, classifier=classifier if use_classifier else None, markers=markers,
            codebook=codebook, estimator=est, resamples=resamples,
            progress=bar("coding", n) if use_classifier else None,
        )  # fmt: skip
    settings = {
        "classifier": classifier, "markers": markers, "resamples": resamples,
        "estimator": str(estimator) if estimator else f"packaged default {est.version}",
        "codebook": str(codebook) if codebook else "packaged default",
        "codebook_version": load_codebook(codebook).version,
        **hashes(
            load_codebook(codebook).digest(),
            resolve_model_path(classifier) if use_classifier else None, estimator,
        ),
    }  # fmt: skip
    write_outputs(results, failures, out, settings, started)
    ruptures = sum(len(r.ruptures) for r in results)
    stderr.print(
        f"{len(results)} session(s), {n} utterances, {ruptures} rupture episode(s) -> {out}/"
    )
    finish(failures, len(results))
