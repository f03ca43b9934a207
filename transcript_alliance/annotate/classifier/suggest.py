"""Active learning: the utterances a model is least sure of, to code next."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ...errors import InputError, OptionError
from ...io import write_table
from .data import NOT_CODED


def uncertainty(probs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per utterance: how close its most doubtful code is to 0.5 (1 = a coin toss, 0 =
    sure of every code), and which code that is."""
    closeness = 1.0 - 2.0 * np.abs(probs - 0.5)
    worst = closeness.argmax(axis=1)
    return closeness[np.arange(len(probs)), worst], worst


def least_certain(table: pd.DataFrame, probs: np.ndarray, codes: list[str], n: int) -> pd.DataFrame:
    """The `n` least certain utterances, with a `codes` column to fill in: `?` (not yet
    coded, left out of training) until a coder replaces it with the codes, or with nothing
    for "no code applies", so the file goes back to `train` as it is, coded or part-coded."""
    score, worst = uncertainty(probs)
    picked = table.assign(
        uncertainty=score.round(4), least_certain_code=[codes[k] for k in worst], codes=NOT_CODED
    )
    for k, code in enumerate(codes):
        picked[f"p_{code}"] = probs[:, k].round(4)
    order = np.argsort(-score, kind="stable")[:n]
    return picked.iloc[order].reset_index(drop=True)


@dataclass
class Suggestions:
    """The utterances to code next (`table`, most uncertain first: the utterance columns,
    `context`, `uncertainty`, `least_certain_code`, an empty `codes` column and
    `p_<code>`), out of `utterances` scored in `sessions` sessions."""

    table: pd.DataFrame
    utterances: int
    sessions: int
    failures: list[InputError] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


def suggest(
    model: str | Path,
    files: Sequence[str | Path] = (),
    *,
    out: str | Path | None = None,
    n: int = 200,
    manifest: str | Path | None = None,
    fmt: str | None = None,
    roles: str | None = None,
    columns: dict[str, str] | None = None,
    codebook: str | Path | None = None,
    on_error: Callable[[InputError], None] = lambda _: None,
    progress: Any = None,
) -> Suggestions:
    """The `n` utterances the model is least sure of, to code next (active learning).
    Once its `codes` column is filled, the file trains a model as it is.

    Parameters
    ----------
    model
        A model folder, or a shipped model name (`default`, `fast`).
    files, manifest, fmt, roles, columns, codebook, on_error, progress
        As for `predict`.
    out
        A .csv file to write the suggestions to (when sessions were read).
    n
        How many utterances, 1 or more.

    Returns
    -------
    Suggestions

    Raises
    ------
    OptionError
        `n` below 1, an `out` that is not .csv, or no input named.
    """
    from .predict import predict, session_inputs

    if n < 1:
        raise OptionError(f"`n` {n}: expected 1 or more")
    if out is not None and Path(out).suffix.casefold() != ".csv":
        raise OptionError(f"`out` {out}: expected a .csv file")
    scored = predict(
        model,
        files,
        manifest=manifest,
        fmt=fmt,
        roles=roles,
        columns=columns,
        codebook=codebook,
        on_error=on_error,
        progress=progress,
    )
    table = scored.table
    keep = ["session_id", "turn", "utterance", "role", "speaker", "start", "end", "text"]
    if not scored.sessions:
        return Suggestions(table[[]].copy(), 0, 0, scored.failures)
    probs = table[[f"p_{c}" for c in scored.codes]].to_numpy()
    # the previous turn, as the classifier saw it and the annotator will want it
    frame = table[keep].assign(context=session_inputs(scored.sessions).contexts)
    picked = least_certain(frame, probs, scored.codes, n)
    result = Suggestions(picked, len(table), len(scored.sessions), scored.failures)
    if out is not None:
        write_table(picked, Path(out))
        result.written.append(Path(out))
    return result
