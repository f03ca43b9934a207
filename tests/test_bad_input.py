"""Every bad input gets one clear line naming the file and place, exit status 2, no
traceback, and no output file left behind."""

from __future__ import annotations

import json

import pytest

GOOD = "T: How are you?\nC: Fine.\n"

CASES = {
    # name: (file name, content, extra args, words the one line must contain)
    "empty": ("empty.txt", b"", [], ["empty.txt", "empty"]),
    "whitespace": ("blank.txt", b"  \n\n \t\n", [], ["blank.txt", "empty"]),
    "binary": ("image.txt", bytes(range(256)) * 40, [], ["image.txt", "binary"]),
    "no labels": (
        "plain.txt",
        b"I felt fine today.\nThen I did not.\n",
        [],
        ["plain.txt", "no speaker labels", "2 lines"],
    ),
    "undeclared CHAT speaker": (
        "s.cha",
        b"@UTF8\n@Begin\n@Participants:\tTHE Ann Therapist\n*THE:\thi .\n*XYZ:\tho .\n@End\n",
        [],
        ["s.cha", "line 5", "*XYZ", "@Participants"],
    ),
    "label that never speaks": (
        "s.txt",
        GOOD.encode(),
        ["--roles", "Dr. Smith=therapist"],
        ["s.txt", "Dr. Smith", "never speaks", "T, C"],
    ),
    "unknown role in map": (
        "s.txt",
        GOOD.encode(),
        ["--roles", "T=doctor"],
        ["--roles", "therapist, client or other"],
    ),
    "truncated JSON": (
        "s.json",
        json.dumps({"turns": [{"speaker": "T", "text": "Hi"}] * 3})[:-7].encode(),
        [],
        ["s.json", "line 1 column", "invalid JSON"],
    ),
    "JSON missing text": (
        "s.json",
        b'{"turns": [{"speaker": "T", "text": "Hi"}, {"speaker": "C"}]}',
        [],
        ["s.json", "turns[1].text", "field required"],
    ),
    "JSONL bad line": (
        "s.jsonl",
        b'{"speaker": "T", "text": "Hi"}\n{"speaker": "C", "text": \n',
        [],
        ["s.jsonl", "line 2", "invalid JSON"],
    ),
    "CSV missing columns": (
        "s.csv",
        b"name,words\nT,hello\n",
        [],
        ["s.csv", "row 1", "no text column", "name, words"],
    ),
    "CSV bad time": (
        "s.csv",
        b"speaker,text,start\nT,hello,0\nC,hi,soon\n",
        [],
        ["s.csv", "row 3", "'soon'", "seconds or hh:mm:ss"],
    ),
    "CSV ragged row": (
        "s.csv",
        b"speaker,text\nT,hello\nC,hi,there,extra\n",
        [],
        ["s.csv", "row 3", "4 fields; expected 2"],
    ),
    "VTT broken cue": (
        "s.vtt",
        b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v T>Hi?\n\n"
        b"00:00:0x.000 --> 00:00:04.000\n<v C>Hello.\n",
        [],
        ["s.vtt", "line 6 (cue 2)", "broken cue timing", "00:01:02.500 --> 00:01:05.000"],
    ),
    "VTT missing header": ("s.vtt", b"00:00:01.000 --> 00:00:02.000\nT: hi\n", [], ["WEBVTT"]),
    "SRT broken cue": (
        "s.srt",
        b"1\n00:00:01,000 --> 00:00:02,000\nT: Hi?\n\n2\n00:00:03 --> 00:00:04,000\nC: Yo.\n",
        [],
        ["s.srt", "line 6 (cue 2)", "broken cue timing"],
    ),
    "docx not a zip": ("s.docx", b"T: hello\nC: hi\n", [], ["s.docx", "not a Word .docx"]),
    "xlsx not a zip": ("s.xlsx", b"speaker,text\n", [], ["s.xlsx", "not an Excel .xlsx"]),
    "invalid UTF-16": ("s.txt", b"\xff\xfeT\x00:\x00\x00\xd8", [], ["s.txt", "utf-16"]),
    "50 MB single line": (
        "huge.txt",
        b"T: " + b"word " * 10_000_000,
        [],
        ["huge.txt", "line 1", "50,000,003 characters"],
    ),
    "unknown extension": ("s.weird", b"hello there", [], ["s.weird", "unknown extension"]),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_bad_input_gives_one_clear_line(case, write, run_cli, tmp_path):
    name, content, extra, words = CASES[case]
    path = write(name, content)
    out = tmp_path / "out" / "utterances.csv"
    result = run_cli("segment", path, *extra, "--out", out)
    assert result.code == 2
    errors = [line for line in result.err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.err
    for word in words:
        assert word in errors[0], errors[0]
    assert "Traceback" not in result.err
    assert len(errors[0]) < 400
    # Nothing half-written: the bad file was the only input, so no table and no temp file.
    assert not out.exists()
    assert not list(tmp_path.rglob("*.tmp"))


def test_verbose_adds_the_traceback(write, run_cli):
    result = run_cli("--verbose", "segment", write("e.txt", b""))
    assert result.code == 2
    assert "Traceback" in result.err
    assert "error: " in result.err


def test_batch_goes_on_past_a_bad_file_and_lists_it(write, run_cli, tmp_path):
    good = write("good.txt", GOOD)
    bad = write("bad.json", b'{"turns": [')
    out = tmp_path / "u.csv"
    result = run_cli("segment", good, bad, tmp_path / "missing.txt", "--out", out)
    assert result.code == 2
    assert result.err.count("error:") == 2
    assert "bad.json" in result.err and "missing.txt: no such file" in result.err
    assert "2 file(s) could not be read (1 read)" in result.err
    table = out.read_text().splitlines()
    assert len(table) == 3 and all(line.startswith("good,") for line in table[1:])


def test_mixed_encodings_are_read_with_a_warning(write, run_cli):
    content = "T: Café time?\n".encode() + "C: It’s fine.\n".encode("cp1252")
    result = run_cli("segment", write("mixed.txt", content))
    assert result.code == 0
    assert "It’s fine." in result.out
    assert "mixed encodings: line 2 is not UTF-8 and was read" in result.err


def test_bad_option_values(write, run_cli):
    path = write("s.txt", GOOD)
    assert run_cli("segment", path, "--format", "pdf").code == 2
    result = run_cli("segment", path, "--out", "table.xls")
    assert result.code == 2 and "--out table.xls" in result.err
    result = run_cli("segment", path, "--columns", "speakr=Who")
    assert result.code == 2 and "FIELD=COLUMN" in result.err
    assert run_cli("segment").code == 2


def test_manifest_problems_name_the_row(write, run_cli):
    write("a.txt", GOOD)
    manifest = write("m.csv", "path,session_id\na.txt,s1\nnope.txt,s2\n")
    result = run_cli("segment", "--manifest", manifest)
    assert result.code == 2
    assert "m.csv: row 3: no such file: nope.txt" in result.err


def test_manifest_roles_column_sets_roles_per_file(write, run_cli):
    write("a.txt", "Ana: How are you?\nBo: Fine.\n")
    write("b.txt", "Cy: Hello?\nDee: Hi.\n")
    manifest = write(
        "m.csv", 'path,session_id,roles\na.txt,s1,"Ana=therapist,Bo=client"\nb.txt,s2,\n'
    )
    result = run_cli("segment", "--manifest", manifest, "--roles", "Dee=therapist,Cy=client")
    assert result.code == 0, result.err
    rows = [line.split(",")[:5] for line in result.out.splitlines()[1:]]
    assert [(r[0], r[3], r[4]) for r in rows] == [
        ("s1", "therapist", "Ana"),
        ("s1", "client", "Bo"),
        ("s2", "client", "Cy"),
        ("s2", "therapist", "Dee"),
    ]


def _estimator_with(tmp_path, change) -> str:
    from importlib import resources

    text = resources.files("transcript_alliance.estimate.estimators").joinpath("default.json")
    spec = json.loads(text.read_text(encoding="utf-8"))
    change(spec)
    path = tmp_path / "est.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (
            lambda s: s["components"]["bond"].append(
                {"role": "client", "code": "joy_affect", "weight": 1, "family": "ending"}
            ),
            ["est.json", "bond term 19", "unknown code 'joy_affect'", "positive_affect"],
        ),
        (
            lambda s: s["components"]["goal"].append(
                {"role": "therapist", "code": "positive_affect", "weight": 1, "family": "ending"}
            ),
            ["est.json", "goal term", "role 'therapist'", "expected 'client'"],
        ),
        (lambda s: s.update(ending_turns=-3), ["est.json", "ending_turns", "greater than"]),
    ],
    ids=["unknown code", "derived code for the therapist", "negative ending"],
)
def test_a_bad_estimator_fails_in_one_line_before_any_work(change, words, write, run_cli, tmp_path):
    estimator = _estimator_with(tmp_path, change)
    session = write("s.txt", GOOD.encode())
    for command in (["feedback", session], ["code", session, "--out", tmp_path / "out"]):
        result = run_cli(*command, "--estimator", estimator)
        assert result.code == 2, result.err
        errors = [line for line in result.err.splitlines() if line.startswith("error:")]
        assert len(errors) == 1 and "Traceback" not in result.err, result.err
        for word in words:
            assert word in errors[0], errors[0]
    assert not (tmp_path / "out" / "sessions.csv").exists()
