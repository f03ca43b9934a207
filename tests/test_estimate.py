"""Session estimates: the evidence-share form, intervals, evidence, ruptures, and the
code / compare / calibrate commands on the samples."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy.stats import pearsonr

from transcript_alliance.comparison.agreement import agreement
from transcript_alliance.errors import InputError
from transcript_alliance.estimate.estimator import load_estimator, score_session, utterance_evidence
from transcript_alliance.estimate.ruptures import rupture_episodes

from .conftest import SAMPLES

CODES = sorted(load_estimator().codes())


def session_table(rows: list[tuple[str, dict[str, float]]], session_id: str = "s") -> pd.DataFrame:
    """(role, {code: probability}) per turn, one utterance each."""
    table = pd.DataFrame(
        {"session_id": session_id, "turn": range(len(rows)), "utterance": range(len(rows)),
         "role": [r for r, _ in rows], "text": [f"u{i}" for i in range(len(rows))]}
    )  # fmt: skip
    for code in CODES:
        table[f"p_{code}"] = [codes.get(code, 0.0) for _, codes in rows]
    return table


def test_no_evidence_sits_at_the_prior_and_evidence_moves_it():
    est = load_estimator()
    neutral = session_table([("therapist", {}), ("client", {})] * 20)
    assert score_session(neutral, est).scores["bond"] == pytest.approx(3.9)
    warm = session_table([("therapist", {"empathy_validation": 1}),
                          ("client", {"appreciation_trust": 1})] * 20)  # fmt: skip
    cold = session_table([("therapist", {}), ("client", {"confrontation": 1})] * 20)
    assert score_session(warm, est).scores["bond"] > 4.5
    assert score_session(cold, est).scores["bond"] < 2.0
    assert score_session(cold, est).scores["task"] < 3.9


def test_intervals_hold_the_estimate_and_narrow_with_length():
    est = load_estimator()
    mixed = [("therapist", {"empathy_validation": 1}), ("client", {"withdrawal": 1}),
             ("therapist", {}), ("client", {"appreciation_trust": 1})]  # fmt: skip
    short = score_session(session_table(mixed * 3), est).scores
    long = score_session(session_table(mixed * 30), est).scores
    for s in (short, long):
        assert s["bond_low"] <= s["bond"] <= s["bond_high"]
        assert 1 <= s["total_low"] <= s["total_high"] <= 5
    assert long["bond_high"] - long["bond_low"] < short["bond_high"] - short["bond_low"]


def test_change_compares_the_last_third_with_the_first():
    rows = [("client", {"confrontation": 1})] * 10 + [("client", {})] * 10
    rows += [("client", {"appreciation_trust": 1})] * 10
    assert score_session(session_table(rows), load_estimator()).scores["bond_change"] > 1


def test_markers_and_classifier_evidence_average():
    table = pd.DataFrame({"m_repair": [2, 0], "p_repair": [0.5, 0.2]})
    assert utterance_evidence(table, ["repair"])["repair"].tolist() == [0.75, 0.1]
    only_markers = utterance_evidence(table[["m_repair"]], ["repair"])
    assert only_markers["repair"].tolist() == [1.0, 0.0]


def test_a_rupture_episode_with_and_without_repair():
    rows = [("client", {})] * 6 + [("client", {"confrontation": 1})] * 2 + [("client", {})] * 4
    rows += [("therapist", {"repair": 0.9})] + [("client", {})] * 8
    table = session_table(rows)
    episodes = rupture_episodes(table, utterance_evidence(table, CODES))
    assert len(episodes) == 1
    episode = episodes.iloc[0]
    assert (episode["start_turn"], episode["end_turn"]) == (6, 7)
    assert episode["kind"] == "confrontation" and episode["repaired"]
    unrepaired = session_table([r for r in rows if r[0] != "therapist"])
    assert not rupture_episodes(unrepaired, utterance_evidence(unrepaired, CODES))["repaired"].any()


def test_agreement_matches_scipy_and_the_bland_altman_formula():
    est = np.array([3.0, 3.5, 4.0, 4.5, 2.5, 3.8])
    rep = np.array([3.2, 3.1, 4.4, 4.9, 2.0, 3.9])
    merged = pd.DataFrame({"goal": est, "goal_sr": rep, "client_id": list("abcdef"),
                           "session_id": list("abcdef")})  # fmt: skip
    out = agreement(merged, "goal", same_scale=True)
    assert out["pearson"]["r"] == pytest.approx(pearsonr(est, rep).statistic)
    diff = est - rep
    assert out["bland_altman"]["bias"] == pytest.approx(diff.mean())
    assert out["bland_altman"]["upper"] == pytest.approx(diff.mean() + 1.96 * diff.std(ddof=1))
    assert out["mae"] == pytest.approx(np.abs(diff).mean())
    assert "ICC(2,1)" in out["icc"]["form"] and 0 < out["icc"]["icc"] < 1


def test_a_bad_estimator_file_is_one_line(tmp_path):
    path = tmp_path / "est.json"
    path.write_text(json.dumps({"name": "x", "version": "1", "form": "linear"}))
    with pytest.raises(InputError, match="no terms for goal, task, bond"):
        load_estimator(path)


def test_code_compare_calibrate_on_the_samples(run_cli, tmp_path):
    out = tmp_path / "coded"
    result = run_cli("code", "--manifest", SAMPLES / "manifest.csv", "--out", out,
                     "--resamples", "100")  # fmt: skip
    assert result.code == 0, result.err
    names = {p.name for p in out.iterdir()}
    assert names >= {"sessions.csv", "sessions.parquet", "utterances.parquet", "markers.parquet",
                     "evidence.csv", "ruptures.csv", "errors.csv", "run.json"}  # fmt: skip
    sessions = pd.read_csv(out / "sessions.csv").set_index("session_id")
    # What a reader of the samples would say: Jordan's second session, with its
    # complaints, is the weakest; Maya's first, warm and collaborative, among the strongest.
    therapy = sessions[sessions["session_type"] == "psychotherapy"]
    assert therapy["total"].idxmin() == "jordan_02"
    assert sessions.loc["maya_01", "total"] > sessions.loc["jordan_02", "total"] + 1
    assert (sessions["bond_low"] <= sessions["bond"]).all()
    ruptures = pd.read_csv(out / "ruptures.csv")
    assert "jordan_02" in set(ruptures["session_id"])
    assert ruptures.set_index("session_id").loc["jordan_02", "kind"] == "confrontation"
    evidence = pd.read_csv(out / "evidence.csv")
    lowered = evidence[(evidence.session_id == "jordan_02") & (evidence.direction == "lowered")]
    assert lowered["text"].str.contains("helping|listening").any()
    run = json.loads((out / "run.json").read_text())
    assert run["counts"]["sessions"] == 12 and run["settings"]["classifier"] == "default"

    cmp = tmp_path / "cmp"
    result = run_cli("compare", out / "sessions.csv", SAMPLES / "selfreports.csv", "--out", cmp)
    assert result.code == 0, result.err
    table = pd.read_csv(cmp / "comparison.csv")
    assert set(table["component"]) == {"goal", "task", "bond", "total"}
    assert {"scatter.png", "bland_altman.png", "trajectories.png", "summary.html"} <= {
        p.name for p in cmp.iterdir()
    }

    est = tmp_path / "est.json"
    result = run_cli("calibrate", out / "sessions.csv", SAMPLES / "selfreports.csv",
                     "--out", est)  # fmt: skip
    assert result.code == 0, result.err
    assert "calibrated CV r" in result.err
    assert set(json.loads(est.read_text())["linear"]) == {"goal", "task", "bond"}
    again = tmp_path / "again"
    result = run_cli("code", SAMPLES / "sessions" / "maya_01.txt", "--out", again,
                     "--estimator", est, "--classifier", "none")  # fmt: skip
    assert result.code == 0, result.err  # a calibrated estimator scores rules-only runs too
    assert (again / "sessions.csv").exists()


def test_code_goes_on_past_a_bad_file_and_lists_it(run_cli, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("no speaker labels here at all\n")
    out = tmp_path / "coded"
    result = run_cli("code", SAMPLES / "sessions" / "maya_01.txt", bad, "--out", out,
                     "--classifier", "none", "--resamples", "50")  # fmt: skip
    assert result.code == 1  # some files failed: the batch went on
    assert "bad.txt" in result.err and "Traceback" not in result.err
    errors = pd.read_csv(out / "errors.csv")
    assert errors["path"].str.endswith("bad.txt").all() and len(errors) == 1
    assert len(pd.read_csv(out / "sessions.csv")) == 1


def test_the_python_api_does_what_code_does(tmp_path):
    import transcript_alliance as ta

    summary = ta.code(
        [SAMPLES / "sessions" / "jordan_02.srt"], tmp_path / "out", classifier=None,
        resamples=50, roles="Sam=therapist",
    )  # fmt: skip
    assert not summary.failures and summary.sessions == 1
    coded = pd.read_csv(tmp_path / "out" / "sessions.csv")
    session = ta.segment_session(ta.read_session(SAMPLES / "sessions" / "jordan_02.srt",
                                                 roles="Sam=therapist"))  # fmt: skip
    again = ta.analyze(session, classifier=None, resamples=50)
    assert again.scores["bond"] == coded.loc[0, "bond"]
    assert callable(ta.compare) and callable(ta.calibrate) and callable(ta.compare_reports)
