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
from transcript_alliance.estimate.estimator import (
    DERIVED,
    code_contributions,
    codes_text,
    contributions,
    derived_evidence,
    load_estimator,
    parse_codes,
    score_session,
    session_evidence,
    utterance_evidence,
)
from transcript_alliance.estimate.ruptures import about_the_past, hypothetical, rupture_episodes

from .conftest import SAMPLES

CODES = sorted(set(load_estimator().codes()) - set(DERIVED))
MI = SAMPLES.parents[1] / "tests" / "data" / "mi"


def session_table(rows: list[tuple[str, dict[str, float]]], session_id: str = "s") -> pd.DataFrame:
    """(role, {code: probability}) per turn, one utterance each, of 8 words (so that
    neither elaboration nor minimal responses stand out; `text` may be set after)."""
    table = pd.DataFrame(
        {
            "session_id": session_id,
            "turn": range(len(rows)),
            "utterance": range(len(rows)),
            "role": [r for r, _ in rows],
            "text": [f"u{i} a b c d e f g" for i in range(len(rows))],
            "n_words": 8,
        }
    )
    for code in CODES:
        table[f"p_{code}"] = [codes.get(code, 0.0) for _, codes in rows]
    return table


def test_no_evidence_sits_at_the_prior_and_evidence_moves_it():
    est = load_estimator()
    neutral = session_table([("therapist", {}), ("client", {})] * 20).assign(n_words=0)
    assert score_session(neutral, est).scores["bond"] == pytest.approx(3.9)
    warm = session_table(
        [("therapist", {"empathy_validation": 1}), ("client", {"appreciation_trust": 1})] * 20
    )
    cold = session_table([("therapist", {}), ("client", {"confrontation": 1})] * 20)
    assert score_session(warm, est).scores["bond"] > 4.3
    # The prior is strong since 2.1.0 (64 units; fixed in 2.2.0): 40 warm units
    # lift Bond above 4.3 and 20 clear confrontations take it below 3.5, where 1.0.0's
    # six units took it below 2
    assert score_session(cold, est).scores["bond"] < 3.5
    assert score_session(cold, est).scores["task"] < 3.9


def test_intervals_hold_the_estimate_and_narrow_with_length():
    est = load_estimator()
    mixed = [
        ("therapist", {"empathy_validation": 1}),
        ("client", {"withdrawal": 1}),
        ("therapist", {}),
        ("client", {"appreciation_trust": 1}),
    ]
    short = score_session(session_table(mixed * 3), est).scores
    long = score_session(session_table(mixed * 30), est).scores
    for s in (short, long):
        assert s["bond_low"] <= s["bond"] <= s["bond_high"]
        assert 1 <= s["total_low"] <= s["total_high"] <= 5
    assert long["bond_high"] - long["bond_low"] < short["bond_high"] - short["bond_low"]


def test_change_compares_the_last_third_with_the_first():
    rows = [("client", {"confrontation": 1})] * 10 + [("client", {})] * 10
    rows += [("client", {"appreciation_trust": 1})] * 10
    # a third of confrontations to a third of appreciation: over half a point up (the
    # prior of 64 units holds each third near 3.9; 1.0.0's six units let it move >1)
    assert score_session(session_table(rows), load_estimator()).scores["bond_change"] > 0.5


def test_markers_and_classifier_evidence_average():
    table = pd.DataFrame({"m_repair": [2, 0], "p_repair": [0.5, 0.2]})
    assert utterance_evidence(table, ["repair"])["repair"].tolist() == [0.75, 0.1]
    only_markers = utterance_evidence(table[["m_repair"]], ["repair"])
    assert only_markers["repair"].tolist() == [1.0, 0.0]


