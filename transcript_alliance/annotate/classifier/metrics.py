"""Agreement of a classifier's codes with human codes: per-code precision, recall, F1 and
Cohen's kappa at a threshold, ROC AUC, macro-F1, and how well its probabilities are
calibrated. `known` (bool, utterances x codes) leaves out labels that were never coded."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import (
    brier_score_loss,
    cohen_kappa_score,
    precision_recall_fscore_support,
    roc_auc_score,
)

BINS = 10


def per_code_metrics(
    labels: np.ndarray,
    probs: np.ndarray,
    codes: list[str],
    threshold: float = 0.5,
    known: np.ndarray | None = None,
) -> pd.DataFrame:
    """One row per code: n (coded utterances), support, predicted, precision, recall, f1,
    kappa, auc (NaN where one class only), brier; each over the utterances coded for it."""
    predicted = (probs >= threshold).astype(int)
    rows = []
    for k, code in enumerate(codes):
        keep = slice(None) if known is None else known[:, k]
        y, p, score = labels[keep, k], predicted[keep, k], probs[keep, k]
        if len(y) == 0:  # never coded in this data: nothing to say
            nan = float("nan")
            rows.append(
                {
                    "code": code,
                    "n": 0,
                    "support": 0,
                    "predicted": 0,
                    "precision": nan,
                    "recall": nan,
                    "f1": nan,
                    "kappa": nan,
                    "auc": nan,
                    "brier": nan,
                }
            )
            continue
        precision, recall, f1, _ = precision_recall_fscore_support(
            y, p, average="binary", zero_division=0
        )
        kappa = cohen_kappa_score(y, p) if len(set(y) | set(p)) > 1 else float("nan")
        auc = roc_auc_score(y, score) if 0 < y.sum() < len(y) else float("nan")
        rows.append(
            {
                "code": code,
                "n": len(y),
                "support": int(y.sum()),
                "predicted": int(p.sum()),
                "precision": precision,
                "recall": recall,
                "f1": f1,
                "kappa": kappa,
                "auc": auc,
                "brier": brier_score_loss(y, score) if len(y) else float("nan"),
            }
        )
    return pd.DataFrame(rows)


def calibration_table(
    labels: np.ndarray, probs: np.ndarray, known: np.ndarray | None = None
) -> pd.DataFrame:
    """Every (utterance, code) probability pooled into ten equal-width bins: mean predicted
    probability against the share that were truly coded."""
    p, y = probs.ravel(), labels.ravel()
    if known is not None:
        p, y = p[known.ravel()], y[known.ravel()]
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


def summarize(
    labels: np.ndarray, probs: np.ndarray, codes: list[str], known: np.ndarray | None = None
) -> dict[str, object]:
    """Headline figures for model.json and the terminal: macro-F1 over codes that occur,
    mean kappa, and expected calibration error (ECE) over the pooled bins."""
    table = per_code_metrics(labels, probs, codes, known=known)
    present = table[table["support"] > 0]
    calib = calibration_table(labels, probs, known)
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
                "support": int(row.support),
                "precision": round(float(row.precision), 4),
                "recall": round(float(row.recall), 4),
                "f1": round(float(row.f1), 4),
                "kappa": None if np.isnan(row.kappa) else round(float(row.kappa), 4),
                "auc": None if np.isnan(row.auc) else round(float(row.auc), 4),
            }
            for row in table.itertuples()
        },
    }
