"""Session types (medication visits, team sessions): the samples read the way a reader
would expect, per-clinician dyads, the program summary, and bad input."""

from __future__ import annotations

import pandas as pd
import pytest

import transcript_alliance as ta
from transcript_alliance.annotate.markers import load_codebook, marker_pipeline
from transcript_alliance.comparison.dyads import answered_clinician
from transcript_alliance.comparison.program import program_summary
from transcript_alliance.errors import InputError, OptionError
from transcript_alliance.estimate.estimator import load_estimator
from transcript_alliance.read import read_session
from transcript_alliance.read.manifest import read_manifest
from transcript_alliance.run.analysis import analyze_sessions
from transcript_alliance.run.pipeline import Pipeline
from transcript_alliance.segment.utterances import segment_sessions

from .conftest import SAMPLES

NEW = ("med_renee_01", "med_tom_02", "med_alicia_03", "team_jamie_wk3")


@pytest.fixture(scope="module")
def coded(tmp_path_factory):
    """The four new samples and one psychotherapy session, as `code` writes them."""
    folder = tmp_path_factory.mktemp("types")
    manifest = pd.read_csv(SAMPLES / "manifest.csv", dtype=str, keep_default_na=False)
    manifest = manifest[manifest.session_id.isin([*NEW, "maya_01"])]
    manifest["path"] = [str((SAMPLES / p).resolve()) for p in manifest["path"]]
    manifest.to_csv(folder / "manifest.csv", index=False)
    out = folder / "coded"
    summary = ta.code([], out, manifest=folder / "manifest.csv", workers=1, resamples=200)
    assert not summary.failures, summary.failures
    return out


def test_collaborative_medication_visit_scores_above_rushed_and_dismissive(coded):
    sessions = pd.read_csv(coded / "sessions.csv").set_index("session_id")
    assert sessions.loc["med_renee_01", "session_type"] == "medication"
    for part in ("total", "bond"):
        best = sessions.loc["med_renee_01", part]
        assert best > sessions.loc["med_tom_02", part], part
        assert best > sessions.loc["med_alicia_03", part], part


def test_validating_clinician_above_dismissive_one_in_the_team_session(coded):
    dyads = pd.read_csv(coded / "dyads.csv")
    team = dyads[dyads.session_id == "team_jamie_wk3"].set_index("clinician")
    assert set(team.index) == {"Dr. Reyes", "Ms. Burke"}
    assert team.loc["Dr. Reyes", "bond"] > team.loc["Ms. Burke", "bond"] + 0.5
    assert team.loc["Dr. Reyes", "total"] > team.loc["Ms. Burke", "total"]
    sessions = pd.read_csv(coded / "sessions.csv").set_index("session_id")
    assert sessions.loc["team_jamie_wk3", "program"] == "IOP-anxiety"
    assert len(dyads[dyads.session_id == "maya_01"]) == 1  # one clinician, one row


def test_dyads_name_each_clinician_by_the_manifests_id(coded):
    """`therapist_id`: the manifest's clinicians map for a team, the session's own id for one
    clinician, so a clinician is one id whatever the transcript calls them."""
    dyads = pd.read_csv(coded / "dyads.csv", dtype=str).set_index(["session_id", "clinician"])
    assert dyads.loc[("team_jamie_wk3", "Dr. Reyes"), "therapist_id"] == "T11"
    assert dyads.loc[("team_jamie_wk3", "Ms. Burke"), "therapist_id"] == "T12"
    assert dyads.loc[("maya_01", "Dr. Lee"), "therapist_id"] == "T01"


def test_a_clinicians_map_that_is_not_pairs_is_refused(write):
    from transcript_alliance.comparison.dyads import clinician_ids

    session = read_session(
        write("team.txt", "Dr. A: Hello.\nDr. B: Hi.\nSam: Hey.\n"),
        roles="Dr. A=therapist,Dr. B=therapist,Sam=client",
    )
    session.metadata["clinicians"] = "Dr. A=T1,Dr. B"
    with pytest.raises(InputError, match="label=id"):
        clinician_ids(session, ["Dr. A", "Dr. B"])
    session.metadata["clinicians"] = "dr. a=T1"
    assert clinician_ids(session, ["Dr. A", "Dr. B"]) == {"Dr. A": "T1", "Dr. B": None}


