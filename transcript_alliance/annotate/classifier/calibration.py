"""Per-code Platt scaling: raw scores (logits) to probabilities that mean what they say,
fitted on sessions the model did not train on."""

from __future__ import annotations

import numpy as np
from scipy.special import expit
from sklearn.linear_model import LogisticRegression


def fit_platt(scores: np.ndarray, labels: np.ndarray, codes: list[str]):
    """One (slope, intercept) per code; identity where a code has one class only."""
    params: dict[str, tuple[float, float]] = {}
    for k, code in enumerate(codes):
        y = labels[:, k]
        if y.min() == y.max():
            params[code] = (1.0, 0.0)
            continue
        model = LogisticRegression(C=1e4).fit(scores[:, [k]], y)  # nearly unpenalised
        params[code] = (float(model.coef_[0, 0]), float(model.intercept_[0]))
    return params


def apply_platt(scores: np.ndarray, params: dict[str, tuple[float, float]], codes: list[str]):
    slope = np.array([params[c][0] for c in codes])
    intercept = np.array([params[c][1] for c in codes])
    return expit(scores * slope + intercept)
