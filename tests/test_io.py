"""io.py: atomic writes that leave nothing behind, one permission policy (owner-only),
CSV cells neutralised against formula injection, user CSVs read with errors naming the
row, pydantic errors as one line."""

from __future__ import annotations

import csv
import os
import re
import stat
import subprocess
import sys

import pandas as pd
import pytest
from pydantic import BaseModel, ConfigDict, ValidationError

import transcript_alliance as ta
from transcript_alliance.errors import InputError
from transcript_alliance.io import (
    FILE_MODE,
    atomic_path,
    csv_safe,
    read_csv,
    remove_stale_temporaries,
    validation_message,
    write_json,
    write_table,
    write_text,
)
from transcript_alliance.run.batch import Assembler

from .conftest import SAMPLES

HOSTILE = ['=HYPERLINK("http://x","y")', "+1+2", "-2+3", "@SUM(1;2)", "\tx", "\rx"]


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.fixture
def open_umask():
    old = os.umask(0o022)  # a usual umask: without the policy, files come out 0644
    yield
    os.umask(old)


# ------------------------------------------------------------------ atomic writes


def test_a_failed_table_write_leaves_neither_file_nor_temporary(tmp_path):
    bad = pd.DataFrame({"x": [1, "a", 2.5]})  # mixed types: pyarrow refuses the column
    with pytest.raises(Exception):  # noqa: B017 (pyarrow's error type is not ours to pin)
        write_table(bad, tmp_path / "t.parquet")
    assert list(tmp_path.iterdir()) == []


def test_an_interrupted_write_keeps_the_old_file_and_removes_the_temporary(tmp_path):
    target = tmp_path / "report.html"
    target.write_text("old")
    with pytest.raises(KeyboardInterrupt), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise KeyboardInterrupt
    assert target.read_text() == "old"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("name", ["t.csv", "t.tsv", "t.parquet", "t.jsonl"])
def test_every_table_is_owner_only(tmp_path, open_umask, name):
    path = tmp_path / name
    path.write_text("old")
    os.chmod(path, 0o644)  # an earlier, world-readable version is replaced, not kept
    write_table(pd.DataFrame({"text": ["hello"]}), path)
    assert mode(path) == FILE_MODE == 0o600


def test_json_and_text_are_owner_only(tmp_path, open_umask):
    write_json(tmp_path / "run.json", {"a": "é"})
    write_text(tmp_path / "page.html", "<p>x</p>")
    assert mode(tmp_path / "run.json") == mode(tmp_path / "page.html") == 0o600
    assert (tmp_path / "run.json").read_text(encoding="utf-8") == '{\n  "a": "é"\n}\n'


def test_stale_temporaries_of_killed_runs_are_removed_and_others_kept(tmp_path):
    child = [sys.executable, "-c", "import os; print(os.getpid())"]
    dead = subprocess.run(child, capture_output=True, text=True, check=True).stdout.strip()
    stale = [f".utterances.{dead}-abcd_123.tmp", ".utterances.k2j4h5g6.tmp"]  # killed; old version
    live = f".sessions.{os.getpid()}-zzzzzzzz.tmp"  # a run still going (this one)
    users = [".notes.tmp", "utterances.tmp", ".utterances.parquet"]  # not the toolkit's naming
    for name in [*stale, live, *users]:
        (tmp_path / name).write_text("transcript text")
    removed = remove_stale_temporaries(tmp_path)
    assert sorted(p.name for p in removed) == sorted(stale)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live, *users])


def test_a_new_code_run_removes_what_a_killed_one_left(tmp_path):
    (tmp_path / ".utterances.q8w7e6r5.tmp").write_text("Client: my name is ...")
    Assembler(tmp_path).abandon()
    assert leftovers(tmp_path) == []


def test_a_write_removes_stale_temporaries_of_its_target_only(tmp_path):
    (tmp_path / ".a.csv.k2j4h5g6.tmp").write_text("old")
    (tmp_path / ".b.csv.k2j4h5g6.tmp").write_text("old")
    write_table(pd.DataFrame({"x": [1]}), tmp_path / "a.csv")
    assert leftovers(tmp_path) == [".b.csv.k2j4h5g6.tmp"]


# ------------------------------------------------------------------ formula injection


def test_csv_safe_quotes_formula_text_and_leaves_numbers():
    frame = pd.DataFrame(
        {
            "text": [*HOSTILE, "-3.5", "ok", None],
            "number": [-1, -2, 3, -4, 5, 6, -7, 8, 9],
            "real": [-1.5] * 9,
        }
    )
    safe = csv_safe(frame)
    assert safe["text"].tolist()[:6] == ["'" + v for v in HOSTILE]
    assert safe["text"].tolist()[6:8] == ["-3.5", "ok"] and safe["text"].isna().iloc[8]
    assert safe["number"].tolist() == frame["number"].tolist()
    assert safe["number"].dtype == frame["number"].dtype and safe["real"].dtype == float
    assert frame["text"].iloc[0] == HOSTILE[0]  # the frame passed in is unchanged


