"""What `code --redact` writes holds no speaker label, roles-map name or quoted text (errors.csv
messages, run.json's settings, every table and shard); a folder's RTTM files and files of
no transcript kind are reported, not skipped in silence; manifest dates are checked."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

import transcript_alliance as ta
from transcript_alliance.read.inputs import expand_inputs
from transcript_alliance.read.manifest import read_manifest
from transcript_alliance.run.hidden_paths import PathHider, error_code, safe_error

QUICK = {"classifier": None, "resamples": 20, "workers": 1}
SPEECH = (
    "{t}: How are you feeling about the goals we set last week?\n"
    "{c}: I think we are working on the right things together.\n"
    "{t}: That sounds good. Tell me more about what helped.\n"
    "{c}: I agree with the plan and I want to keep going.\n"
)
RTTM = "SPEAKER s1 1 0.00 2.50 <NA> <NA> SPEAKER_00 <NA> <NA>\n"
NAMES = ("Rosalind", "Nobody", "Dana", "Whitfield", "Moran", "Unknown Speaker", "speakers found")


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(SPEECH.format(t="Rosalind", c="Dana Whitfield"))
    # no label of the roles map speaks here: an error quoting the labels found
    (folder / "b.txt").write_text(SPEECH.format(t="Lee Moran", c="Unknown Speaker"))
    # one line in cp1252: a warning naming the line
    (folder / "c.txt").write_bytes(
        SPEECH.format(t="Rosalind", c="Dana Whitfield").replace("plan", "caf\xe9").encode("cp1252")
    )
    (folder / "d.rttm").write_text(RTTM)
    (folder / "notes.xyz").write_text("Dana Whitfield called on Monday\n")
    return folder


def _every_text(out: Path) -> dict[Path, str]:
    """Every file under `out` (shards included) as text: Parquet cells and column names."""
    texts = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        if path.suffix == ".parquet":
            frame = pd.read_parquet(path)
            texts[path] = " ".join(map(str, frame.columns)) + frame.astype(str).to_csv()
        else:
            texts[path] = path.read_text(encoding="utf-8", errors="replace")
    return texts


def test_redacted_code_writes_no_label_name_or_quote(run_cli, tmp_path):
    pytest.importorskip("presidio_analyzer")
    folder = _folder(tmp_path)
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        "path,session_id,client_id,date,roles\n"
        "in/a.txt,s1,c1,2026-01-05,Rosalind=therapist\n"
        "in/c.txt,s3,c1,2026-01-12,Rosalind Dana\n"  # no '=': refused, quoting the names
    )
    out = tmp_path / "out"
    args = ["code", folder, "--manifest", manifest, "--out", out, "--redact"]
    args += ["--classifier", "none", "--resamples", "20", "--workers", "1"]
    result = run_cli(*args, "--roles", "Rosalind=therapist,Dr. Nobody=therapist")
    assert result.code == 1, result.err  # some files failed, the others were coded
    assert "speakers found" in result.err  # the terminal keeps the message whole
    texts = _every_text(out)
    assert {p.name for p in texts} >= {"errors.csv", "run.json", "sessions.csv", "evidence.csv"}
    assert any(".work" in p.parts for p in texts)
    leaks = [(p.name, n) for p, text in texts.items() for n in NAMES if n.lower() in text.lower()]
    assert leaks == []
    errors = pd.read_csv(out / "errors.csv")
    codes = sorted(re.search(r"\): ([A-Z_]+)", e).group(1) for e in errors.error)
    assert codes == ["MANIFEST_VALUE", "ROLES_MAP_UNMATCHED", "RTTM_NO_WORDS"]
    assert any("MANIFEST_VALUE at row 3" in e for e in errors.error)
    record = json.loads((out / "run.json").read_text())
    assert record["settings"]["roles"] == "(redacted: 2 entries)"
    assert record["skipped_in_folders"] == {"unknown extension": 1}


def test_plain_run_keeps_roles_and_messages(tmp_path):
    folder = _folder(tmp_path)
    out = tmp_path / "out"
    summary = ta.code([folder], out, roles="Rosalind=therapist,Dr. Nobody=therapist", **QUICK)
    errors = pd.read_csv(out / "errors.csv")
    assert "speakers found: Lee Moran, Unknown Speaker" in " ".join(errors.error)
    assert json.loads((out / "run.json").read_text())["settings"]["roles"].startswith("Rosalind")
    assert summary.sessions == 2


def test_safe_error_keeps_code_and_numbers_only():
    message = (
        "in/b.txt: the roles map names 'Dr. Nobody', who never speaks in this file; "
        "speakers found: Dana Whitfield"
    )
    assert error_code(message) == "ROLES_MAP_UNMATCHED"
    assert "Dana" not in safe_error(message) and "Nobody" not in safe_error(message)
    lines = "s.txt: line 4: byte 0x81 is neither UTF-8 nor cp1252; expected a text transcript"
    assert safe_error(lines).startswith("ENCODING at line 4 (")
    crash = "s.txt: could not be analysed (KeyError: 'Dana Whitfield')"
    assert safe_error(crash).startswith("ANALYSIS_FAILED (KeyError) (")
    assert "Dana" not in safe_error(crash)
    assert safe_error("s.txt: row 2: 'Sam': rows 3, 5 and 9 hold no text").startswith(
        "INPUT_ERROR at row 2, rows 3, 5 and 9 ("
    )
    hider = PathHider([Path("x/Dana.txt")])
    ((path, shown),) = hider.failures([("x/Dana.txt", "x/Dana.txt: 'Dana' never speaks")])
    assert "Dana" not in path + shown and shown.startswith(f"{path}: INPUT_ERROR")


def test_a_folder_lists_rttm_as_an_error_and_counts_what_it_skips(tmp_path):
    folder = _folder(tmp_path)
    (folder / ".DS_Store").write_bytes(b"\0")
    skipped: dict[str, int] = {}
    with pytest.warns(UserWarning, match=r"skipped 2 file\(s\) .*1 hidden, 1 unknown extension"):
        items, errors = expand_inputs([folder], skipped=skipped)
    assert [i.path.name for i in items] == ["a.txt", "b.txt", "c.txt", "d.rttm"]
    assert skipped == {"hidden": 1, "unknown extension": 1}
    summary = ta.code([folder], tmp_path / "out", **QUICK)
    by_name = {Path(p).name: e for p, e in summary.failures}
    assert "an RTTM file says who spoke when but holds no words" in by_name["d.rttm"]
    errors = pd.read_csv(tmp_path / "out" / "errors.csv")
    assert errors.path.str.endswith("d.rttm").sum() == 1


@pytest.mark.parametrize("date", ["2026-13-45", "2026-02-30", "5 Jan 2026", "20260105"])
def test_a_manifest_date_that_is_not_an_iso_date_is_refused(tmp_path, date):
    (tmp_path / "a.txt").write_text(SPEECH.format(t="T", c="C"))
    (tmp_path / "b.txt").write_text(SPEECH.format(t="T", c="C"))
    manifest = tmp_path / "m.csv"
    manifest.write_text(f"path,date\na.txt,{date}\nb.txt,2026-01-05\n")
    errors: list = []
    entries = read_manifest(manifest, errors)
    assert [e.path.name for e in entries] == ["b.txt"]
    assert str(errors[0]) == f"{manifest}: row 2: date '{date}'; expected an ISO date YYYY-MM-DD"


def test_warning_codes_put_reading_before_scoring(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    text = SPEECH.format(t="Rosalind", c="Dana Whitfield").replace("plan", "caf\xe9")
    (folder / "c.txt").write_bytes(text.encode("cp1252"))
    ta.code([folder], tmp_path / "out", **QUICK)
    cell = pd.read_csv(tmp_path / "out" / "sessions.csv").at[0, "warnings"]
    assert cell.split("; ")[0] == "ENCODING_GUESSED" and cell.endswith("SHORT_SESSION")


def test_one_line_not_utf8_is_singular(tmp_path):
    from transcript_alliance.read.encoding import decode_bytes

    data = "T: one\nC: caf\xe9\nT: three\n".encode("cp1252").replace(b"one", "\u00e9".encode())
    (warning,) = decode_bytes(data, tmp_path / "s.txt").warnings
    assert "line 2 is not UTF-8 and was read as cp1252" in warning
