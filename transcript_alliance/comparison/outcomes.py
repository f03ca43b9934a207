"""Symptom outcomes (GAD-7, PHQ-9, OASIS, or a lab's own measure) and their links to the
alliance estimates.

An outcome file is a CSV with `client_id` and, per row, either a session (`session_id`,
or `session_number`) or a `timepoint` of `pre` or `post`, then one column per measure
(`gad7`, `phq9`, `oasis`, or any other numeric column). Known measures are checked
against their ranges. Two analyses (alliance-outcome research: Flückiger et al., 2018;
Zilcha-Mano, 2017, on separating within- from between-client effects):

- early alliance and symptom change, across clients: the mean estimate over each
  client's first sessions against change from pre to post (post - pre; pre/post rows, else
  the first and last session scores), as a Pearson correlation with a 95% CI and an OLS
  model `change ~ early_alliance + pre` (residualised change);
- within-client lagged links: the alliance at one session against symptoms at the next,
  in a mixed model with a random intercept per client that splits the alliance into the
  client's mean (between) and the session's deviation from it (within), controlling for
  symptoms at the same session: `next_symptoms ~ within + between + symptoms + (1 | client)`.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ..io import read_csv
from ..schema import PARTS

# name -> (low, high, label); scores outside the range are refused with their row
MEASURES = {"gad7": (0, 21, "GAD-7"), "phq9": (0, 27, "PHQ-9"), "oasis": (0, 20, "OASIS")}
IDENTITY = {"client_id", "session_id", "session_number", "timepoint", "date", "rater", "week"}
EARLY_SESSIONS = 3


@dataclass
class Outcomes:
    """Symptom outcome scores as read by `read_outcomes`.

    Attributes
    ----------
    frame : DataFrame
        One row per score: client_id, session_id, session_number, timepoint (pre, post,
        session), measure, score (the measure's own scale).
    measures : list of str
        The measure columns, in file order.
    notes : list of str
        What was noticed while reading.
    """

    frame: pd.DataFrame  # client_id, session_id, session_number, timepoint, measure, score
    measures: list[str]
    notes: list[str] = field(default_factory=list)


def _name(column: str) -> str:
    """'GAD-7' -> 'gad7', 'PHQ_9' -> 'phq9'; other names lower-cased."""
    return re.sub(r"[\s_-]+", "", column.strip().casefold())


def read_outcomes(path: str | Path) -> Outcomes:
    """Read a CSV of symptom outcome scores, one column per measure.

    Parameters
    ----------
    path : str or Path
        CSV with a ``client_id`` column, at least one of ``session_id``,
        ``session_number`` or ``timepoint`` (``pre``, ``post`` or empty for a session
        score) and one column per measure (``gad7``, ``phq9``, ``oasis``, ... ; the
        headers ``GAD-7`` or ``PHQ_9`` are accepted). Empty, ``NA`` and ``nan`` cells are
        skipped.

    Returns
    -------
    Outcomes
        ``frame`` has one row per score: client_id, session_id (or None),
        session_number (int or None), timepoint (pre, post, session), measure, score
        (on the measure's own scale, range checked against ``MEASURES``); ``measures``
        lists the measure columns in file order.

    Raises
    ------
    InputError
        The file cannot be read as CSV, an identity column is missing, a row has an
        empty client_id, an unknown timepoint, a session_number that is not a whole
        number, no way to place it, or a score that is not a number or lies outside
        the measure's range (the message names the 1-based row).
    """
    path = Path(path)
    raw = read_csv(path, what="an outcome CSV")
    raw.columns = [_name(c) if _name(c) in MEASURES else c.strip().casefold() for c in raw.columns]
    if "clientid" in raw.columns:
        raw = raw.rename(columns={"clientid": "client_id"})
    measures = _measure_columns(path, raw)
    rows = []
    for i, record in enumerate(raw.to_dict(orient="records")):
        rows.extend(_record_rows(path, f"row {i + 2}", record, measures))
    return Outcomes(pd.DataFrame(rows), measures)


def _measure_columns(path: Path, raw: pd.DataFrame) -> list[str]:
    """The measure columns of an outcome CSV, after checking its identity columns."""
    if "client_id" not in raw:
        raise InputError(path, "missing column: client_id", "row 1")
    if not {"session_id", "session_number", "timepoint"} & set(raw.columns):
        raise InputError(
            path, "missing columns: session_id, session_number or timepoint (pre/post)", "row 1"
        )
    measures = [c for c in raw.columns if c not in IDENTITY]
    if not measures:
        raise InputError(path, "no measure columns; expected e.g. gad7, phq9, oasis", "row 1")
    return measures


def _record_rows(
    path: Path, row: str, record: dict[str, str], measures: list[str]
) -> list[dict[str, Any]]:
    """One outcome row per filled measure cell of one CSV record."""
    client = record["client_id"].strip()
    if not client:
        raise InputError(path, "empty client_id", row)
    point = record.get("timepoint", "").strip().casefold() or "session"
    if point not in {"pre", "post", "session"}:
        raise InputError(path, f"timepoint '{point}'; expected pre, post or empty", row)
    number = record.get("session_number", "").strip()
    number = number[:-2] if number.endswith(".0") else number  # 3.0 from a spreadsheet
    if number and not number.isdigit():
        raise InputError(path, f"session_number '{number}'; expected a whole number", row)
    session_id = record.get("session_id", "").strip() or None
    if point == "session" and not (session_id or number):
        raise InputError(path, "no session_id, session_number or timepoint", row)
    identity = {
        "client_id": client,
        "session_id": session_id,
        "session_number": int(number) if number else None,
        "timepoint": point,
    }
    rows = []
    for measure in measures:
        score = _score(path, row, measure, record[measure].strip())
        if score is not None:
            rows.append({**identity, "measure": measure, "score": score})
    return rows


def _score(path: Path, row: str, measure: str, text: str) -> float | None:
    """A cell's score, None for an empty or NA cell; range checked against MEASURES."""
    if text == "" or text.casefold() in {"na", "nan"}:
        return None
    try:
        score = float(text)
    except ValueError:
        raise InputError(path, f"{measure} = '{text}': expected a number", row) from None
    low, high, label = MEASURES.get(measure, (-np.inf, np.inf, measure))
    if not low <= score <= high:
        raise InputError(path, f"{measure} = {text}: {label} scores lie in {low}-{high}", row)
    return score


def session_scores(outcomes: Outcomes, sessions: pd.DataFrame) -> pd.DataFrame:
    """Session-level outcome rows joined to the coded sessions (by session_id, else by
    client and session number): client_id, session_number, measure, score, parts."""
    est = sessions.copy()
    est["session_id"] = est["session_id"].astype(str)
    est["client_id"] = est["client_id"].astype(str)
    est["session_number"] = pd.to_numeric(est["session_number"], errors="coerce")
    rows = outcomes.frame[outcomes.frame["timepoint"] == "session"]
    keep = ["session_id", "client_id", "session_number", *PARTS]
    by_id = rows[rows["session_id"].notna()].drop(columns=["client_id", "session_number"])
    joined = [by_id.merge(est[keep], on="session_id")]
    by_number = rows[rows["session_id"].isna()].drop(columns="session_id")
    if len(by_number):
        joined.append(by_number.merge(est[keep], on=["client_id", "session_number"]))
    return pd.concat(joined, ignore_index=True)


def _pre_post(outcomes: Outcomes, scored: pd.DataFrame, measure: str) -> pd.DataFrame:
    """Per client: pre and post scores (pre/post rows win, else first and last session)."""
    frame = outcomes.frame[outcomes.frame["measure"] == measure]
    out = {}
    for client, rows in frame.groupby("client_id"):
        pre = rows.loc[rows["timepoint"] == "pre", "score"]
        post = rows.loc[rows["timepoint"] == "post", "score"]
        mine = scored[(scored["client_id"] == client) & (scored["measure"] == measure)]
        mine = mine.sort_values("session_number")
        first = pre.iloc[0] if len(pre) else (mine["score"].iloc[0] if len(mine) > 1 else None)
        last = post.iloc[0] if len(post) else (mine["score"].iloc[-1] if len(mine) > 1 else None)
        if first is not None and last is not None:
            out[client] = {"pre": float(first), "post": float(last)}
    return pd.DataFrame.from_dict(out, orient="index")


def early_alliance(sessions: pd.DataFrame, part: str, first: int = EARLY_SESSIONS) -> pd.Series:
    """Each client's mean estimate over their first `first` coded sessions.

    Parameters
    ----------
    sessions : DataFrame
        The sessions table (client_id, session_number and `part`).
    part : str
        goal, task, bond or total (1-5 WAI-SR metric).
    first : int
        How many sessions count as early (`EARLY_SESSIONS`, 3).

    Returns
    -------
    Series
        Mean estimate per client_id (str), sessions ordered by session_number.
    """
    data = sessions.dropna(subset=[part]).copy()
    data["client_id"] = data["client_id"].astype(str)
    data["order"] = pd.to_numeric(data["session_number"], errors="coerce")
    data = data.sort_values(["client_id", "order"], na_position="last")
    return data.groupby("client_id")[part].apply(lambda s: s.head(first).mean())


def _early_vs_change(sessions, outcomes, scored, measure, part) -> dict[str, Any]:
    import pingouin as pg
    import statsmodels.formula.api as smf

    data = (
        _pre_post(outcomes, scored, measure)
        .join(early_alliance(sessions, part).rename("early_alliance"), how="inner")
        .dropna()
    )
    data["change"] = data["post"] - data["pre"]
    out: dict[str, Any] = {
        "analysis": "early alliance and symptom change",
        "measure": measure,
        "component": part,
        "clients": len(data),
        "early_sessions": EARLY_SESSIONS,
    }
    if len(data) < 3 or data["early_alliance"].std() == 0 or data["change"].std() == 0:
        return out | {
            "note": f"{len(data)} client(s) with early estimates and pre/post "
            "scores: too few (or no spread) for a correlation"
        }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = pg.corr(data["early_alliance"], data["change"]).iloc[0]
    out["pearson"] = {
        "r": float(r["r"]),
        "ci95": [float(v) for v in r["CI95"]],
        "p": float(r["p_val"]),
    }
    if len(data) >= 5:
        fit = smf.ols("change ~ early_alliance + pre", data).fit()
        low, high = fit.conf_int().loc["early_alliance"]
        out["ols"] = {
            "model": "change ~ early_alliance + pre (OLS)",
            "slope": float(fit.params["early_alliance"]),
            "ci95": [float(low), float(high)],
            "p": float(fit.pvalues["early_alliance"]),
            "n": int(fit.nobs),
        }
    else:
        out["note"] = "OLS with the pre score needs 5 clients or more"
    return out


def lagged_pairs(scored: pd.DataFrame, measure: str, part: str) -> pd.DataFrame:
    """Consecutive coded sessions of a client with the measure at both: alliance and
    symptoms at one session, symptoms at the next; alliance split within/between."""
    data = scored[(scored["measure"] == measure)].dropna(subset=["session_number", part])
    data = data.sort_values(["client_id", "session_number"])
    pairs = []
    for client, rows in data.groupby("client_id"):
        rows = rows.reset_index(drop=True)
        for now, nxt in zip(rows.itertuples(), rows.iloc[1:].itertuples()):
            pairs.append(
                {
                    "client_id": client,
                    "alliance": getattr(now, part),
                    "symptoms": now.score,
                    "next_symptoms": nxt.score,
                }
            )
    pairs = pd.DataFrame(pairs, columns=["client_id", "alliance", "symptoms", "next_symptoms"])
    if len(pairs):
        means = pairs.groupby("client_id")["alliance"].transform("mean")
        pairs["between"] = means - means.mean()
        pairs["within"] = pairs["alliance"] - means
    return pairs


def _lagged(scored, measure, part) -> dict[str, Any]:
    import statsmodels.formula.api as smf

    pairs = lagged_pairs(scored, measure, part)
    model = "next_symptoms ~ within + between + symptoms + (1 | client)"
    out: dict[str, Any] = {
        "analysis": "within-client lagged",
        "measure": measure,
        "component": part,
        "model": model,
        "pairs": len(pairs),
        "clients": int(pairs["client_id"].nunique()) if len(pairs) else 0,
    }
    if len(pairs) < 6 or out["clients"] < 2 or pairs["within"].std() == 0:
        return out | {
            "note": f"{len(pairs)} lagged pair(s) from {out['clients']} client(s): "
            "too few for the model (6 pairs from 2 clients at least)"
        }
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = smf.mixedlm(
                "next_symptoms ~ within + between + symptoms", pairs, groups=pairs["client_id"]
            ).fit(reml=True)
    except (np.linalg.LinAlgError, ValueError) as err:
        return out | {"note": f"the model did not fit ({err})"}
    ci = fit.conf_int()
    for term in ("within", "between"):
        out[term] = {
            "slope": float(fit.params[term]),
            "ci95": [float(v) for v in ci.loc[term]],
            "p": float(fit.pvalues[term]),
        }
    out["converged"] = bool(fit.converged)
    return out


def alliance_outcome(sessions: pd.DataFrame, outcomes: Outcomes) -> list[dict[str, Any]]:
    """Both analyses (early alliance and change; within-client lagged) for every measure and
    component.

    Parameters
    ----------
    sessions : DataFrame
        The sessions table: session_id, client_id, session_number, goal, task, bond, total
        (1-5 WAI-SR metric).
    outcomes : Outcomes
        `read_outcomes`' result.

    Returns
    -------
    list of dict
        Per measure and component, an "early alliance and symptom change" result (clients,
        pearson {r, ci95, p}, ols {model, slope, ci95, p, n}) and a "within-client lagged"
        result (pairs, clients, within and between {slope, ci95, p}, converged); a note
        where there were too few clients or pairs.
    """
    scored = session_scores(outcomes, sessions)
    results = []
    for measure in outcomes.measures:
        for part in PARTS:
            if part not in sessions:
                continue
            results.append(_early_vs_change(sessions, outcomes, scored, measure, part))
            results.append(_lagged(scored, measure, part))
    return results


def outcome_table(results: list[dict[str, Any]]) -> pd.DataFrame:
    """outcomes.csv: one row per analysis, measure and component (and term).

    Parameters
    ----------
    results : list of dict
        `alliance_outcome`'s output.

    Returns
    -------
    DataFrame
        Columns analysis, measure, component, clients, n, statistic, estimate, ci_low,
        ci_high, p, note.
    """
    rows = []
    for r in results:
        base = {
            "analysis": r["analysis"],
            "measure": r["measure"],
            "component": r["component"],
            "clients": r["clients"],
            "n": r.get("pairs", r["clients"]),
        }
        terms = [
            ("pearson r", r.get("pearson"), "r"),
            ("ols slope", r.get("ols"), "slope"),
            ("within slope", r.get("within"), "slope"),
            ("between slope", r.get("between"), "slope"),
        ]
        shown = [(name, fig, key) for name, fig, key in terms if fig]
        if not shown:
            rows.append(
                base
                | {
                    "statistic": None,
                    "estimate": None,
                    "ci_low": None,
                    "ci_high": None,
                    "p": None,
                    "note": r.get("note", ""),
                }
            )
        for name, fig, key in shown:
            rows.append(
                base
                | {
                    "statistic": name,
                    "estimate": fig[key],
                    "ci_low": fig["ci95"][0],
                    "ci_high": fig["ci95"][1],
                    "p": fig["p"],
                    "note": r.get("model", fig.get("model", "")),
                }
            )
    return pd.DataFrame(rows)