def test_csv_safe_keeps_nullable_string_columns():
    frame = pd.DataFrame({"id": pd.array(["=1+1", None, "a"], dtype="string")})
    safe = csv_safe(frame)
    assert safe["id"].dtype == "string" and safe["id"].iloc[0] == "'=1+1"


@pytest.mark.parametrize("suffix", [".csv", ".tsv"])
def test_csv_tables_are_neutralised_and_others_raw(tmp_path, suffix):
    frame = pd.DataFrame({"text": HOSTILE, "n": range(-3, 3)})
    write_table(frame, tmp_path / f"t{suffix}")
    write_table(frame, tmp_path / "t.parquet")
    write_table(frame, tmp_path / "t.jsonl")
    with open(tmp_path / f"t{suffix}", newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter="\t" if suffix == ".tsv" else ","))[1:]
    assert [r[0] for r in rows] == ["'" + v for v in HOSTILE]
    assert [r[1] for r in rows] == ["-3", "-2", "-1", "0", "1", "2"]
    assert pd.read_parquet(tmp_path / "t.parquet")["text"].tolist() == HOSTILE
    assert pd.read_json(tmp_path / "t.jsonl", lines=True)["text"].tolist() == HOSTILE


def _injected_transcript(tmp_path):
    """The team sample with hostile utterances, ids and speaker labels, and a manifest."""
    lines = (SAMPLES / "sessions" / "team_jamie_wk3.txt").read_text().splitlines()
    lines[1:1] = [
        'Jamie: =HYPERLINK("http://evil","click") is what my sister sent me.',
        "Dr. Reyes: +1 for that, and @everyone agrees.",
        "Jamie: -2+3 is what it feels like.",
    ]
    (tmp_path / "t.txt").write_text("\n".join(lines) + "\n")
    manifest = tmp_path / "m.csv"
    manifest.write_text(
        "path,session_id,client_id,therapist_id,session_type,program,week,roles\n"
        't.txt,=cmd|x,+C07,@TEAM,team,-IOP,3,"Dr. Reyes=therapist,Ms. Burke=therapist,'
        'Jamie=client"\n'
    )
    return manifest


def _csv_cells(path) -> list[str]:
    with open(path, newline="", encoding="utf-8") as handle:
        return [cell for row in csv.reader(handle) for cell in row]


def _unsafe(cells: list[str]) -> list[str]:
    """Cells a spreadsheet would run: starting with a formula character, not a number."""
    number = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
    return [c for c in cells if c and c[0] in "=+-@\t\r" and not number.fullmatch(c)]


def test_every_csv_that_code_writes_is_neutralised(tmp_path, open_umask):
    manifest = _injected_transcript(tmp_path)
    out = tmp_path / "out"
    summary = ta.code([], out, manifest=manifest, classifier=None, resamples=20)
    assert summary.sessions == 1, summary.failures
    written = {p.name for p in out.iterdir() if p.is_file()}
    assert {"sessions.csv", "evidence.csv", "dyads.csv", "program.csv", "errors.csv"} <= written
    for name in sorted(written):
        assert mode(out / name) == 0o600, name  # one policy, words or not
        if name.endswith(".csv"):
            assert _unsafe(_csv_cells(out / name)) == [], name
    sessions = pd.read_csv(out / "sessions.csv", dtype=str)
    ids = sessions.loc[0, ["session_id", "client_id", "therapist_id"]].tolist()
    assert ids == ["'=cmd|x", "'+C07", "'@TEAM"]
    dyads = pd.read_csv(out / "dyads.csv", dtype=str)
    assert set(dyads["session_id"]) == {"'=cmd|x"} and set(dyads["client_id"]) == {"'+C07"}
    program = pd.read_csv(out / "program.csv", dtype=str)
    assert set(program["client_id"]) == {"'+C07"} and set(program["program"]) == {"'-IOP"}
    # Parquet keeps the raw text
    raw = pd.read_parquet(out / "sessions.parquet")
    assert raw.loc[0, "session_id"] == "=cmd|x" and raw.loc[0, "program"] == "-IOP"
    texts = pd.read_parquet(out / "utterances.parquet")["text"]
    assert texts.str.startswith("=HYPERLINK").any()
    assert leftovers(out) == [".work"]


