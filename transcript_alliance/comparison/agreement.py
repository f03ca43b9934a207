"""Estimates beside self-reports: agreement statistics per component and rater.

Pearson and Spearman with 95% CIs (pingouin), ICC(2,1) (two-way random, absolute
agreement, single measures; Shrout & Fleiss, 1979) plus Bland-Altman bias and limits and
MAE only where the self-report is on the estimates' metric (1-5 item means), the
repeated-measures correlation within clients (Bakdash & Marusich, 2017; pingouin) when
clients have two or more sessions, and a multilevel model, self-report ~ estimate with
sessions nested in clients (statsmodels MixedLM; therapists as a variance component
when there are several)."""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from .selfreport import SelfReports


def join_reports(sessions: pd.DataFrame, reports: SelfReports) -> pd.DataFrame:
    """Estimates and self-reports side by side: by session_id, else client + number.

    Parameters
    ----------
    sessions : DataFrame
        The sessions table (`ta.code`'s sessions.csv): session_id, client_id,
        session_number, and the estimates goal, task, bond, total (1-5 WAI-SR metric).
    reports : SelfReports
        Scored self-reports (`read_self_reports`).

    Returns
    -------
    DataFrame
        One row per matched session and rater: the sessions table's columns, rater, and the
        self-reports as goal_sr, task_sr, bond_sr, total_sr (on the instrument's metric);
        client_id as str.

    Raises
    ------
    InputError
        No self-report matched a coded session.
    """
    est = sessions.copy()
    est["session_id"] = est["session_id"].astype(str)
    rep = reports.frame.copy()
    by_id = rep[rep["session_id"].notna()]
    merged = by_id.merge(est, on="session_id", suffixes=("_sr", ""))
    by_number = rep[rep["session_id"].isna()].drop(columns="session_id")
    if len(by_number):
        est_keys = est.assign(
            client_id=est["client_id"].astype(str),
            session_number=pd.to_numeric(est["session_number"]),
        )
        more = by_number.merge(est_keys, on=["client_id", "session_number"], suffixes=("_sr", ""))
        merged = pd.concat([merged, more], ignore_index=True)
    if merged.empty:
        raise InputError(
            None,
            "no self-report matched a coded session: check session_id, or client_id "
            "and session_number, in both files",
        )
    if "client_id" not in merged:
        merged["client_id"] = merged.get("client_id_sr")
    merged["client_id"] = merged["client_id"].fillna(merged.get("client_id_sr")).astype(str)
    return merged


def _num(x: Any) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def agreement(merged: pd.DataFrame, part: str, same_scale: bool) -> dict[str, Any]:
    """All statistics for one component: estimate `part` against self-report `part_sr`.

    Pearson and Spearman with 95% CIs (pingouin); where the self-report is on the 1-5 WAI-SR
    metric, Bland-Altman bias and limits (bias +/- 1.96 SD; Bland & Altman, 1986), MAE and
    ICC(A,1) (McGraw & Wong, 1996); the repeated-measures correlation (Bakdash & Marusich,
    2017) and a multilevel model self_report ~ estimate + (1 | client).

    Parameters
    ----------
    merged : DataFrame
        `join_reports`' output, for one rater.
    part : str
        goal, task, bond or total.
    same_scale : bool
        Whether the self-report is on the estimates' 1-5 item-mean metric.

    Returns
    -------
    dict
        component, n (sessions with both), clients, pearson and spearman ({r, ci95, p} or
        None without spread), and when `same_scale` bland_altman {bias, sd, lower, upper},
        mae and icc; rm_corr and multilevel (None when they cannot be fitted); note when
        fewer than 3 sessions have both or the metrics differ.
    """
    import pingouin as pg

    data = merged[[part, f"{part}_sr", "client_id", "session_id"]].dropna()
    data = data.rename(columns={part: "estimate", f"{part}_sr": "self_report"})
    out: dict[str, Any] = {
        "component": part,
        "n": len(data),
        "clients": int(data["client_id"].nunique()),
    }
    if len(data) < 3:
        out["note"] = "fewer than 3 sessions with both: no statistics"
        return out
    x, y = data["estimate"].to_numpy(), data["self_report"].to_numpy()
    for method in ("pearson", "spearman"):
        if np.std(x) == 0 or np.std(y) == 0:
            out[method] = None
            continue
        row = pg.corr(x, y, method=method).iloc[0]
        out[method] = {
            "r": _num(row["r"]),
            "ci95": [_num(v) for v in row["CI95"]],
            "p": _num(row["p_val"]),
        }
    if same_scale:
        diff = x - y
        sd = float(np.std(diff, ddof=1))
        out["bland_altman"] = {
            "bias": float(diff.mean()),
            "sd": sd,
            "lower": float(diff.mean() - 1.96 * sd),
            "upper": float(diff.mean() + 1.96 * sd),
        }
        out["mae"] = float(np.abs(diff).mean())
        out["icc"] = _icc(data)
    else:
        out["note"] = "self-report on another metric: no ICC, Bland-Altman or MAE"
    out["rm_corr"] = _rm_corr(data)
    out["multilevel"] = _mixed(merged, part)
    return out


