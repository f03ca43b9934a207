"""Across a program (a manifest with `program` and `week`): each client's alliance with
the whole team and with each clinician over the weeks, one row per client and clinician
(`(team)` for the session-level estimate): sessions, first and last week, and for Goal,
Task, Bond and Total the first, last and mean estimate and the least-squares slope per
week (scipy's linregress; left empty with fewer than two distinct weeks)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..schema import PARTS

TEAM = "(team)"


def _summary(group: pd.DataFrame) -> dict:
    # here, not at the top: scipy.stats takes ~1.8 s to import, and `code` imports this
    # module at the end of every run, with or without weeks
    from scipy.stats import linregress

    group = group.sort_values("week")
    weeks = group["week"].to_numpy(float)
    row = {"n_sessions": len(group), "first_week": int(weeks[0]), "last_week": int(weeks[-1])}
    for part in PARTS:
        values = group[part].to_numpy(float)
        slope = np.nan
        if len(set(weeks)) >= 2:
            slope = float(linregress(weeks, values).slope)
        row |= {
            f"{part}_first": values[0],
            f"{part}_last": values[-1],
            f"{part}_mean": round(float(values.mean()), 3),
            f"{part}_slope_per_week": round(slope, 4) if slope == slope else np.nan,
        }
    return row


def program_summary(sessions: pd.DataFrame, dyads: pd.DataFrame) -> pd.DataFrame | None:
    """Each client's alliance over a program's weeks, with the team and with each clinician.

    Parameters
    ----------
    sessions : DataFrame
        The sessions table with week (and optionally program): session_id, client_id,
        week, goal, task, bond, total (1-5 WAI-SR metric).
    dyads : DataFrame
        The dyads table (`DYAD_COLUMNS`); may be empty.

    Returns
    -------
    DataFrame or None
        None when no session has a week; else one row per program, client and clinician
        (`(team)` first): program, client_id, clinician, n_sessions, first_week,
        last_week, and per part {part}_first, {part}_last, {part}_mean and
        {part}_slope_per_week (least squares, scipy's linregress; NaN with fewer than two
        distinct weeks).
    """
    if "week" not in sessions or sessions["week"].isna().all():
        return None
    keys = ["session_id", "client_id", "week"] + (["program"] if "program" in sessions else [])
    timed = sessions[sessions["week"].notna()]
    frames = [timed[[*keys, *PARTS]].assign(clinician=TEAM)]
    if len(dyads):
        joined = dyads.drop(columns="client_id").merge(timed[keys], on="session_id")
        frames.append(joined[[*keys, *PARTS, "clinician"]])
    data = pd.concat(frames, ignore_index=True)
    if "program" not in data:
        data["program"] = None
    rows = []
    for (program, client, clinician), group in data.groupby(
        ["program", "client_id", "clinician"], dropna=False, sort=False
    ):
        rows.append(
            {"program": program, "client_id": client, "clinician": clinician, **_summary(group)}
        )
    out = pd.DataFrame(rows)
    team_first = out["clinician"] != TEAM
    return (
        out.assign(_order=team_first)
        .sort_values(["program", "client_id", "_order", "clinician"], kind="stable")
        .drop(columns="_order")
    )
