"""Every warning said in reading, segmenting and scoring a session reaches sessions.csv as a
short code (`warnings`), the same locally, on Dask, after --resume and through the API;
no transcript text, speaker labels or ids in the cell, also with --redact."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

import transcript_alliance as ta
from transcript_alliance.errors import NAME_GUESSED
from transcript_alliance.read import read_session
from transcript_alliance.run.scoring import session_warnings
from transcript_alliance.warning_codes import MEANINGS, WarningCode, warning_code, warning_codes

from .conftest import ROOT, SAMPLES

QUICK = {"classifier": None, "resamples": 20, "workers": 1}
CASES = Path(os.environ.get("TA_EXPORT_CASES", ROOT.parent / "shared" / "cases" / "exports"))

# One sentence of each kind, as the readers and the scoring write them.
EXAMPLES = {
    NAME_GUESSED: WarningCode.NAME_GUESSED,
    "mixed encodings: lines 2, 5 are not UTF-8 and were read as cp1252": "ENCODING_GUESSED",
    "mixed encodings: line 4 is not UTF-8 and was read as cp1252": "ENCODING_GUESSED",
    "not UTF-8: read as cp1252 (Windows-1252), the usual encoding of such files, a guess; "
    "check accented letters, or save the file as UTF-8": "ENCODING_GUESSED",
    "the extension says text but the content is vtt; read as vtt": "FORMAT_FROM_CONTENT",
    "the text has no sentence punctuation (0 stops in 80 words; raw speech recognition?)": (
        "UNPUNCTUATED"
    ),
    "lines 1-4: most of the file (4 of 6 lines with text) comes before the first speaker "
    "label and was left out as a header; check": "HEADER_MOST_OF_FILE",
    "line 1 comes before the first speaker label and were read as a header, not speech": (
        "HEADER_LEFT_OUT"
    ),
    "rows 1-2 above the header (row 4) read as a title, not speech": "HEADER_LEFT_OUT",
    "line 16: a transcription tool's footer ('Transcribed by'); not speech, left out": (
        "FOOTER_LEFT_OUT"
    ),
    "line 3: 'Anyway:' looks like a speaker label but appears only once; read as speech": (
        "LABEL_READ_AS_SPEECH"
    ),
    "line 2: 'C:' with no speech; dropped": "EMPTY_TURN_DROPPED",
    "lines 5: 1 direct message(s) between two people, not to everyone; left out": (
        "DIRECT_MESSAGES_LEFT_OUT"
    ),
    "cue(s) 2: dialogue lines ('- ...') without a speaker name; a second voice": (
        "CUES_UNNAMED_VOICE"
    ),
    "3 cue(s) repeat the caption line before them (highlighted words)": "CUES_REPEATED",
    "read the sheet 'Transcript' (the first with speaker and text columns)": "SHEET_CHOSEN",
    "rows 3, 4: cells to the right of the header's columns were ignored": "CELLS_IGNORED",
    "cells C4 of sheet 'S' hold formulas with no saved value and were read as empty": (
        "FORMULAS_UNSAVED"
    ),
    "the workbook: Data Validation extension is not supported": "WORKBOOK_NOTE",
    "table 1 without speaker and text headers (not the transcript) skipped": "TABLES_SKIPPED",
    "the document's properties (docProps/core.xml) could not be read (bad); ignored": (
        "PROPERTIES_UNREADABLE"
    ),
    "line 13: the %mor tier does not align with its main tier; dependent tiers are ignored": (
        "CHAT_TIER_MISALIGNED"
    ),
    "CHAT: something the library said": "CHAT_NOTE",
    "2 segment(s) without a 'speaker': segment 2 ('so'): from its words": "SPEAKER_GUESSED",
    "speaker 'Zed' is not a known role name; read as other (name a role with `roles`)": (
        "SPEAKER_UNKNOWN"
    ),
    "roles guessed: 'A' = therapist (confidence 0.95: questions); check": "ROLES_GUESSED",
    "speakers 'Therapist 1', 'Therapist 2' share the role word 'therapist' and differ only by "
    "their numbers: roles left to the heuristic": "ROLES_AMBIGUOUS",
    "the roles map names 'Dr. Kim', who does not speak in this file; the map's": (
        "ROLES_MAP_UNUSED"
    ),
    "no speaker was read as the therapist; set one with `roles`": "NO_THERAPIST_ROLE",
    "no speaker was read as a client; set one with `roles`": "NO_CLIENT_ROLE",
    "too short to judge (5 utterances, 22 words; fewer than 40 or 300)": "SHORT_SESSION",
    "roles uncertain for A, B: check with `inspect` or `roles`": "ROLES_UNCERTAIN",
    "no client speech: client codes cannot be counted": "NO_CLIENT_SPEECH",
    "little client speech (9% of words)": "LITTLE_CLIENT_SPEECH",
    "no therapist speech: therapist codes cannot be counted": "NO_THERAPIST_SPEECH",
    "session_id 'x' is another file's in this run too; renamed 'x-2'": "ID_RENAMED",
}


def transcript(turns: int = 30, therapist: str = "Therapist", client: str = "Client") -> str:
    """A session long enough to judge, with named roles: no warning at all."""
    lines = []
    for n in range(turns):
        lines.append(
            f"{therapist}: What would you like to work on next, now that week {n} is done?"
        )
        lines.append(
            f"{client}: I want to sleep better. We agreed on a plan and it helps me a lot."
        )
    return "\n".join(lines) + "\n"


GUESSED = "".join(  # two speakers without role names: the heuristic decides
    f"Maya Stone: How was week {n} for you?\nJo Park: It was hard. I kept thinking about "
    "work and my sister. She called every night.\n"
    for n in range(25)
)


@pytest.mark.parametrize(("message", "code"), list(EXAMPLES.items()))
def test_each_kind_of_warning_has_its_code(message, code):
    assert warning_code(message) == code


def test_every_code_has_an_example_and_a_meaning():
    assert {WarningCode(c) for c in EXAMPLES.values()} == set(WarningCode) - {WarningCode.OTHER}
    assert set(MEANINGS) == set(WarningCode)


def test_an_unknown_warning_is_other_never_dropped():
    assert warning_codes(["a reader's new sentence", "roles guessed: 'A' = client"]) == [
        "OTHER",
        "ROLES_GUESSED",
    ]
    assert warning_codes(["ROLES_GUESSED", "roles guessed: 'B' = client"]) == ["ROLES_GUESSED"]


def test_the_warnings_of_the_samples_and_shared_cases_all_have_codes():
    paths = sorted((SAMPLES / "sessions").iterdir())
    if CASES.is_dir():
        paths += sorted(p for p in CASES.iterdir() if p.suffix not in {".md", ".rttm"})
    said = 0
    for path in paths:
        try:
            session = read_session(path)
        except ta.InputError:
            continue
        said += len(session.warnings)
        codes = warning_codes(session_warnings(session))
        assert "OTHER" not in codes, (path.name, session.warnings)
    assert said


def test_the_readers_warnings_reach_the_result_and_its_row(write):
    session = read_session(write("s.txt", GUESSED))
    from transcript_alliance.segment.utterances import segment_sessions

    (segmented,) = segment_sessions([session])
    result = ta.analyze(segmented, classifier=None, resamples=20)
    assert any(w.startswith("roles guessed: 'Maya Stone'") for w in result.warnings)
    assert result.row()["warnings"] == "ROLES_GUESSED"


@pytest.fixture(scope="module")
def coded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("inputs")
    (folder / "guessed.txt").write_text(GUESSED)
    (folder / "clean.txt").write_text(transcript())
    (folder / "cp1252.txt").write_bytes(transcript().replace("plan", "café plan").encode("cp1252"))
    (folder / "=cmd.txt").write_text(transcript())  # a formula-like id: CSV neutralises it
    out = tmp_path_factory.mktemp("out")
    summary = ta.code([folder], out, **QUICK)
    return folder, out, summary


def _cells(out) -> dict[str, str]:
    sessions = pd.read_csv(out / "sessions.csv", keep_default_na=False)
    paths = sessions["path"].str.removeprefix("'")  # `io.csv_safe`: see the next test
    return dict(zip(paths, sessions["warnings"]))


def test_code_writes_each_sessions_codes_and_run_json_counts_them(coded):
    _, out, summary = coded
    assert _cells(out) == {
        "guessed.txt": "ROLES_GUESSED",
        "clean.txt": "",
        "cp1252.txt": "ENCODING_GUESSED",
        "=cmd.txt": "",
    }
    assert pd.read_parquet(out / "sessions.parquet").set_index("path").at[
        "guessed.txt", "warnings"
    ] == ("ROLES_GUESSED")
    assert json.loads((out / "run.json").read_text())["warnings"] == {
        "ENCODING_GUESSED": 1,
        "ROLES_GUESSED": 1,
    }
    assert dict(summary.warnings) == {"ENCODING_GUESSED": 1, "ROLES_GUESSED": 1}


def test_formula_cells_are_still_neutralised_beside_the_codes(coded):
    _, out, _ = coded
    text = (out / "sessions.csv").read_text()
    assert "\n'=cmd,'=cmd.txt," in text and "\n=cmd," not in text
    assert "=cmd" in set(pd.read_parquet(out / "sessions.parquet")["session_id"])  # raw


def test_resume_and_iter_code_give_the_same_codes(coded, tmp_path):
    folder, out, _ = coded
    again = tmp_path / "again"
    shutil.copytree(out, again)
    summary = ta.code([folder], again, resume=True, **QUICK)
    assert summary.resumed == 4
    assert _cells(again) == _cells(out)
    assert dict(summary.warnings) == {"ENCODING_GUESSED": 1, "ROLES_GUESSED": 1}
    rows = [r.row() for r in ta.iter_code([folder], classifier=None, resamples=20)]
    assert {r["path"]: r["warnings"] for r in rows} == _cells(out)


def test_the_command_line_sums_up_the_codes(run_cli, write, tmp_path):
    path = write("guessed.txt", GUESSED)
    result = run_cli("code", path, "--out", tmp_path / "out", "--classifier", "none", "--quiet")
    assert result.code == 0, result.err
    assert "sessions with warnings: ROLES_GUESSED 1" in result.err


def test_redact_writes_codes_only(tmp_path):
    pytest.importorskip("presidio_analyzer")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "s1.txt").write_text(GUESSED)
    out = tmp_path / "out"
    ta.code([folder], out, redact=True, **QUICK)
    sessions = pd.read_csv(out / "sessions.csv")
    assert sessions.at[0, "warnings"] == "ROLES_GUESSED"
    for table in ("sessions.csv", "run.json"):
        text = (out / table).read_text()
        assert "Maya" not in text and "Stone" not in text and "roles guessed" not in text


@pytest.mark.slow
def test_the_dask_backend_writes_the_same_codes(coded, tmp_path):
    pytest.importorskip("dask.distributed")
    folder, out, _ = coded
    ta.code([folder], tmp_path, backend="dask", **{**QUICK, "workers": 2})
    assert _cells(tmp_path) == _cells(out)