def _icc(data: pd.DataFrame) -> dict[str, Any] | None:
    import pingouin as pg

    long = data.melt(
        id_vars="session_id",
        value_vars=["estimate", "self_report"],
        var_name="rater",
        value_name="score",
    )
    table = pg.intraclass_corr(long, targets="session_id", raters="rater", ratings="score")
    table = table.set_index("Type")
    row = table.loc["ICC(A,1)" if "ICC(A,1)" in table.index else "ICC2"]  # pingouin >= 0.7
    return {
        "form": "ICC(A,1) (McGraw & Wong, 1996) = ICC(2,1) (Shrout & Fleiss, 1979): "
        "two-way random, absolute agreement, single measures",
        "icc": _num(row["ICC"]),
        "ci95": [_num(v) for v in row["CI95"]],
    }


def _rm_corr(data: pd.DataFrame) -> dict[str, Any] | None:
    import pingouin as pg

    counts = data["client_id"].value_counts()
    repeated = data[data["client_id"].isin(counts[counts >= 2].index)]
    if repeated["client_id"].nunique() < 3:  # pingouin needs three clients or more
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        row = pg.rm_corr(repeated, x="estimate", y="self_report", subject="client_id").iloc[0]
    p = row["pval"] if "pval" in row else row["p_val"]  # rm_corr's name for it in pingouin 0.7
    return {
        "r": _num(row["r"]),
        "ci95": [_num(v) for v in row["CI95"]],
        "p": _num(p),
        "dof": int(row["dof"]),
    }


def _mixed(merged: pd.DataFrame, part: str) -> dict[str, Any] | None:
    import statsmodels.formula.api as smf

    data = merged[
        [part, f"{part}_sr", "client_id"] + (["therapist_id"] if "therapist_id" in merged else [])
    ].dropna()
    data = data.rename(columns={part: "estimate", f"{part}_sr": "self_report"})
    if data["client_id"].nunique() < 3 or len(data) < 6 or data["estimate"].std() == 0:
        return None  # too few clients for a client variance to mean anything
    vc = None
    therapists = data["therapist_id"].nunique() if "therapist_id" in data else 0
    if 1 < therapists < data["client_id"].nunique():  # else confounded with clients
        vc = {"therapist": "0 + C(therapist_id)"}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = smf.mixedlm(
                "self_report ~ estimate", data, groups=data["client_id"], vc_formula=vc
            ).fit(reml=True)
    except (np.linalg.LinAlgError, ValueError) as err:
        return {"error": f"did not fit: {err}"}
    return {
        "formula": "self_report ~ estimate + (1 | client)" + (" + (1 | therapist)" if vc else ""),
        "slope": _num(model.params["estimate"]),
        "se": _num(model.bse["estimate"]),
        "p": _num(model.pvalues["estimate"]),
        "groups": int(data["client_id"].nunique()),
        "converged": bool(model.converged),
    }


def compare_reports(sessions: pd.DataFrame, reports: SelfReports) -> list[dict[str, Any]]:
    """Agreement statistics for each rater and component the self-reports carry.

    Parameters
    ----------
    sessions : DataFrame
        The sessions table (session_id, client_id, session_number, goal, task, bond,
        total; 1-5 WAI-SR metric).
    reports : SelfReports
        Scored self-reports.

    Returns
    -------
    list of dict
        One `agreement` result per rater and component, with rater and instrument.

    Raises
    ------
    InputError
        No self-report matched a coded session.
    """
    merged = join_reports(sessions, reports)
    ins = reports.instrument
    results = []
    for rater, group in merged.groupby("rater", sort=True):
        for part in reports.parts:
            if part not in group:
                continue
            results.append(
                {
                    "rater": rater,
                    "instrument": ins.name,
                    **agreement(group, part, ins.on_wai_sr_metric),
                }
            )
    return results


def flat_table(results: list[dict[str, Any]]) -> pd.DataFrame:
    """comparison.csv: one row per rater and component, the headline figures.

    Parameters
    ----------
    results : list of dict
        `compare_reports`' output.

    Returns
    -------
    DataFrame
        Columns rater, instrument, component, n, clients, pearson_r, pearson_low,
        pearson_high, spearman_rho, spearman_low, spearman_high, icc2_1, ba_bias, ba_lower,
        ba_upper, mae, rm_corr_r, mixed_slope, mixed_p, note (empty cells where a statistic
        was not computed).
    """
    rows = []
    for r in results:
        pear, spear = r.get("pearson") or {}, r.get("spearman") or {}
        ba, icc, rm, ml = (r.get(k) or {} for k in ("bland_altman", "icc", "rm_corr", "multilevel"))
        rows.append(
            {
                "rater": r["rater"],
                "instrument": r["instrument"],
                "component": r["component"],
                "n": r["n"],
                "clients": r["clients"],
                "pearson_r": pear.get("r"),
                "pearson_low": (pear.get("ci95") or [None])[0],
                "pearson_high": (pear.get("ci95") or [None, None])[1],
                "spearman_rho": spear.get("r"),
                "spearman_low": (spear.get("ci95") or [None])[0],
                "spearman_high": (spear.get("ci95") or [None, None])[1],
                "icc2_1": icc.get("icc"),
                "ba_bias": ba.get("bias"),
                "ba_lower": ba.get("lower"),
                "ba_upper": ba.get("upper"),
                "mae": r.get("mae"),
                "rm_corr_r": rm.get("r"),
                "mixed_slope": ml.get("slope"),
                "mixed_p": ml.get("p"),
                "note": r.get("note", ""),
            }
        )
    return pd.DataFrame(rows)
