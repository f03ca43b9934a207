"""Batch coding: the same outputs whatever the workers, the backend, or an interruption
followed by --resume; bad files listed; nothing half-written."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

import transcript_alliance as ta

from .conftest import ROOT, SAMPLES

FAST = {"classifier": "fast", "resamples": 50}  # the linear model: quick, still the real flow
TABLES = [
    "sessions.csv",
    "evidence.csv",
    "ruptures.csv",
    "errors.csv",
    "utterances.parquet",
    "markers.parquet",
]


def read(out, name):
    frame = pd.read_parquet(out / name) if name.endswith(".parquet") else pd.read_csv(out / name)
    return frame.reset_index(drop=True)


def assert_same_outputs(a, b):
    for name in TABLES:
        pd.testing.assert_frame_equal(read(a, name), read(b, name), check_dtype=False)


def finished_shards(out):
    """Shards moved into place (a worker's temporary folder starts with a dot)."""
    return [p for p in out.glob(".work/*/*/sessions.parquet") if not p.parent.name.startswith(".")]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The samples plus two broken files, through a manifest-free folder."""
    folder = tmp_path_factory.mktemp("corpus")
    for path in (SAMPLES / "sessions").iterdir():
        if path.name.startswith(("med_", "team_")):
            continue  # the eight psychotherapy samples; mixed session types: test_session_types
        shutil.copy(path, folder / path.name)
    (folder / "broken.vtt").write_text("WEBVTT\n\n00:00:01.000 --> garbage\nHello\n")
    (folder / "empty.txt").write_text("")
    return folder


@pytest.fixture(scope="module")
def sequential(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("seq")
    summary = ta.code([corpus], out, workers=1, **FAST)
    return out, summary


def test_bad_files_are_listed_and_the_rest_coded(sequential):
    out, summary = sequential
    assert summary.sessions == 8
    errors = read(out, "errors.csv")
    assert sorted(os.path.basename(p) for p in errors["path"]) == ["broken.vtt", "empty.txt"]
    assert errors["error"].str.len().gt(10).all()
    assert len(read(out, "sessions.csv")) == 8
    assert not list(out.glob(".*.tmp"))


@pytest.mark.slow
def test_two_workers_give_the_same_outputs(corpus, sequential, tmp_path):
    ta.code([corpus], tmp_path, workers=2, **FAST)
    assert_same_outputs(sequential[0], tmp_path)


@pytest.mark.slow
def test_the_dask_backend_gives_the_same_outputs(corpus, sequential, tmp_path):
    pytest.importorskip("dask.distributed")
    ta.code([corpus], tmp_path, workers=2, backend="dask", **FAST)
    assert_same_outputs(sequential[0], tmp_path)


@pytest.mark.slow
def test_resume_after_a_kill_ends_with_the_same_outputs(corpus, sequential, tmp_path):
    out = tmp_path / "out"
    command = [
        sys.executable,
        "-m",
        "transcript_alliance",
        "code",
        str(corpus),
        "--out",
        str(out),
        "--classifier",
        "fast",
        "--resamples",
        "50",
        "--workers",
        "1",
        "--quiet",
    ]
    process = subprocess.Popen(command, cwd=ROOT, start_new_session=True)
    deadline = time.time() + 120
    while time.time() < deadline and process.poll() is None:
        if len(finished_shards(out)) >= 3:  # killed mid-run, some files done and some not
            break
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert not (out / "sessions.csv").exists()  # nothing that looks complete
    done = len(finished_shards(out))
    assert 3 <= done < 8
    summary = ta.code([corpus], out, workers=1, resume=True, **FAST)
    assert summary.resumed == done
    assert_same_outputs(sequential[0], out)


def test_fail_fast_stops_and_writes_nothing(corpus, tmp_path):
    summary = ta.code([corpus], tmp_path, workers=1, fail_fast=True, **FAST)
    assert len(summary.failures) == 1
    assert not (tmp_path / "sessions.csv").exists()


def test_iter_code_yields_results_and_errors_in_order(corpus):
    items = list(ta.iter_code([corpus], classifier=None, resamples=50))
    kinds = [type(i).__name__ for i in items]
    assert kinds.count("SessionResult") == 8 and kinds.count("InputError") == 2


def test_nothing_readable_writes_errors_csv_and_exits_2(run_cli, tmp_path):
    """Every input failed: no tables, but errors.csv says why (and run.json marks it)."""
    result = run_cli(
        "code", tmp_path / "nothere.txt", "--out", tmp_path / "out", "--classifier", "none"
    )
    assert result.code == 2
    assert "nothere.txt" in result.err and "no tables written" in result.err
    assert not (tmp_path / "out" / "sessions.csv").exists()
    errors = pd.read_csv(tmp_path / "out" / "errors.csv")
    assert errors["path"].str.endswith("nothere.txt").all() and len(errors) == 1
    assert (tmp_path / "out" / "run.json").is_file()


def test_outsized_files_go_first_and_the_rest_keep_input_order(tmp_path):
    """An outsized file starts first (it would otherwise stall the end of the run); the
    others keep their order, so their shards can be appended as they finish."""
    from transcript_alliance.read.inputs import InputFile
    from transcript_alliance.run.batch import tasks_of

    sizes = [100, 120, 5000, 90, 200, 110, 2000]
    jobs = []
    for n, size in enumerate(sizes):
        path = tmp_path / f"s{n}.txt"
        path.write_text("x" * size)
        jobs.append((n, InputFile(path), f"key{n}"))
    order = [task[0][0] for task in tasks_of(jobs, by_client=False)]
    assert order == [2, 6, 0, 1, 3, 4, 5]


def test_a_broken_model_folder_fails_the_run_once_before_any_file(tmp_path):
    """Not one error per input from each worker: model.json is checked up front."""
    import json
    import shutil

    import transcript_alliance as ta
    from transcript_alliance.annotate.classifier import ModelError, resolve_model_path

    model = tmp_path / "broken"
    shutil.copytree(resolve_model_path("default"), model)
    info = json.loads((model / "model.json").read_text())
    info["base_model"]["context"] = "bogus"
    (model / "model.json").write_text(json.dumps(info))
    sessions = ROOT / "data" / "samples" / "sessions"
    with pytest.raises(ModelError, match=r"base_model\.context"):
        ta.code(
            [sessions / "maya_01.txt", sessions / "couple_01.txt"],
            tmp_path / "out",
            classifier=model,
        )
    assert not (tmp_path / "out").exists()
