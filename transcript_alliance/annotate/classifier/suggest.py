"""Active learning: the utterances a model is least sure of, to code next."""

from __future__ import annotations

import numpy as np
import pandas as pd


def uncertainty(probs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per utterance: how close its most doubtful code is to 0.5 (1 = a coin toss, 0 =
    sure of every code), and which code that is."""
    closeness = 1.0 - 2.0 * np.abs(probs - 0.5)
    worst = closeness.argmax(axis=1)
    return closeness[np.arange(len(probs)), worst], worst


def least_certain(table: pd.DataFrame, probs: np.ndarray, codes: list[str], n: int) -> pd.DataFrame:
    """The `n` least certain utterances, with an empty `codes` column to fill in, so the
    file goes back to `train` as it is once coded."""
    score, worst = uncertainty(probs)
    picked = table.assign(
        uncertainty=score.round(4), least_certain_code=[codes[k] for k in worst], codes=""
    )
    for k, code in enumerate(codes):
        picked[f"p_{code}"] = probs[:, k].round(4)
    order = np.argsort(-score, kind="stable")[:n]
    return picked.iloc[order].reset_index(drop=True)
