"""Per-code Platt scaling: raw scores (logits) to probabilities that mean what they say,
fitted on sessions the model did not train on."""

from __future__ import annotations

import numpy as np
from scipy.special import expit
from sklearn.linear_model import LogisticRegression


def fit_platt(
    scores: np.ndarray, labels: np.ndarray, codes: list[str], known: np.ndarray | None = None
):
    """One (slope, intercept) per code, on the utterances coded for it (`known`); identity
    where a code has one class only there. Where the fitted slope is not positive the
    scores rank that code backwards on these sessions (an under-trained model): the code
    then gets its base rate here, slope 0, rather than probabilities that run backwards."""
    params: dict[str, tuple[float, float]] = {}
    for k, code in enumerate(codes):
        keep = slice(None) if known is None else known[:, k]
        y = labels[keep, k]
        if len(y) == 0 or y.min() == y.max():
            params[code] = (1.0, 0.0)
            continue
        model = LogisticRegression(C=1e4).fit(scores[keep][:, [k]], y)  # nearly unpenalised
        slope, intercept = float(model.coef_[0, 0]), float(model.intercept_[0])
        if slope <= 0:
            rate = float(np.mean(y))
            slope, intercept = 0.0, float(np.log(rate / (1 - rate)))
        params[code] = (slope, intercept)
    return params


def apply_platt(scores: np.ndarray, params: dict[str, tuple[float, float]], codes: list[str]):
    """Probabilities from raw scores by per-code Platt scaling.

    Each column k becomes ``expit(scores[:, k] * slope + intercept)``.

    Parameters
    ----------
    scores : np.ndarray
        Raw scores (logits), shape (utterances, len(codes)); column k belongs to ``codes[k]``.
    params : dict[str, tuple[float, float]]
        ``(slope, intercept)`` per code, as `fit_platt` returns them.
    codes : list[str]
        The codes of the columns of `scores`, in order.

    Returns
    -------
    np.ndarray
        Probabilities in [0, 1], same shape as `scores`.

    Raises
    ------
    KeyError
        When a code in `codes` has no entry in `params`.
    """
    slope = np.array([params[c][0] for c in codes])
    intercept = np.array([params[c][1] for c in codes])
    return expit(scores * slope + intercept)
