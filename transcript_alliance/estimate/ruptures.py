"""Rupture and repair episodes from within-session windows.

A window (20 turns, step 10, as in `style.py`) is a rupture window when the client's
rupture evidence in it (withdrawal and confrontation: markers and classifier, averaged
per utterance as in `estimate.utterance_evidence`) adds up to `threshold` or more.
Overlapping rupture windows merge into one episode, running from its first to its last
rupture utterance. The episode is repaired when the therapist's repair evidence reaches
0.5 inside it or within `repair_turns` turns after it. Kind: whichever of withdrawal and
confrontation has more evidence in the episode (Safran & Muran, 2000)."""

from __future__ import annotations

import pandas as pd

from ..annotate.style import WINDOW_STEP, WINDOW_TURNS, window_starts
from ..schema import RUPTURE_COLUMNS

KINDS = ("withdrawal", "confrontation")


def _windows(turns: list[int], size: int, step: int) -> list[tuple[int, int]]:
    n = len(turns)
    return [(turns[s], turns[min(s + size, n) - 1]) for s in window_starts(n, size, step)]


def rupture_episodes(
    table: pd.DataFrame,
    evidence: pd.DataFrame,
    *,
    threshold: float = 1.5,
    repair_turns: int = 10,
    size: int = WINDOW_TURNS,
    step: int = WINDOW_STEP,
) -> pd.DataFrame:
    """One row per episode for one session's utterance table."""
    if table.empty:
        return pd.DataFrame(columns=RUPTURE_COLUMNS)
    session_id = table["session_id"].iloc[0]
    client = table["role"] == "client"
    strain = evidence[list(KINDS)].where(client, 0.0)
    repair = evidence["repair"].where(table["role"] == "therapist", 0.0)
    turn = table["turn"]
    flagged = [
        (first, last) for first, last in _windows(sorted(turn.unique()), size, step)
        if strain[turn.between(first, last)].to_numpy().sum() >= threshold
    ]  # fmt: skip
    merged: list[list[int]] = []
    for first, last in flagged:
        if merged and first <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    rows = []
    for first, last in merged:
        inside = turn.between(first, last)
        hits = strain[inside].sum(axis=1)
        hits = hits[hits >= 0.5]
        if hits.empty:  # evidence spread thinly over many utterances: no clear episode
            continue
        start, end = int(turn[hits.index].min()), int(turn[hits.index].max())
        span = strain[turn.between(start, end)].sum()
        after = turn.between(start, end + repair_turns)
        top = hits.sort_values(ascending=False).index[:3]
        rows.append(
            {
                "session_id": session_id,
                "start_turn": start,
                "end_turn": end,
                "kind": span.idxmax(),
                "repaired": bool(repair[after].sum() >= 0.5),
                "evidence": " | ".join(
                    f"turn {int(turn[i])}: {table.at[i, 'text']}" for i in sorted(top)
                ),
            }
        )
    return pd.DataFrame(rows, columns=RUPTURE_COLUMNS)
