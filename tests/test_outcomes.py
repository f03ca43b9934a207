"""Outcome measures: reading them, and that the alliance-outcome analyses recover known
links from simulated clients (within- and between-client effects apart)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from transcript_alliance.comparison.outcomes import (
    alliance_outcome,
    lagged_pairs,
    read_outcomes,
    session_scores,
)
from transcript_alliance.errors import InputError

from .conftest import SAMPLES


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("session_id,gad7\ns1,5\n", "missing column: client_id"),
        ("client_id,session_number,gad7\nC1,1,22\n", "row 2: gad7 = 22: GAD-7 scores lie in 0-21"),
        ("client_id,timepoint,phq9\nC1,during,5\n", "row 2: timepoint 'during'"),
        ("client_id,session_number,gad7\nC1,one,5\n", "row 2: session_number 'one'"),
        ("client_id,session_number\nC1,1\n", "no measure columns"),
    ],
)
def test_bad_outcome_files_are_named(write, content, message):
    with pytest.raises(InputError, match=message):
        read_outcomes(write("o.csv", content))


def test_measure_names_are_normalised(write):
    outcomes = read_outcomes(write("o.csv", "client_id,session_number,GAD-7,PHQ_9\nC1,1,5,6\n"))
    assert outcomes.measures == ["gad7", "phq9"]
    assert set(outcomes.frame["measure"]) == {"gad7", "phq9"}


def _simulated(clients=60, sessions=6, within=-3.0, early=-4.0, seed=1):
    """Clients whose symptoms at the next session fall by `within` per point of alliance
    above their own mean, and whose pre-post change falls by `early` per point of early
    alliance; between-client alliance has no lagged effect of its own."""
    rng = np.random.default_rng(seed)
    session_rows, outcome_rows = [], []
    for c in range(clients):
        level = rng.normal(3.8, 0.4)
        alliance = level + rng.normal(0, 0.4, sessions)
        symptoms = [rng.normal(14, 2)]
        for t in range(1, sessions):
            symptoms.append(
                0.7 * symptoms[-1] + within * (alliance[t - 1] - level) + 4 + rng.normal(0, 0.8)
            )
        for t in range(sessions):
            session_rows.append(
                {
                    "session_id": f"c{c}s{t + 1}",
                    "client_id": f"C{c}",
                    "session_number": t + 1,
                    "total": alliance[t],
                    "goal": alliance[t],
                    "task": alliance[t],
                    "bond": alliance[t],
                }
            )
            outcome_rows.append(
                {
                    "client_id": f"C{c}",
                    "session_number": t + 1,
                    "gad7": float(np.clip(symptoms[t], 0, 21)),
                }
            )
        pre = rng.normal(15, 2)
        change = early * (alliance[:3].mean() - 3.8) - 5 + rng.normal(0, 1)
        outcome_rows += [
            {"client_id": f"C{c}", "timepoint": "pre", "gad7": float(np.clip(pre, 0, 21))},
            {
                "client_id": f"C{c}",
                "timepoint": "post",
                "gad7": float(np.clip(pre + change, 0, 21)),
            },
        ]
    return pd.DataFrame(session_rows), pd.DataFrame(outcome_rows)


def test_known_links_are_recovered(tmp_path):
    sessions, outcomes = _simulated()
    path = tmp_path / "o.csv"
    outcomes.to_csv(path, index=False)
    results = alliance_outcome(sessions, read_outcomes(path))
    early = next(
        r for r in results if r["analysis"].startswith("early") and r["component"] == "total"
    )
    lagged = next(
        r for r in results if r["analysis"].startswith("within") and r["component"] == "total"
    )
    assert early["clients"] == 60
    assert early["pearson"]["r"] < -0.5 and early["pearson"]["ci95"][1] < 0
    low, high = early["ols"]["ci95"]
    assert low < -4.0 < high
    assert lagged["pairs"] == 60 * 5
    low, high = lagged["within"]["ci95"]
    assert low < -3.0 < high and high < 0
    assert "within + between + symptoms" in lagged["model"]


def test_lagged_pairs_split_within_and_between():
    sessions = pd.DataFrame(
        {
            "session_id": ["a", "b", "c"],
            "client_id": ["C1"] * 3,
            "session_number": [1, 2, 3],
            "total": [3.0, 4.0, 5.0],
            "goal": 1,
            "task": 1,
            "bond": 1,
        }
    )
    rows = pd.DataFrame(
        {
            "client_id": "C1",
            "session_id": [None] * 3,
            "session_number": [1, 2, 3],
            "timepoint": "session",
            "measure": "gad7",
            "score": [10.0, 8.0, 5.0],
        }
    )

    outcomes = SimpleNamespace(frame=rows, measures=["gad7"])
    pairs = lagged_pairs(session_scores(outcomes, sessions), "gad7", "total")
    assert list(pairs["next_symptoms"]) == [8.0, 5.0]
    assert list(pairs["within"]) == [-0.5, 0.5]


def test_compare_with_outcomes_only(run_cli, tmp_path):
    sessions, outcomes = _simulated(clients=8, sessions=4)
    sessions.to_csv(tmp_path / "sessions.csv", index=False)
    outcomes.to_csv(tmp_path / "o.csv", index=False)
    out = tmp_path / "cmp"
    result = run_cli(
        "compare", tmp_path / "sessions.csv", "--outcomes", tmp_path / "o.csv", "--out", out
    )
    assert result.code == 0, result.err
    text = (out / "outcomes.md").read_text()
    assert "change ~ early_alliance + pre (OLS)" in text and "not effects" in text
    table = pd.read_csv(out / "outcomes.csv")
    assert {"pearson r", "ols slope", "within slope", "between slope"} <= set(table["statistic"])
    result = run_cli("compare", tmp_path / "sessions.csv", "--out", out)
    assert result.code == 2 and "nothing to compare" in result.err


def test_sample_outcome_file_reads():
    outcomes = read_outcomes(SAMPLES / "outcomes.csv")
    assert set(outcomes.measures) == {"gad7", "phq9", "oasis"}
    assert set(outcomes.frame["timepoint"]) == {"pre", "post", "session"}
