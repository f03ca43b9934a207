"""Agreement of a classifier's codes with human codes: per-code precision, recall, F1 and
Cohen's kappa at a threshold, macro-F1, and how well its probabilities are calibrated."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import brier_score_loss, cohen_kappa_score, precision_recall_fscore_support

BINS = 10


def per_code_metrics(
    labels: np.ndarray, probs: np.ndarray, codes: list[str], threshold: float = 0.5
) -> pd.DataFrame:
    """One row per code: support, predicted, precision, recall, f1, kappa, brier."""
    predicted = (probs >= threshold).astype(int)
    rows = []
    for k, code in enumerate(codes):
        y, p = labels[:, k], predicted[:, k]
        precision, recall, f1, _ = precision_recall_fscore_support(
            y, p, average="binary", zero_division=0
        )
        kappa = cohen_kappa_score(y, p) if len(set(y) | set(p)) > 1 else float("nan")
        rows.append(
            {
                "code": code,
                "support": int(y.sum()),
                "predicted": int(p.sum()),
                "precision": precision,
                "recall": recall,
                "f1": f1,
                "kappa": kappa,
                "brier": brier_score_loss(y, probs[:, k]) if len(y) else float("nan"),
            }
        )
    return pd.DataFrame(rows)


def calibration_table(labels: np.ndarray, probs: np.ndarray) -> pd.DataFrame:
    """Every (utterance, code) probability pooled into ten equal-width bins: mean predicted
    probability against the share that were truly coded."""
    p, y = probs.ravel(), labels.ravel()
    bins = np.minimum((p * BINS).astype(int), BINS - 1)
    rows = []
    for b in range(BINS):
        inside = bins == b
        rows.append(
            {
                "bin": f"{b / BINS:.1f}-{(b + 1) / BINS:.1f}",
                "n": int(inside.sum()),
                "mean_predicted": float(p[inside].mean()) if inside.any() else float("nan"),
                "observed": float(y[inside].mean()) if inside.any() else float("nan"),
            }
        )
    return pd.DataFrame(rows)


def summarize(labels: np.ndarray, probs: np.ndarray, codes: list[str]) -> dict[str, object]:
    """Headline figures for model.json and the terminal: macro-F1 over codes that occur,
    mean kappa, and expected calibration error (ECE) over the pooled bins."""
    table = per_code_metrics(labels, probs, codes)
    present = table[table["support"] > 0]
    calib = calibration_table(labels, probs)
    filled = calib[calib["n"] > 0]
    ece = float((filled["n"] * (filled["mean_predicted"] - filled["observed"]).abs()).sum())
    ece /= max(int(filled["n"].sum()), 1)
    return {
        "utterances": len(labels),
        "macro_f1": round(float(present["f1"].mean()), 4) if len(present) else None,
        "mean_kappa": round(float(present["kappa"].mean()), 4) if len(present) else None,
        "ece": round(ece, 4),
        "brier": round(float(present["brier"].mean()), 4) if len(present) else None,
        "per_code": {
            row.code: {
                "support": int(row.support), "precision": round(float(row.precision), 4),
                "recall": round(float(row.recall), 4), "f1": round(float(row.f1), 4),
                "kappa": None if np.isnan(row.kappa) else round(float(row.kappa), 4),
            }
            for row in table.itertuples()
        },
    }  # fmt: skip
