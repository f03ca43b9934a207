"""The Pipeline owns the wiring of a session type: every entry point goes through it, so
`code` and the notebook iterator cannot drift apart."""

from __future__ import annotations

import inspect
import io
import pickle
import subprocess
import sys

import pandas as pd
import pytest

import transcript_alliance as ta
from transcript_alliance.run.pipeline import Pipeline

from .conftest import SAMPLES

OPTIONS = {"classifier": "fast", "resamples": 60}
IDS = {"session_id": str, "client_id": str, "therapist_id": str}


@pytest.fixture(scope="module")
def coded(tmp_path_factory):
    out = tmp_path_factory.mktemp("pipeline") / "coded"
    summary = ta.code([], out, manifest=SAMPLES / "manifest.csv", **OPTIONS)
    assert not summary.failures, summary.failures
    return pd.read_csv(out / "sessions.csv", dtype=IDS)


def test_code_and_the_iterator_give_identical_session_rows_for_every_session_type(coded):
    results = list(ta.iter_code([], manifest=SAMPLES / "manifest.csv", **OPTIONS))
    assert all(isinstance(r, ta.SessionResult) for r in results), results
    rows = pd.DataFrame([r.row() for r in results]).astype({"session_number": "Int64"})
    rows = pd.read_csv(io.StringIO(rows.to_csv(index=False)), dtype=IDS)  # as code writes it
    assert set(coded["session_type"]) == {"psychotherapy", "medication", "team"}
    assert list(rows.session_id) == list(coded.session_id)
    assert list(rows.session_type) == list(coded.session_type)
    pd.testing.assert_frame_equal(
        rows,
        coded,
        check_dtype=False,
        check_exact=False,
        rtol=0,
        atol=1e-9,
    )


def test_the_iterator_accepts_codes_options_that_change_a_session():
    """Every option of `code` that changes what a session scores or how it is read is an
    option of `iter_code`, with the same default (the rest are about running and writing)."""
    running = {
        "out",
        "workers",
        "backend",
        "scheduler",
        "resume",
        "fail_fast",
        "on_outcome",
        "freeze_gc",
    }
    code = inspect.signature(ta.code).parameters
    iterate = inspect.signature(ta.iter_code).parameters
    for name, parameter in code.items():
        if name in running:
            continue
        assert name in iterate, name
        assert iterate[name].default == parameter.default, name


def test_the_iterator_takes_a_session_type_and_a_format():
    path = SAMPLES / "sessions" / "med_renee_01.txt"
    (result,) = ta.iter_code(
        [path], session_type="medication", fmt="text", classifier=None, resamples=50
    )
    assert result.session_type == "medication"
    assert "m_side_effect_raised" in result.utterances


def test_parameters_only_in_init_and_a_pipeline_pickles_as_its_parameters():
    pipeline = Pipeline("medication", classifier="fast", resamples=50)
    assert pipeline.get_params()["session_type"] == "medication"
    assert vars(pipeline) == pipeline.get_params()  # nothing loaded, nothing derived
    pipeline.load()
    assert vars(pipeline) == pipeline.get_params()  # models live in the process cache
    copy = pickle.loads(pickle.dumps(pipeline))
    assert copy.get_params() == pipeline.get_params()
    assert copy.classifier_ is pipeline.classifier_  # one load per process
    assert pipeline.set_params(session_type="team").type_name == "team"
    with pytest.raises(TypeError, match="colour"):
        pipeline.set_params(colour="red")


def test_a_session_naming_its_own_type_gets_that_types_pipeline():
    session = ta.read_session(SAMPLES / "sessions" / "maya_01.txt")
    pipeline = Pipeline(classifier=None)
    assert pipeline.for_session(session) is pipeline
    session.metadata["session_type"] = "medication"
    assert pipeline.for_session(session).type_name == "medication"


def test_only_the_toolkits_own_processes_freeze_the_loaded_objects():
    """gc.freeze() after loading models: with freeze_gc (workers, the CLI), never by
    default (a user's process)."""
    probe = (
        "import gc; from transcript_alliance.run.pipeline import Pipeline\n"
        "Pipeline(classifier='fast').load(); before = gc.get_freeze_count()\n"
        "Pipeline('medication', classifier='fast', freeze_gc=True).load()\n"
        "print(before, gc.get_freeze_count() > 100000)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["0", "True"]


def test_provenance_names_the_estimator_that_scored_the_run():
    """run.json's hashes say which estimator scored the sessions, the packaged one too."""
    from transcript_alliance.estimate.estimator import load_estimator
    from transcript_alliance.run.pipeline import Pipeline

    found = Pipeline(classifier=None).provenance()
    default = load_estimator()
    assert (found["estimator_name"], found["estimator_version"]) == (default.name, default.version)
    medication = Pipeline(classifier=None, session_type="medication").provenance()
    assert medication["estimator_version"] == load_estimator(None, "medication").version
