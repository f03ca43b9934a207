"""MITI-style summary measures: counts, ratios and shares from the utterance table, the
one-behaviour-per-utterance rule within reflections and questions, and the columns in
sessions and dyads."""

from __future__ import annotations

import pandas as pd
import pytest

from transcript_alliance import read_session, segment_session
from transcript_alliance.estimate.miti import miti_summary, reference_level
from transcript_alliance.run.analysis import analyze_sessions
from transcript_alliance.schema import MITI_COLUMNS


def _table(rows: list[tuple[str, dict[str, float]]]) -> pd.DataFrame:
    return pd.DataFrame([{"role": role, **values} for role, values in rows]).fillna(0.0)


def test_counts_ratios_and_shares():
    table = _table(
        [
            ("therapist", {"p_simple_reflection": 0.9}),
            ("therapist", {"p_complex_reflection": 0.8}),
            ("therapist", {"p_complex_reflection": 0.7, "p_affirm": 0.6}),
            ("therapist", {"p_open_question": 0.9}),
            ("therapist", {"p_closed_question": 0.95, "p_seek_collaboration": 0.7}),
            ("therapist", {"p_advise_without_permission": 0.8}),
            ("therapist", {"p_confront": 0.4}),  # below 0.5: not counted
            ("client", {"p_change_talk": 0.9}),
            ("client", {"p_change_talk": 0.6}),
            ("client", {"p_sustain_talk": 0.7}),
            ("client", {"p_simple_reflection": 0.9}),  # a client: no therapist code
        ]
    )
    s = miti_summary(table)
    assert (s["miti_simple_reflections"], s["miti_complex_reflections"]) == (1, 2)
    assert (s["miti_open_questions"], s["miti_closed_questions"]) == (1, 1)
    assert s["miti_r_to_q"] == 1.5
    assert s["miti_pct_complex_reflections"] == pytest.approx(2 / 3, abs=1e-4)
    assert s["miti_pct_open_questions"] == 0.5
    assert s["miti_mi_adherent"] == 2 and s["miti_mi_non_adherent"] == 1
    assert s["miti_pct_change_talk"] == pytest.approx(2 / 3, abs=1e-4)
    assert s["miti_source"] == "classifier"
    assert list(s) == MITI_COLUMNS


def test_one_behaviour_per_utterance_within_a_pair():
    table = _table(
        [
            ("therapist", {"p_simple_reflection": 0.6, "p_complex_reflection": 0.8}),
            ("therapist", {"p_open_question": 0.55, "p_closed_question": 0.9}),
        ]
    )
    s = miti_summary(table)
    assert (s["miti_simple_reflections"], s["miti_complex_reflections"]) == (0, 1)
    assert (s["miti_open_questions"], s["miti_closed_questions"]) == (0, 1)


def test_a_rule_match_or_the_classifier_counts_the_utterance():
    table = _table(
        [
            ("therapist", {"m_open_question": 1, "p_affirm": 0.9}),
            ("therapist", {"m_open_question": 2}),
            ("therapist", {"m_closed_question": 1}),
            ("therapist", {"p_affirm": 0.2, "m_affirm": 1}),
            ("therapist", {"p_affirm": 0.3}),
        ]
    )
    s = miti_summary(table)
    assert s["miti_open_questions"] == 2 and s["miti_closed_questions"] == 1
    assert s["miti_mi_adherent"] == 2
    assert s["miti_r_to_q"] == 0.0 and s["miti_pct_complex_reflections"] is None
    assert s["miti_source"] == "classifier+markers"


def test_no_questions_no_ratio_and_no_codes_no_source():
    s = miti_summary(_table([("therapist", {"x": 1.0}), ("client", {"x": 0.0})]))
    assert s["miti_r_to_q"] is None and s["miti_pct_open_questions"] is None
    assert s["miti_pct_change_talk"] is None and s["miti_source"] is None


@pytest.mark.parametrize(
    ("measure", "value", "level"),
    [
        ("miti_r_to_q", 2.0, "good"),
        ("miti_r_to_q", 1.2, "fair"),
        ("miti_r_to_q", 0.5, "below fair"),
        ("miti_pct_complex_reflections", 0.45, "fair"),
        ("miti_pct_open_questions", 0.7, "good"),
        ("miti_mi_adherent", 3, None),
        ("miti_r_to_q", None, None),
    ],
)
def test_reference_levels(measure, value, level):
    assert reference_level(measure, value) == level


def test_sessions_and_dyads_carry_the_measures(write):
    path = write(
        "team.txt",
        "Dr Lee: What brings you in today?\n"
        "Client: I want to cut down on the drinking.\n"
        "Dr Lee: It sounds like you want to cut down on the drinking.\n"
        "Nurse Kim: Did you sleep at all?\n"
        "Client: It's not a problem, it helps me relax.\n",
    )
    roles = "Dr Lee=therapist,Nurse Kim=therapist,Client=client"
    session = segment_session(read_session(path, roles=roles))
    (result,) = analyze_sessions([session], classifier=None, resamples=20)
    f = result.features
    assert (f["miti_open_questions"], f["miti_closed_questions"]) == (1, 1)
    assert f["miti_simple_reflections"] == 1 and f["miti_r_to_q"] == 0.5
    assert (f["miti_change_talk"], f["miti_sustain_talk"]) == (1, 1)
    assert f["miti_source"] == "markers"
    dyads = result.dyads.set_index("clinician")
    assert dyads.loc["Dr Lee", "miti_reflections"] == 1
    assert dyads.loc["Dr Lee", "miti_change_talk"] == 1
    assert dyads.loc["Nurse Kim", "miti_closed_questions"] == 1
    assert dyads.loc["Nurse Kim", "miti_sustain_talk"] == 1


def test_the_clinician_page_shows_the_measures_with_their_levels():
    from transcript_alliance.report import build_report, read_for_report, render_html

    from .conftest import SAMPLES

    current, earlier, notes = read_for_report(
        SAMPLES / "sessions" / "team_jamie_wk3.txt", [], SAMPLES / "manifest.csv"
    )
    report = build_report(current, earlier, notes=notes, classifier=None, resamples=20)
    assert report.skill_columns[0] == "This session" and len(report.skill_columns) == 3
    rows = {row.key: row for row in report.skills}
    assert rows["miti_r_to_q"].reference == "fair 1:1, good 2:1 (MITI 4.2, Moyers et al. 2014/2016)"
    assert "MITI 3.1" in rows["miti_pct_open_questions"].reference
    html = render_html(report)
    assert 'id="skills"' in html and "Reflections per question (R:Q)" in html


def test_no_skills_block_without_reflections_or_questions():
    from types import SimpleNamespace

    from transcript_alliance.report.content import skills

    result = SimpleNamespace(
        features={"miti_source": "markers", "miti_reflections": 0, "miti_questions": 0},
        dyads=pd.DataFrame(),
    )
    assert skills(result) == ([], [], "")
