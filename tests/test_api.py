"""Each command's library function, called from Python, does what the command does: the
same files, the same figures, and typed results."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import transcript_alliance as ta
from transcript_alliance.errors import InputError, OptionError

from .conftest import ROOT, SAMPLES
from .test_outcomes import _simulated

ANNOTATIONS = ROOT / "data" / "annotations" / "utterances.csv"


def _with_self_reports(tmp_path, seed: int = 0):
    """A small sessions table (8 clients x 4 sessions) with evidence rates, and client
    self-reports on the WAI-SR subscales that follow the rates."""
    sessions, _ = _simulated(clients=8, sessions=4)
    rng = np.random.default_rng(seed)
    for name in ("client_agreement", "therapist_empathy_validation", "client_withdrawal"):
        sessions[f"marker_rate_{name}"] = rng.uniform(0, 0.3, len(sessions))
    signal = 3.5 + 4 * sessions["marker_rate_client_agreement"]
    signal -= 3 * sessions["marker_rate_client_withdrawal"]
    reports = sessions[["session_id", "client_id", "session_number"]].copy()
    for part in ("goal", "task", "bond"):
        reports[part] = (signal + rng.normal(0, 0.2, len(sessions))).clip(1, 5).round(2)
    reports["total"] = reports[["goal", "task", "bond"]].mean(axis=1).round(2)
    sessions.to_csv(tmp_path / "sessions.csv", index=False)
    reports.to_csv(tmp_path / "selfreports.csv", index=False)
    return tmp_path / "sessions.csv", tmp_path / "selfreports.csv"


def test_compare_from_python_and_the_command_line_agree(run_cli, tmp_path):
    sessions, reports = _with_self_reports(tmp_path)
    result = ta.compare(sessions, reports, out=tmp_path / "api")
    assert isinstance(result, ta.Comparison)
    assert set(result.agreement["component"]) == {"goal", "task", "bond", "total"}
    assert result.outcomes.empty
    assert tmp_path / "api" / "comparison.csv" in result.written
    cli = run_cli("compare", sessions, reports, "--out", tmp_path / "cli")
    assert cli.code == 0, cli.err
    api_table = pd.read_csv(tmp_path / "api" / "comparison.csv")
    pd.testing.assert_frame_equal(api_table, pd.read_csv(tmp_path / "cli" / "comparison.csv"))
    total = result.agreement.set_index("component").loc["total"]
    assert f"client total: n {total.n}, r {total.pearson_r:.2f}" in cli.err
    # the same figures without writing anything, from a DataFrame
    again = ta.compare(pd.read_csv(sessions), reports)
    assert again.written == []
    pd.testing.assert_frame_equal(again.agreement, result.agreement)


def test_compare_needs_something_to_compare(tmp_path):
    sessions, _ = _with_self_reports(tmp_path)
    with pytest.raises(OptionError, match="nothing to compare"):
        ta.compare(sessions)
    with pytest.raises(InputError, match="no such file"):
        ta.compare(tmp_path / "nothere.csv", tmp_path / "selfreports.csv")


def test_calibrate_from_python_and_the_command_line_agree(run_cli, tmp_path):
    sessions, reports = _with_self_reports(tmp_path)
    result = ta.calibrate(sessions, reports, out=tmp_path / "api.json", target="all")
    assert isinstance(result, ta.Calibration)
    assert set(result.components) == {"goal", "task", "bond"}
    fit = result.components["bond"]
    assert isinstance(fit, ta.ComponentFit)
    assert (
        fit.sessions == 32 and fit.groups == 8 and fit.calibrated_r > fit.default_r
    )  # few guarded features (issue 22)
    cli = run_cli("calibrate", sessions, reports, "--out", tmp_path / "cli.json")
    assert cli.code == 0, cli.err
    assert json.loads((tmp_path / "api.json").read_text()) == json.loads(
        (tmp_path / "cli.json").read_text()
    )
    assert f"calibrated CV r {fit.calibrated_r:.2f}" in cli.err
    with pytest.raises(OptionError, match="`target` 'goals'"):
        ta.calibrate(sessions, reports, target="goals")  # type: ignore[arg-type]
    with pytest.raises(OptionError, match="`groups` clinic"):
        ta.calibrate(sessions, reports, groups="clinic")
    cli = run_cli("calibrate", sessions, reports, "--groups", "clinic")
    assert cli.code == 2 and "error: --groups clinic: no such column" in cli.err


def test_evaluate_from_python_and_the_command_line_agree(run_cli, tmp_path):
    result = ta.evaluate("fast", ANNOTATIONS, split="test", out=tmp_path / "api.csv")
    assert isinstance(result, ta.Evaluation)
    assert result.split == "test" and 0 < result.utterances < 3840
    assert 0 < result.macro_f1 <= 1
    columns = list(result.per_code.columns)
    assert columns[0] == "code"
    assert {"n", "support", "predicted", "precision", "recall"} <= set(columns)
    cli = run_cli("evaluate", "fast", ANNOTATIONS, "--split", "test", "--out", tmp_path / "c.csv")
    assert cli.code == 0, cli.err
    assert json.loads((tmp_path / "c.json").read_text())["per_code"] == result.summary()["per_code"]
    assert f"macro-F1 {result.macro_f1}" in cli.out
    with pytest.raises(OptionError, match="`split` 'dev'"):
        ta.evaluate("fast", ANNOTATIONS, split="dev")  # type: ignore[arg-type]


def test_suggest_from_python_and_the_command_line_agree(run_cli, tmp_path):
    files = [SAMPLES / "sessions" / "maya_01.txt", SAMPLES / "sessions" / "jordan_02.srt"]
    result = ta.suggest("fast", files, n=6, out=tmp_path / "api.csv")
    assert isinstance(result, ta.Suggestions)
    assert len(result.table) == 6 and result.sessions == 2 and result.utterances > 6
    assert result.table["uncertainty"].is_monotonic_decreasing
    cli = run_cli("suggest", "fast", *files, "--n", "6", "--out", tmp_path / "cli.csv")
    assert cli.code == 0, cli.err
    pd.testing.assert_frame_equal(
        pd.read_csv(tmp_path / "api.csv"), pd.read_csv(tmp_path / "cli.csv")
    )
    with pytest.raises(OptionError, match="`n` 0"):
        ta.suggest("fast", files, n=0)
    with pytest.raises(OptionError, match="no input"):
        ta.suggest("fast", [])
    cli = run_cli("suggest", "fast", *files, "--n", "0")
    assert cli.code == 2 and cli.err.strip() == "error: --n 0: expected 1 or more"


def test_read_sessions_table_by_suffix(tmp_path):
    sessions, _ = _with_self_reports(tmp_path)
    table = ta.read_sessions_table(sessions)
    table.to_parquet(tmp_path / "s.parquet")
    pd.testing.assert_frame_equal(ta.read_sessions_table(tmp_path / "s.parquet"), table)
    (tmp_path / "bad.parquet").write_text("not parquet")
    with pytest.raises(InputError, match=r"bad.parquet: could not be read as a sessions table"):
        ta.read_sessions_table(tmp_path / "bad.parquet")