def test_reflections_and_autonomy_score_above_unsolicited_advice_and_confronting():
    """MITI 4.2: reflections, affirmations and autonomy support are MI-adherent; advice
    without permission and confrontation are not. Task talk no longer counts by itself."""
    est = load_estimator()
    listen = [("therapist", {"complex_reflection": 0.9}), ("client", {})]
    respect = [("therapist", {"emphasize_autonomy": 0.8}), ("client", {})]
    tell = [("therapist", {"advise_without_permission": 0.9}), ("client", {})]
    argue = [("therapist", {"confront": 0.8}), ("client", {})]
    reflective = session_table((listen + respect) * 8)
    directive = session_table((tell + argue) * 8)
    high, low = score_session(reflective, est).scores, score_session(directive, est).scores
    for part in ("task", "bond", "total"):
        assert high[part] > 3.9 > low[part], part
    assert high["goal"] == pytest.approx(3.9) and low["goal"] < 3.9  # reflections: Bond, Task
    told = session_table([("therapist", {"task_talk": 1.0}), ("client", {})] * 10)
    assert score_session(told, est).scores["task"] == pytest.approx(3.9, abs=0.01)


def test_elaboration_and_minimal_responses_come_from_the_words():
    table = pd.DataFrame(
        {
            "session_id": "s",
            "turn": [0, 1, 1, 2, 3],
            "utterance": range(5),
            "role": ["therapist", "client", "client", "therapist", "client"],
            "text": ["What brings you in?", "Fine.", "Sure.", "Say more.", "word " * 30],
        }
    )
    derived = derived_evidence(table)
    assert derived["minimal_response"].tolist() == [0, 1, 0, 0, 0]  # a 2-word turn, once
    assert derived["elaboration"].tolist() == [0, 0.05, 0.05, 0, 1.0]
    est = load_estimator()
    terse = session_table([("therapist", {}), ("client", {})] * 10).assign(n_words=1)
    full = session_table([("therapist", {}), ("client", {})] * 10).assign(n_words=25)
    assert score_session(terse, est).scores["bond"] < 3.9 < score_session(full, est).scores["bond"]


