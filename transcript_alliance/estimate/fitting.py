"""Calibrate: refit the estimator to a lab's own self-reports.

Per component, a ridge regression (scikit-learn `RidgeCV` on standardized features) of
the self-report (on the 1-5 metric) on the session's evidence rates per role and code,
the same rates the estimator computes. Cross-validated with folds grouped by client, so
no client is in a fold's training and test sessions at once; the packaged default's
figures on the same sessions are reported beside it (it is not fitted, so folds do not
change it). The fitted weights are saved as an estimator JSON for `code`'s estimator."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import pearsonr
from sklearn.linear_model import RidgeCV
from sklearn.model_selection import GroupKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from ..comparison.agreement import join_reports
from ..comparison.selfreport import SelfReports
from ..errors import InputError, OptionError
from ..schema import COMPONENTS
from .estimator import Estimator, LinearPart

ALPHAS = np.logspace(-2, 4, 25)
MIN_SESSIONS = 6


def rate_features(sessions: pd.DataFrame) -> pd.DataFrame:
    """`<role>.<code>` evidence rates from sessions.csv: the mean of the marker and
    classifier rates that are there (as `estimate.utterance_evidence` averages them)."""
    found: dict[str, list[str]] = {}
    for column in sessions.columns:
        for source in ("marker_rate_", "classifier_rate_"):
            if column.startswith(source):
                role, _, code = column[len(source) :].partition("_")
                found.setdefault(f"{role}.{code}", []).append(column)
    if not found:
        raise InputError(None, "the sessions table has no marker_rate_/classifier_rate_ "
                         "columns: expected sessions.csv written by `code`")  # fmt: skip
    frame = pd.DataFrame(
        {name: sessions[cols].astype(float).mean(axis=1) for name, cols in sorted(found.items())}
    )
    if "session_type" in sessions:  # a pack's codes were not searched in other types
        searched = frame.notna().groupby(sessions["session_type"].to_numpy()).any().all()
        frame = frame.loc[:, searched]
    return frame.fillna(0.0)


def _scores(y: np.ndarray, pred: np.ndarray) -> dict[str, float | None]:
    r = float(pearsonr(pred, y).statistic) if np.std(pred) > 0 and np.std(y) > 0 else None
    return {"r": r, "mae": float(np.abs(pred - y).mean())}


def fit_estimator(
    sessions: pd.DataFrame,
    reports: SelfReports,
    base: Estimator,
    *,
    targets: list[str] | None = None,
    group_column: str = "client_id",
    rater: str = "client",
    folds: int = 5,
) -> tuple[Estimator, dict[str, Any]]:
    """The refitted estimator and, per component, cross-validated r and MAE beside the
    default's on the same sessions."""
    merged = join_reports(sessions, reports)
    merged = merged[merged["rater"] == rater].reset_index(drop=True)
    if group_column not in merged:
        raise OptionError(f"`groups` {group_column}: no such column in the joined tables")
    targets = targets or list(COMPONENTS)
    features = rate_features(merged)
    fitted: dict[str, LinearPart] = {}
    report: dict[str, Any] = {"rater": rater, "groups": group_column, "components": {}}
    ins = reports.instrument
    for component in COMPONENTS:
        target = component if component in targets else ("total" if "total" in targets else None)
        if target is None:
            continue
        if target not in reports.parts:
            target = "total"  # instruments without subscales: every component to the total
        y = ins.to_wai_sr_metric(merged[f"{target}_sr"].astype(float), target)
        keep = y.notna().to_numpy()
        X, y = features[keep].to_numpy(), y[keep].to_numpy()
        groups = merged.loc[keep, group_column].astype(str).to_numpy()
        n_groups = len(set(groups))
        if len(y) < MIN_SESSIONS or n_groups < 2:
            raise InputError(None, f"{component}: {len(y)} sessions from {n_groups} group(s) "
                             f"with self-reports; calibrating needs {MIN_SESSIONS}+ sessions "
                             "from 2+ groups")  # fmt: skip
        model = make_pipeline(StandardScaler(), RidgeCV(alphas=ALPHAS))
        cv = GroupKFold(n_splits=min(folds, n_groups))
        predicted = np.clip(cross_val_predict(model, X, y, cv=cv, groups=groups), 1, 5)
        default = merged.loc[keep, component].astype(float).to_numpy()
        model.fit(X, y)
        scaler, ridge = model[0], model[1]
        fitted[component] = LinearPart(
            intercept=float(ridge.intercept_), features=list(features.columns),
            means=scaler.mean_.tolist(), scales=scaler.scale_.tolist(),
            coefficients=ridge.coef_.tolist(),
        )  # fmt: skip
        report["components"][component] = {
            "target": target, "sessions": len(y), "groups": n_groups,
            "folds": cv.get_n_splits(), "alpha": float(ridge.alpha_),
            "calibrated_cv": _scores(y, predicted), "default": _scores(y, default),
        }  # fmt: skip
    estimator = base.model_copy(
        update={
            "name": f"{base.name}, calibrated",
            "form": "linear",
            "linear": fitted,
            "fitted": {"instrument": ins.name, **report},
        }
    )
    return estimator, report
