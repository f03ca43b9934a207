"""Evaluate a classifier against human codes: the `evaluate` command as a function."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from ...errors import InputError, OptionError
from ...io import check_table_path, write_json, write_table
from ..markers.codebook import load_codebook
from .data import read_coded_utterances
from .metrics import calibration_table, per_code_metrics, summarize
from .model import load_classifier

SPLITS = ("all", "test", "train")


@dataclass(frozen=True)
class Evaluation:
    """A classifier's figures against human codes.

    `per_code` has one row per code the model and the data share: `code, support,
    predicted, precision, recall, f1, kappa, brier` (kappa NaN where only one class
    occurs). `calibration` pools every (utterance, code) probability into ten bins:
    `bin, n, mean_predicted, observed`. The headline figures are over codes that occur.
    """

    model: str
    data: Path
    split: str
    utterances: int
    macro_f1: float | None
    mean_kappa: float | None
    ece: float
    brier: float | None
    per_code: pd.DataFrame
    calibration: pd.DataFrame
    written: list[Path] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """The figures as JSON-ready data (the `.json` file `evaluate` writes)."""
        return {
            "model": self.model,
            "data": str(self.data),
            "split": self.split,
            "utterances": self.utterances,
            "macro_f1": self.macro_f1,
            "mean_kappa": self.mean_kappa,
            "ece": self.ece,
            "brier": self.brier,
            "per_code": summarize_table(self.per_code),
            "calibration": self.calibration.to_dict(orient="records"),
        }


def summarize_table(table: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """`per_code` as {code: {support, precision, recall, f1, kappa}}, rounded to 4 places."""
    return {
        row.code: {
            "support": int(row.support),
            "precision": round(float(row.precision), 4),
            "recall": round(float(row.recall), 4),
            "f1": round(float(row.f1), 4),
            "kappa": None if row.kappa != row.kappa else round(float(row.kappa), 4),
        }
        for row in table.itertuples()
    }


def figures(
    labels: np.ndarray,
    probs: np.ndarray,
    codes: list[str],
    *,
    known: np.ndarray | None = None,
    model: str,
    data: Path,
    split: str,
) -> Evaluation:
    """The `Evaluation` of probabilities `probs` against 0/1 `labels` (both utterances x
    `codes`)."""
    headline = summarize(labels, probs, codes, known)
    return Evaluation(
        model=model,
        data=data,
        split=split,
        utterances=len(labels),
        macro_f1=headline["macro_f1"],  # type: ignore[arg-type]
        mean_kappa=headline["mean_kappa"],  # type: ignore[arg-type]
        ece=headline["ece"],  # type: ignore[arg-type]
        brier=headline["brier"],  # type: ignore[arg-type]
        per_code=per_code_metrics(labels, probs, codes, known=known),
        calibration=calibration_table(labels, probs, known),
    )


def evaluate(
    model: str | Path,
    data: str | Path,
    *,
    out: str | Path | None = None,
    split: Literal["all", "test", "train"] = "all",
    codebook: str | Path | None = None,
    progress: Any = None,
) -> Evaluation:
    """Per-code precision, recall, F1 and Cohen's kappa of `model` against the human codes
    in `data`, macro-F1, and a calibration summary.

    Parameters
    ----------
    model
        A model folder, or a shipped model name (`default`, `fast`).
    data
        Coded utterances (.csv, .tsv, .jsonl): `session_id, text, role` and the codes.
    out
        Where to write the per-code table (.csv, .tsv, .parquet, .jsonl); the summary goes
        beside it as `.json`. `None` writes nothing.
    split
        Score the rows whose `split` column says `test` or `train`, or `all` rows.
    codebook
        A codebook YAML extending the default (the model's codes must be in it).
    progress
        A factory `progress(description, total) -> advance(n)` for a progress bar.

    Returns
    -------
    Evaluation
        The figures; `written` lists the files written.

    Raises
    ------
    OptionError
        An unknown `split`, or an `out` with an unknown suffix.
    InputError
        Unreadable data, or a `split` asked for on data without a split column.

    Warns
    -----
    UserWarning
        When `data` is the model's own training data and every row is scored.
    """
    if split not in SPLITS:
        raise OptionError(f"`split` '{split}': expected all, test or train")
    data, out = Path(data), None if out is None else Path(out)
    if out is not None:
        check_table_path(out)
    classifier = load_classifier(model, codebook=codebook)
    coded = read_coded_utterances(data, load_codebook(codebook).ids, min_positives=0)
    if split != "all":
        if coded.split is None:
            raise InputError(data, f"`split` '{split}': the file has no split column")
        coded = coded.subset((coded.split == split).nonzero()[0])
    elif Path(str(classifier.info.training.get("data", ""))).name == data.name:
        warnings.warn(
            f"{data.name} is this model's training data; use `split` 'test' for figures on "
            "sessions it did not see",
            UserWarning,
            stacklevel=2,
        )
    codes = [c for c in classifier.codes if c in coded.codes]
    columns = [coded.codes.index(c) for c in codes]
    advance = progress("scoring", len(coded.labels)) if progress else None
    probs = classifier.predict_proba(coded.inputs, progress=advance)
    labels = coded.labels[:, columns]
    probs = probs[:, [classifier.codes.index(c) for c in codes]]
    known = coded.mask[:, columns]  # '?' cells (never coded) are left out
    result = figures(labels, probs, codes, known=known, model=str(model), data=data, split=split)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        write_table(result.per_code.round(4), out)
        write_json(out.with_suffix(".json"), result.summary())
        result.written.extend([out, out.with_suffix(".json")])
    return result