def test_program_summary_and_pack_columns(coded):
    program = pd.read_csv(coded / "program.csv")
    assert list(program.clinician) == ["(team)", "Dr. Reyes", "Ms. Burke"]
    assert (program.first_week == 3).all()
    utterances = pd.read_parquet(coded / "utterances.parquet")
    pack = utterances[utterances.session_id == "maya_01"]["m_side_effect_raised"]
    assert pack.isna().all()  # not searched in a psychotherapy session
    med = utterances[utterances.session_id == "med_alicia_03"]
    assert med["m_side_effect_raised"].sum() >= 1
    assert med["m_side_effect_dismissed"].sum() >= 2


def test_short_visits_get_wider_intervals():
    full = read_session(SAMPLES / "sessions" / "med_renee_01.txt")
    short = read_session(SAMPLES / "sessions" / "med_renee_01.txt")
    short.turns, short.session_id = short.turns[:14], "short"
    results = analyze_sessions(
        segment_sessions([full, short]), classifier=None, session_type="medication", resamples=300
    )
    widths = [r.scores["total_high"] - r.scores["total_low"] for r in results]
    # Wider, though only a little since estimator 2.1.0: its prior of 64 units (ESTIMATION.md)
    # holds a short visit's estimate near 3.9 whichever turns the bootstrap draws, which
    # narrows its interval as much as the fewer turns widen it (0.42 against 0.40 here).
    assert widths[1] > widths[0]


def test_client_turns_belong_to_the_clinician_they_answer(write):
    path = write(
        "team.txt",
        "A: How are you?\nJo: Tired.\nB: Tell me more.\nJo: Work.\nJo: And home.\nA: I see.\n",
    )
    session = read_session(path, roles="A=therapist,B=therapist,Jo=client")
    owner = answered_clinician(session)
    assert [owner[t.index] for t in session.turns] == ["A", "A", "B", "B", "A"]


def test_program_summary_slopes():
    sessions = pd.DataFrame(
        {
            "session_id": ["s1", "s2", "s3"],
            "client_id": ["C1"] * 3,
            "week": [1, 2, 4],
            "goal": [3.0, 3.5, 4.5],
            "task": [3.0] * 3,
            "bond": [4.0, 3.5, 2.5],
            "total": [3.3, 3.3, 3.3],
        }
    )
    out = program_summary(sessions, pd.DataFrame(columns=["session_id", "client_id"]))
    row = out.iloc[0]
    assert row.n_sessions == 3 and row.first_week == 1 and row.last_week == 4
    assert row.goal_slope_per_week == pytest.approx(0.5)
    assert row.bond_slope_per_week == pytest.approx(-0.5)
    assert program_summary(sessions.drop(columns="week"), pd.DataFrame()) is None


def test_bad_session_types_are_named(write, run_cli, tmp_path):
    transcript = write("s.txt", "Therapist: Hello.\nClient: Hi.\n")
    manifest = write("m.csv", f"path,session_type\n{transcript},surgery\n")
    with pytest.raises(InputError, match=r"row 2.*session_type 'surgery'"):
        read_manifest(manifest)
    result = run_cli("code", transcript, "--session-type", "surgery", "--out", tmp_path / "o")
    assert result.code == 2 and "surgery" in result.err
    assert all(name in result.err for name in ("psychotherapy", "medication", "team"))


@pytest.mark.parametrize(
    "call",
    [
        lambda: load_codebook(session_type="medicaton"),
        lambda: marker_pipeline(session_type="medicaton"),
        lambda: load_estimator(session_type="medicaton"),
        lambda: Pipeline("medicaton").check(),
        lambda: ta.code([SAMPLES / "sessions" / "maya_01.txt"], "unused", session_type="x"),
        lambda: ta.iter_code([SAMPLES / "sessions" / "maya_01.txt"], session_type="x"),
    ],
)
def test_unknown_session_types_are_refused_everywhere_with_the_valid_names(call):
    with pytest.raises(OptionError, match=r"expected one of psychotherapy, medication, team"):
        call()


def test_codebook_show_refuses_an_unknown_session_type_and_help_lists_the_choices(run_cli):
    result = run_cli("codebook", "show", "--session-type", "medicaton")
    assert result.code == 2 and "medicaton" in result.err
    for command in (["code"], ["markers"], ["report"], ["feedback"], ["codebook", "show"]):
        shown = run_cli(*command, "--help").out
        assert "psychotherapy" in shown and "medication" in shown and "team" in shown, command


def test_report_findings_come_from_the_registry():
    from transcript_alliance.report.findings import TYPE_FINDINGS
    from transcript_alliance.session_types import registry

    for spec in registry().values():
        assert set(spec.findings) <= set(TYPE_FINDINGS), spec.name
