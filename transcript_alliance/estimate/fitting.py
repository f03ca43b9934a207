"""Calibrate: refit the estimator to a lab's own self-reports.

Per component, a ridge regression (scikit-learn `RidgeCV` on standardized features) of
the self-report (on the 1-5 metric) on the session's evidence rates per role and code,
the same rates the estimator computes. Cross-validated with folds grouped by client, so
no client is in a fold's training and test sessions at once; the packaged default's
figures on the same sessions are reported beside it (it is not fitted, so folds do not
change it). The fitted weights are saved as an estimator JSON for `code`'s `estimator`.

Guarded, since a handful of sessions fits noise: each component is fitted only on the
rates of the codes the base estimator already weighs for it (a few features, not every
code), with a ridge penalty of at least 1 on standardized rates; a component whose
cross-validated r or MAE is worse than the default's keeps the default's terms (unless
`force`), with a warning; fewer than `SMALL_SESSIONS` sessions or `SMALL_GROUPS` clients
is warned about. The JSON records what it was fitted on (sessions, clients, session types,
instrument, rater, CV figures) and the session types it may be applied to."""

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

ALPHAS = np.logspace(0, 4, 17)  # at least 1 on standardized rates: few sessions, much noise
MIN_SESSIONS = 6  # below this, no fit at all
SMALL_SESSIONS, SMALL_GROUPS = 30, 10  # below these, the fit is written with a warning


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
        raise InputError(
            None,
            "the sessions table has no marker_rate_/classifier_rate_ "
            "columns: expected sessions.csv written by `code`",
        )
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


def component_features(base: Estimator, component: str, available: list[str]) -> list[str]:
    """The `<role>.<code>` rates a component is refitted on: those of the codes the base
    estimator weighs for it (an `either` term gives both roles), where the sessions have
    them; all available rates when the base has no terms for it."""
    if component in base.linear:
        wanted = set(base.linear[component].features)
    else:
        wanted = set()
        for term in base.components.get(component, []):
            roles = ("therapist", "client") if term.role == "either" else (term.role,)
            wanted |= {f"{role}.{term.code}" for role in roles}
    picked = [f for f in available if f in wanted]
    return picked or list(available)


def _worse(calibrated: dict[str, float | None], default: dict[str, float | None]) -> bool:
    """Calibrated CV worse than the default on the same sessions: higher MAE, or lower r
    where both have one."""
    if calibrated["mae"] > default["mae"]:
        return True
    cal_r, base_r = calibrated["r"], default["r"]
    return base_r is not None and (cal_r is None or cal_r < base_r)


def _worse_by(calibrated: dict[str, float | None], default: dict[str, float | None]) -> str:
    """Which of `_worse`'s tests failed, in words ("r lower", "MAE higher" or both)."""
    parts = []
    cal_r, base_r = calibrated["r"], default["r"]
    if base_r is not None and (cal_r is None or cal_r < base_r):
        parts.append("r lower" if cal_r is not None else "no r")
    if calibrated["mae"] > default["mae"]:
        parts.append("MAE higher")
    return " and ".join(parts)