def test_the_clients_feeling_counts_at_the_end_only():
    lines = ["What brings you in?", "I am so miserable and hopeless, everything is awful."]
    lines += ["Tell me more.", "It has been a bad week."] * 6
    lines += ["Anything else?", "Thank you, I feel so much better and hopeful now."]
    table = pd.DataFrame(
        {
            "session_id": "s",
            "turn": range(len(lines)),
            "utterance": range(len(lines)),
            "role": ["therapist", "client"] * (len(lines) // 2),
            "text": lines,
        }
    )
    derived = derived_evidence(table)
    assert derived.loc[1, "negative_affect"] > 0.5 and derived.loc[1, "positive_affect"] == 0
    assert derived.loc[len(lines) - 1, "positive_affect"] > 0.5
    assert (
        derived.loc[table["role"] == "therapist", ["positive_affect", "negative_affect"]]
        .eq(0)
        .all()
        .all()
    )
    est = load_estimator()
    codes = {"positive_affect", "negative_affect"}
    assert all(t.where == "end" for ts in est.components.values() for t in ts if t.code in codes)
    good_end = session_table([("therapist", {}), ("client", {})] * 10).assign(
        text="I feel great, thanks"
    )
    sad_end = session_table([("therapist", {}), ("client", {})] * 10).assign(
        text="I feel awful and hopeless"
    )
    assert (
        score_session(sad_end, est).scores["bond"]
        < 3.9
        < score_session(good_end, est).scores["bond"]
    )
    # the same words early in a long session, before the last turns, do not count
    early = session_table([("therapist", {}), ("client", {})] * 10).assign(text="ok")
    early.loc[early.index[:4], "text"] = "I feel awful and hopeless"
    assert score_session(early, est).scores["bond"] == pytest.approx(
        score_session(
            session_table([("therapist", {}), ("client", {})] * 10).assign(text="ok"), est
        ).scores["bond"]
    )


def test_how_the_session_ends_counts_the_last_turns_only():
    est = load_estimator()
    rows = [("therapist", {}), ("client", {})] * 20
    thanks = ("client", {"appreciation_trust": 1})
    early, late = session_table([thanks, *rows]), session_table([*rows, thanks])
    assert score_session(late, est).scores["bond"] > score_session(early, est).scores["bond"]
    end_terms = [t for t in est.components["bond"] if t.where == "end"]
    assert end_terms and all(t.family == "ending" for t in end_terms)


def test_every_term_has_a_reason_a_source_and_a_family_scale():
    for session_type in ("psychotherapy", "medication"):
        est = load_estimator(session_type=session_type)
        for terms in est.components.values():
            for term in terms:
                assert term.reason and term.source and term.family in est.families, term
        assert len(est.families) <= 5  # few parameters: a scale per family, and the prior
    default = load_estimator()
    medication = load_estimator(session_type="medication")
    assert medication.families == default.families  # the same scales, the pack's terms added


@pytest.mark.parametrize(
    ("text", "past"),
    [
        ("I have to say, I was ready to quit coming here after the second time.", True),
        ("Last week I felt like you weren't listening.", True),
        ("At first I didn't think this would help.", True),
        ("You're not listening.", False),
        ("This isn't helping.", False),
        ("That didn't help at all.", False),  # no anchor to an earlier time: about now
        ("Last time you didn't listen, and you still aren't.", False),
    ],
)
def test_a_complaint_about_the_past_is_not_a_present_rupture(text, past):
    assert about_the_past(text) is past


def test_past_and_conditional_complaints_open_no_episode():
    rows = [("client", {})] * 6 + [("client", {"confrontation": 1})] * 2 + [("client", {})] * 8
    table = session_table(rows)
    table.loc[6, "text"] = "I was ready to quit coming here after the second time."
    table.loc[7, "text"] = "As long as you don't lecture me about it."
    assert hypothetical(table.loc[7, "text"])
    assert rupture_episodes(table, utterance_evidence(table, CODES)).empty
    evidence = session_evidence(table, ["confrontation"])
    assert evidence["confrontation"].sum() == 0  # the estimator reads the same evidence
    present = session_table(rows)
    assert len(rupture_episodes(present, utterance_evidence(present, CODES))) == 1


def test_repair_is_judged_by_the_therapists_response():
    strain = [("client", {})] * 4 + [("client", {"confrontation": 1})] * 2
    reflection = {"complex_reflection": 0.9, "empathy_validation": 0.8}
    argument = {"confront": 0.9, "advise_without_permission": 0.9}
    reflected = session_table([*strain, ("therapist", reflection)])
    argued = session_table([*strain, ("therapist", argument)])
    ok = rupture_episodes(reflected, utterance_evidence(reflected, CODES)).iloc[0]
    bad = rupture_episodes(argued, utterance_evidence(argued, CODES)).iloc[0]
    assert ok["repaired"] and not bad["repaired"]
    assert "response turn 6" in ok["evidence"]


@pytest.fixture(scope="module")
def mi_coded():
    import transcript_alliance as ta
    from transcript_alliance.run.analysis import analyze_sessions

    sessions = [ta.segment_session(ta.read_session(p)) for p in sorted(MI.glob("mi_*.txt"))]
    return {r.session.session_id: r for r in analyze_sessions(sessions, resamples=100)}


def test_mi_sessions_order_by_quality(mi_coded):
    """High-quality MI (reflections, autonomy, collaboration) above low-quality MI
    (unsolicited advice, confrontation) on every component, topic by topic."""
    for topic in ("01", "02"):
        high, low = mi_coded[f"mi_high_{topic}"].scores, mi_coded[f"mi_low_{topic}"].scores
        for part in ("goal", "task", "bond", "total"):
            # a clear margin on every component (0.5 with the 1.0.0-code classifier; the
            # retrained default gives goal 4.04 against 3.54 on topic 02)
            assert high[part] > low[part] + 0.4, (topic, part, high[part], low[part])
        assert high["total_low"] > low["total_high"]  # the intervals do not overlap


def test_mi_evidence_quotes_the_microskills(mi_coded):
    high = mi_coded["mi_high_01"].evidence
    raised = high[(high.component == "bond") & (high.direction == "raised")]
    assert (raised["role"] == "therapist").any() or (raised["role"] == "client").any()
    low = mi_coded["mi_low_01"].evidence
    lowered = low[low.direction == "lowered"]
    assert lowered["text"].str.contains("You need to|You should|denial|have to").any()
    assert not mi_coded["mi_high_01"].ruptures.shape[0]
    assert len(mi_coded["mi_low_01"].ruptures) == 1


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
    merged = pd.DataFrame(
        {"goal": est, "goal_sr": rep, "client_id": list("abcdef"), "session_id": list("abcdef")}
    )
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


@pytest.mark.slow
def test_code_compare_calibrate_on_the_samples(run_cli, tmp_path):
    out = tmp_path / "coded"
    result = run_cli(
        "code", "--manifest", SAMPLES / "manifest.csv", "--out", out, "--resamples", "100"
    )
    assert result.code == 0, result.err
    names = {p.name for p in out.iterdir()}
    assert names >= {
        "sessions.csv",
        "sessions.parquet",
        "utterances.parquet",
        "markers.parquet",
        "evidence.csv",
        "ruptures.csv",
        "errors.csv",
        "run.json",
    }
    sessions = pd.read_csv(out / "sessions.csv").set_index("session_id")
    # What a reader of the samples would say: Jordan's second session, with its
    # complaints, is the weakest; Maya's first, warm and collaborative, among the strongest.
    therapy = sessions[sessions["session_type"] == "psychotherapy"]
    assert therapy["total"].idxmin() == "jordan_02"
    # (0.5 apart, not 1: 2.0.0's stronger prior, chosen with development ratings, holds
    # scores nearer the typical level; the ordering is what a reader would say)
    assert sessions.loc["maya_01", "total"] > sessions.loc["jordan_02", "total"] + 0.5
    assert (sessions["bond_low"] <= sessions["bond"]).all()
    ruptures = pd.read_csv(out / "ruptures.csv")
    assert "jordan_02" in set(ruptures["session_id"])
    assert ruptures.set_index("session_id").loc["jordan_02", "kind"] == "confrontation"
    # jordan_03's "I was ready to quit coming here after the second time" is about the past
    assert "jordan_03" not in set(ruptures["session_id"])
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
    result = run_cli("calibrate", out / "sessions.csv", SAMPLES / "selfreports.csv", "--out", est)
    assert result.code == 0, result.err
    assert "calibrated CV r" in result.err
    # 7 sessions of 2 clients: every refit is worse in CV than the default, so the file
    # keeps the default's terms, says so, and records what it was fitted on.
    assert "warning: small sample: 7 sessions from 2" in result.err
    assert result.err.count("worse than the default") == 3
    written = json.loads(est.read_text())
    assert written["linear"] == {} and written["fitted"]["session_types"] == ["psychotherapy"]
    again = tmp_path / "again"
    result = run_cli(
        "code",
        SAMPLES / "sessions" / "maya_01.txt",
        "--out",
        again,
        "--estimator",
        est,
        "--classifier",
        "none",
    )
    assert result.code == 0, result.err  # a calibrated estimator scores rules-only runs too
    assert (again / "sessions.csv").exists()


def test_code_goes_on_past_a_bad_file_and_lists_it(run_cli, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("no speaker labels here at all\n")
    out = tmp_path / "coded"
    result = run_cli(
        "code",
        SAMPLES / "sessions" / "maya_01.txt",
        bad,
        "--out",
        out,
        "--classifier",
        "none",
        "--resamples",
        "50",
    )
    assert result.code == 1  # some files failed: the batch went on
    assert "bad.txt" in result.err and "Traceback" not in result.err
    errors = pd.read_csv(out / "errors.csv")
    assert errors["path"].str.endswith("bad.txt").all() and len(errors) == 1
    assert len(pd.read_csv(out / "sessions.csv")) == 1


def test_the_python_api_does_what_code_does(tmp_path):
    import transcript_alliance as ta

    summary = ta.code(
        [SAMPLES / "sessions" / "jordan_02.srt"],
        tmp_path / "out",
        classifier=None,
        resamples=50,
        roles="Sam=therapist",
    )
    assert not summary.failures and summary.sessions == 1
    coded = pd.read_csv(tmp_path / "out" / "sessions.csv")
    session = ta.segment_session(
        ta.read_session(SAMPLES / "sessions" / "jordan_02.srt", roles="Sam=therapist")
    )
    again = ta.analyze(session, classifier=None, resamples=50)
    assert again.scores["bond"] == coded.loc[0, "bond"]
    assert callable(ta.compare) and callable(ta.calibrate) and callable(ta.compare_reports)


def _calibration_tables(tmp_path, signal: bool, n_clients: int = 12, per_client: int = 4):
    """Sessions with rates and default scores, and client self-reports: with `signal`
    the rates predict the self-reports and the default does not; without, the default
    is near the self-reports and the rates are noise."""
    from transcript_alliance.comparison.selfreport import read_self_reports

    rng = np.random.default_rng(0)
    rows, reports = [], []
    for c in range(n_clients):
        for k in range(per_client):
            truth = rng.uniform(2, 5, size=3)
            rates = rng.uniform(0, 0.3, size=6)
            if signal:
                rates[:3] = (truth - 2) / 10 + rng.normal(0, 0.005, 3)
            scores = rng.uniform(1, 5, 3) if signal else truth + rng.normal(0, 0.1, 3)
            rows.append(
                {
                    "session_id": f"s{c}_{k}",
                    "client_id": f"C{c}",
                    "session_number": k + 1,
                    "session_type": "psychotherapy",
                    **dict(zip(("goal", "task", "bond"), scores)),
                    "total": scores.mean(),
                    "marker_rate_client_goal_consensus": rates[0],
                    "marker_rate_client_task_endorsement": rates[1],
                    "marker_rate_client_appreciation_trust": rates[2],
                    "marker_rate_client_withdrawal": rates[3],
                    "marker_rate_therapist_reflection": rates[4],
                    "marker_rate_therapist_unrelated_code": rates[5],
                }
            )
            reports.append(
                {
                    "session_id": f"s{c}_{k}",
                    "rater": "client",
                    **dict(zip(("goal", "task", "bond"), truth.round(2))),
                    "total": truth.mean().round(2),
                }
            )
    path = tmp_path / "reports.csv"
    pd.DataFrame(reports).to_csv(path, index=False)
    return pd.DataFrame(rows), read_self_reports(path, "wai-sr")


def test_calibrate_keeps_the_default_where_its_cv_is_worse_and_says_so(tmp_path):
    from transcript_alliance.estimate.fitting import fit_estimator as calibrate

    sessions, reports = _calibration_tables(tmp_path, signal=False, n_clients=3, per_client=3)
    est, report = calibrate(sessions, reports, load_estimator())
    assert {r["kept"] for r in report["components"].values()} == {"default"}
    assert not est.linear and est.form == "evidence_share"
    assert report["warnings"][0].startswith("small sample: 9 sessions from 3")
    worse = [w for w in report["warnings"] if "worse than the default" in w]
    assert worse and all(("r lower" in w or "MAE higher" in w) for w in worse)
    assert est.fitted["session_types"] == ["psychotherapy"] and est.fitted["sessions"] == 9
    assert est.fitted["instrument"] == "wai-sr" and "9 sessions from 3" in est.description
    forced, _ = calibrate(sessions, reports, load_estimator(), force=True)
    assert set(forced.linear) == {"goal", "task", "bond"}


def test_calibrate_fits_few_features_where_it_beats_the_default(tmp_path):
    from transcript_alliance.estimate.fitting import fit_estimator as calibrate

    sessions, reports = _calibration_tables(tmp_path, signal=True)
    est, report = calibrate(sessions, reports, load_estimator())
    assert est.form == "linear" and "goal" in est.linear
    assert "small sample" not in " ".join(report["warnings"])
    # Only the rates of codes the default weighs for the component: not every code.
    assert all("unrelated_code" not in f for part in est.linear.values() for f in part.features)
    goal = report["components"]["goal"]
    assert goal["kept"] == "calibrated" and goal["alpha"] >= 1.0
    assert goal["calibrated_cv"]["r"] > goal["default"]["r"]


def test_a_calibrated_estimator_is_not_applied_to_session_types_it_never_saw(tmp_path):
    from transcript_alliance.estimate.fitting import fit_estimator as calibrate

    sessions, reports = _calibration_tables(tmp_path, signal=True)
    est, _ = calibrate(sessions, reports, load_estimator())
    path = tmp_path / "est.json"
    path.write_text(est.model_dump_json())
    assert load_estimator(path).name.endswith("calibrated")
    with pytest.warns(UserWarning, match="calibrated on psychotherapy sessions only"):
        fallback = load_estimator(path, "medication")
    assert fallback.name == load_estimator(None, "medication").name


def test_the_worse_message_names_what_is_worse():
    from transcript_alliance.estimate.fitting import _worse_by

    assert _worse_by({"r": 0.84, "mae": 0.30}, {"r": 0.92, "mae": 0.55}) == "r lower"
    assert _worse_by({"r": 0.95, "mae": 0.60}, {"r": 0.92, "mae": 0.55}) == "MAE higher"
    assert _worse_by({"r": None, "mae": 0.60}, {"r": 0.9, "mae": 0.5}) == "no r and MAE higher"


def test_evidence_names_the_codes_behind_each_weight():
    """evidence's `codes`: the parts of the weight by code, largest first, summing to it;
    `contributions` is their sum (one place computes the parts)."""
    from transcript_alliance.run.scoring import top_evidence

    est = load_estimator()
    rows = [("therapist", {}), ("client", {})] * 6
    rows += [("therapist", {"empathy_validation": 1}), ("client", {"task_rejection": 1})]
    table = session_table(rows)
    table.loc[13, "text"] = "I feel awful and angry, this was a waste of time."
    evidence = session_evidence(table, sorted(est.codes()))
    parts = code_contributions(est, table, evidence)
    summed = contributions(est, table, evidence)
    for component in ("goal", "task", "bond"):
        assert np.allclose(parts[component].sum(axis=1), summed[component])
    assert np.allclose(score_session(table, est).contributions, summed)
    # the end terms count in the last `ending_turns` turns only
    late = table.assign(text=table["text"].where(table.index != 13, "u"))
    late.loc[1, "text"] = "I feel awful and angry, this was a waste of time."
    early = code_contributions(est, late, session_evidence(late, sorted(est.codes())))
    assert early["task"].loc[1, "negative_affect"] == 0.0
    ev = top_evidence(table, summed, parts)
    row = ev[(ev.component == "task") & (ev.direction == "lowered")].iloc[0]
    assert row["codes"].startswith("task_rejection -2.000; negative_affect -0.844")
    assert sum(parse_codes(row["codes"]).values()) == pytest.approx(row["weight"], abs=0.01)
    assert codes_text(pd.Series({"a": 0.25, "b": -0.5, "c": 0.0001})) == "b -0.500; a +0.250"
    assert parse_codes("b -0.500; a +0.250") == {"b": -0.5, "a": 0.25}
    assert parse_codes("") == {}
    with pytest.raises(ValueError, match="signed number"):
        parse_codes("b 0.5")