@pytest.mark.parametrize("command", ["segment", "markers"])
def test_segment_and_markers_csv_are_neutralised(tmp_path, run_cli, command):
    manifest = _injected_transcript(tmp_path)
    out = tmp_path / "u.csv"
    result = run_cli(command, tmp_path / "t.txt", "--out", out)
    assert result.code == 0, result.err
    outputs = [out]
    if command == "markers":
        outputs += [tmp_path / f"u_{name}.csv" for name in ("markers", "style", "windows")]
    for path in outputs:
        assert path.is_file(), list(tmp_path.iterdir())
        assert _unsafe(_csv_cells(path)) == [], path
        assert mode(path) == 0o600
    table = pd.read_csv(out, dtype=str)
    assert table["text"].str.startswith("'=HYPERLINK").any()
    assert manifest.is_file()


def test_segment_to_stdout_is_neutralised(tmp_path, run_cli):
    _injected_transcript(tmp_path)
    result = run_cli("segment", tmp_path / "t.txt")
    assert result.code == 0, result.err
    cells = [c for row in csv.reader(result.out.splitlines()) for c in row]
    assert _unsafe(cells) == [] and any(c.startswith("'=HYPERLINK") for c in cells)


# ------------------------------------------------------------------ reading user CSVs


@pytest.mark.parametrize(
    ("content", "where", "words"),
    [
        (b"a,b\n1,2\n3,4,5\n", "row 3", "3 fields; expected 2"),
        (b"a,b\n1,2\n3,4\n5,\xe9\n", "row 4", "not UTF-8"),
        (b"", "row 1", "empty"),
    ],
)
def test_read_csv_names_file_and_row(tmp_path, content, where, words):
    path = tmp_path / "m.csv"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_csv(path, what="a manifest")
    assert caught.value.path == str(path) and caught.value.where == where
    assert words in caught.value.problem


def test_read_csv_missing_file_and_folder(tmp_path):
    with pytest.raises(InputError, match="no such file; expected a manifest"):
        read_csv(tmp_path / "nope.csv", what="a manifest")
    with pytest.raises(InputError, match="a folder"):
        read_csv(tmp_path)


def test_read_csv_reads_text_cells_bom_and_sniffed_delimiters(tmp_path):
    path = tmp_path / "s.csv"
    path.write_bytes("\ufeff session_id ;wai1\n007;\n".encode())
    frame = read_csv(path, sep=None)
    assert list(frame.columns) == ["session_id", "wai1"]
    assert frame.iloc[0].tolist() == ["007", ""]  # text kept as written, empty as ""


@pytest.mark.parametrize(
    ("reader", "content"),
    [
        ("read_manifest", b"path,session_id\nx.txt,a\ny.txt,b,c\n"),
        ("read_self_reports", b"session_id,goal\na,3\nb,\xff\n"),
        ("read_outcomes", b"client_id,session_id,gad7\nc,a,3\nc,b,4,5\n"),
    ],
)
def test_user_csv_readers_name_the_row(tmp_path, reader, content):
    from transcript_alliance.comparison.outcomes import read_outcomes
    from transcript_alliance.comparison.selfreport import read_self_reports
    from transcript_alliance.read.manifest import read_manifest

    readers = {
        "read_manifest": read_manifest,
        "read_self_reports": read_self_reports,
        "read_outcomes": read_outcomes,
    }
    path = tmp_path / "f.csv"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        readers[reader](path)
    assert caught.value.where == "row 3" and caught.value.path == str(path)


# ------------------------------------------------------------------ validation errors


class _Turn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    speaker: str
    text: str


class _Doc(BaseModel):
    turns: list[_Turn]


def _error(data) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        _Doc.model_validate(data)
    return caught.value


def test_validation_message_is_one_line_with_the_place():
    assert validation_message(_error({"turns": [{"speaker": "A"}]})) == (
        "turns[0].text: field required"
    )
    # a misspelt key explains the missing field that comes with it
    message = validation_message(_error({"turns": [{"speaker": "A", "txt": "hi"}]}))
    assert message == "turns[0].txt: unknown field (check its spelling)"
    assert "\n" not in validation_message(_error({"turns": "x"}))


# ------------------------------------------------------------------ packaged data


def test_packaged_data_is_validated_on_load():
    from transcript_alliance.annotate.markers.context import ContextCues
    from transcript_alliance.io import packaged_yaml
    from transcript_alliance.report.thresholds import Thresholds

    cues = packaged_yaml("transcript_alliance.annotate.markers", "context.yaml", ContextCues)
    assert "no" in cues.negation and ("i", "guess") in cues.hedges  # YAML's `no` kept a word
    with pytest.raises(InputError, match=r"report/thresholds.yaml: .*unknown field"):
        packaged_yaml("transcript_alliance.report", "thresholds.yaml", ContextCues)
    with pytest.raises(ValidationError, match="low must be below high"):
        bands = {"high": 3, "low": 4, "wide_interval": 1, "fall": 0.5}
        Thresholds(
            **bands, talk_share_high=0.6, minimal_high=0.3, repeated=2, quotes=2, ending_upset=0.5
        )