def fit_estimator(
    sessions: pd.DataFrame,
    reports: SelfReports,
    base: Estimator,
    *,
    targets: list[str] | None = None,
    group_column: str = "client_id",
    rater: str = "client",
    folds: int = 5,
    force: bool = False,
) -> tuple[Estimator, dict[str, Any]]:
    """Refit the estimator to self-reports, with cross-validation grouped by client.

    Parameters
    ----------
    sessions : sessions.csv of `code` (one row per session, with rate columns).
    reports : the self-reports; joined to sessions by session_id or client + number.
    base : the estimator to refit (its terms pick each component's features, and a
        component whose calibration does not beat it in cross-validation keeps them).
    targets : the components to refit (default all; others keep the base's terms).
    group_column : the column whose values form the folds (no group in both sides).
    rater : whose self-reports to fit (client, therapist, observer).
    folds : at most this many folds.
    force : keep a calibrated component even when its CV is worse than the default's.

    Returns
    -------
    The estimator (components kept from `base` where calibration was worse or not
    asked for; `fitted` records what it was fitted on) and the report: per component
    CV r and MAE beside the default's, `kept` ("calibrated" or "default"), and
    `warnings`, lines a user must see.

    Raises
    ------
    InputError : fewer than `MIN_SESSIONS` sessions or one group with self-reports.
    """
    merged = join_reports(sessions, reports)
    merged = merged[merged["rater"] == rater].reset_index(drop=True)
    if group_column not in merged:
        raise OptionError(f"`groups` {group_column}: no such column in the joined tables")
    targets = targets or list(COMPONENTS)
    features = rate_features(merged)
    fitted: dict[str, LinearPart] = {}
    warnings: list[str] = []
    report: dict[str, Any] = {"rater": rater, "groups": group_column, "components": {}}
    ins = reports.instrument
    used = np.zeros(len(merged), bool)
    for component in COMPONENTS:
        target = component if component in targets else ("total" if "total" in targets else None)
        if target is None:
            continue
        if target not in reports.parts:
            target = "total"  # instruments without subscales: every component to the total
        y = ins.to_wai_sr_metric(merged[f"{target}_sr"].astype(float), target)
        keep = y.notna().to_numpy()
        names = component_features(base, component, list(features.columns))
        X, y = features.loc[keep, names].to_numpy(), y[keep].to_numpy()
        groups = merged.loc[keep, group_column].astype(str).to_numpy()
        n_groups = len(set(groups))
        if len(y) < MIN_SESSIONS or n_groups < 2:
            raise InputError(
                None,
                f"{component}: {len(y)} sessions from {n_groups} group(s) "
                f"with self-reports; calibrating needs {MIN_SESSIONS}+ sessions "
                "from 2+ groups",
            )
        used |= keep
        model = make_pipeline(StandardScaler(), RidgeCV(alphas=ALPHAS))
        cv = GroupKFold(n_splits=min(folds, n_groups))
        predicted = np.clip(cross_val_predict(model, X, y, cv=cv, groups=groups), 1, 5)
        default = merged.loc[keep, component].astype(float).to_numpy()
        scores, baseline = _scores(y, predicted), _scores(y, default)
        worse = _worse(scores, baseline)
        kept = "default" if worse and not force else "calibrated"
        if worse:
            warnings.append(
                f"{component}: calibrated cross-validation is worse than the default's "
                f"({_worse_by(scores, baseline)}; r {_f(scores['r'])} vs {_f(baseline['r'])}, "
                f"MAE {_f(scores['mae'])} vs {_f(baseline['mae'])}): "
                + ("kept anyway (force)" if force else "the default's terms are kept")
            )
        model.fit(X, y)
        scaler, ridge = model[0], model[1]
        if kept == "calibrated":
            fitted[component] = LinearPart(
                intercept=float(ridge.intercept_),
                features=names,
                means=scaler.mean_.tolist(),
                scales=scaler.scale_.tolist(),
                coefficients=ridge.coef_.tolist(),
            )
        report["components"][component] = {
            "target": target,
            "sessions": len(y),
            "groups": n_groups,
            "features": len(names),
            "folds": cv.get_n_splits(),
            "alpha": float(ridge.alpha_),
            "calibrated_cv": scores,
            "default": baseline,
            "kept": kept,
        }
    n_sessions = int(used.sum())
    n_groups = int(merged.loc[used, group_column].astype(str).nunique())
    if n_sessions < SMALL_SESSIONS or n_groups < SMALL_GROUPS:
        warnings.insert(
            0,
            f"small sample: {n_sessions} sessions from {n_groups} "
            f"{group_column} group(s) (fewer than {SMALL_SESSIONS} sessions or "
            f"{SMALL_GROUPS} groups): the weights are unstable; check the CV "
            "figures before using them",
        )
    types = (
        sorted(merged.loc[used, "session_type"].dropna().astype(str).unique())
        if "session_type" in merged
        else []
    )
    report |= {
        "sessions": n_sessions,
        "n_groups": n_groups,
        "session_types": types,
        "instrument": ins.name,
        "warnings": warnings,
    }
    refitted = ", ".join(fitted) or "none (every component kept the default's terms)"
    description = (
        f"{base.name}, calibrated: {refitted} refitted by ridge regression on "
        f"{n_sessions} sessions from {n_groups} {group_column} group(s) "
        f"(session types: {', '.join(types) or 'not recorded'}) against {rater} {ins.name} "
        f"self-reports; cross-validated with folds grouped by {group_column} (figures in "
        "`fitted`). Applied only to these session types; others use the packaged estimator. "
        f"Components not refitted keep the terms of '{base.name}' {base.version}."
    )
    estimator = base.model_copy(
        update={
            "name": f"{base.name}, calibrated",
            "form": "linear" if fitted else base.form,
            "description": description,
            "linear": {**base.linear, **fitted},
            "fitted": {**report, "session_types": types},
        }
    )
    return estimator, report


def _f(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"
