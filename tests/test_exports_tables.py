"""Real export layouts (issue 20): tables (CSV, XLSX, DOCX), CHAT, roles, unpunctuated ASR
text and RTTM. Each kind is pinned on small inputs built here; the shared case files in
`../shared/cases/exports` (when present) are read and pinned to the README's reading."""

from __future__ import annotations

import io
import os
import re
import warnings
import zipfile
from pathlib import Path

import pytest

from transcript_alliance import InputError, Role, read_session
from transcript_alliance.read import READERS
from transcript_alliance.read.inspection import describe_session
from transcript_alliance.run.analysis import session_warnings
from transcript_alliance.segment.utterances import bounded_spans, segment_session
from transcript_alliance.session import Session, Turn, Utterance

ROOT = Path(__file__).resolve().parents[1]
CASES = Path(os.environ.get("TA_EXPORT_CASES", ROOT.parent / "shared" / "cases" / "exports"))


def _turns(session: Session) -> list[tuple[str, str]]:
    return [(t.speaker, t.text) for t in session.turns]


# -- CSV ----------------------------------------------------------------------------------


def test_european_csv_semicolon_decimal_comma_cp1252(write):
    data = (
        "Speaker;Start;End;Text\r\n"
        "Therapist;0,5;4,2;\u201cHow has the week been?\u201d\r\n"
        "Client;4,8;9,1;It\u2019s been OK \u2013 a bit stressful.\r\n"
        'Therapist;9,6;13,0;"Sleep; or work?"\r\n'
    ).encode("cp1252")
    session = read_session(write("s.csv", data))
    assert [(t.start, t.end) for t in session.turns] == [(0.5, 4.2), (4.8, 9.1), (9.6, 13.0)]
    assert session.turns[1].text == "It\u2019s been OK \u2013 a bit stressful."
    assert session.turns[2].text == "Sleep; or work?"
    assert session.encoding == "cp1252"


def test_excel_sep_line(write):
    session = read_session(write("s.csv", "sep=;\nspeaker;text;start\nT;Hi?;1,5\nC;Yo.;3\n"))
    assert _turns(session) == [("T", "Hi?"), ("C", "Yo.")]
    assert session.turns[0].start == 1.5
    assert session.turns[0].source_line == 3  # the file's own row: sep= is row 1


def test_title_rows_above_the_header_are_found_and_warned(write):
    path = write(
        "s.csv", "Session 4 transcript\nExported 2026-01-01\n\nWho,Said,Time\nA,Hi?,0:01\n"
    )
    session = read_session(path)
    assert _turns(session) == [("A", "Hi?")]
    assert session.turns[0].start == 1.0
    assert any("rows 1-2 above the header (row 4)" in w for w in session.warnings)


def test_header_row_option_and_the_error_that_names_it(write, run_cli):
    path = write("s.csv", "Clinic export\nPerson,Words\nA,How are you?\nB,Fine.\n")
    with pytest.raises(InputError) as err:
        read_session(path)
    assert "`header_row`=N" in str(err.value) and "row 1" in str(err.value)
    assert "--header-row=N" in run_cli("inspect", path).err  # the flag on the command line
    session = read_session(path, header_row=2, columns={"speaker": "Person", "text": "Words"})
    assert _turns(session) == [("A", "How are you?"), ("B", "Fine.")]
    result = run_cli(
        "inspect", path, "--header-row", "2", "--columns", "speaker=Person,text=Words", "--json"
    )
    assert result.code == 0, result.err
    assert '"turns": 2' in result.out


@pytest.mark.parametrize(
    ("content", "row"),
    [
        ("speaker,text\nT,hello, how are you\nC,fine\n", "row 2"),  # the first data row
        ("speaker,text\nT,hello\nC,fine, thanks\n", "row 3"),
    ],
)
def test_unquoted_comma_is_a_row_error_never_a_cut(write, content, row):
    with pytest.raises(InputError) as err:
        read_session(write("s.csv", content))
    assert row in str(err.value) and "3 fields; expected 2" in str(err.value)
    assert "s.csv" in str(err.value)


# -- XLSX ---------------------------------------------------------------------------------


def _xlsx(path: Path, rows: list[list[object]], *, second_sheet: list[list] | None = None) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if second_sheet is not None:
        other = book.create_sheet("Transcript")
        for row in second_sheet:
            other.append(row)
    book.save(path)
    return path


def test_xlsx_title_rows_times_and_uncached_formula(tmp_path):
    import datetime as dt

    path = _xlsx(
        tmp_path / "s.xlsx",
        [
            ["Session 3", None, None],
            ["Speaker", "Start", "Text"],
            ["Therapist", dt.time(0, 0, 5), "What brings you in?"],
            ["Client", 9.5, '=CONCAT("Not ","sure.")'],  # no cached value: never computed
            ["Client", 12, "Work, mostly."],
        ],
    )
    session = read_session(path)
    assert _turns(session) == [("Therapist", "What brings you in?"), ("Client", "Work, mostly.")]
    assert [t.start for t in session.turns] == [5.0, 12.0]
    assert any("C4" in w and "formula" in w for w in session.warnings)
    assert any("row 1 above the header (row 2)" in w for w in session.warnings)


def test_xlsx_finds_the_transcript_sheet(tmp_path):
    path = _xlsx(
        tmp_path / "s.xlsx",
        [["Summary"], ["words", 120]],
        second_sheet=[["speaker", "text"], ["T", "Hello?"], ["C", "Hi."]],
    )
    session = read_session(path)
    assert _turns(session) == [("T", "Hello?"), ("C", "Hi.")]
    assert any("'Transcript'" in w for w in session.warnings)


def test_library_warnings_become_session_warnings(tmp_path, monkeypatch):
    import openpyxl

    original = openpyxl.load_workbook

    def noisy(*args, **kwargs):
        warnings.warn("Data Validation extension is not supported", UserWarning, stacklevel=1)
        return original(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", noisy)
    path = _xlsx(tmp_path / "s.xlsx", [["speaker", "text"], ["T", "Hi?"], ["C", "Yo."]])
    with warnings.catch_warnings(record=True) as leaked:
        warnings.simplefilter("always")
        session = read_session(path)
    assert not [w for w in leaked if "Validation" in str(w.message)]
    assert any("Data Validation extension" in w for w in session.warnings)


# -- DOCX ---------------------------------------------------------------------------------


def _tscribe_docx(path: Path) -> Path:
    import docx

    doc = docx.Document()
    doc.add_paragraph("Transcription of session-04")
    stats = doc.add_table(rows=3, cols=3)
    figures = [("Confidence", "Count", "%"), ("98-100", "4", "80%"), ("0-9", "1", "20%")]
    for row, cells in zip(stats.rows, figures):
        for cell, value in zip(row.cells, cells):
            cell.text = value
    table = doc.add_table(rows=4, cols=3)
    lines = [
        ("Time", "Speaker", "Content"),
        ("0:00:02", "spk_0", "How did the week go?"),
        ("0:00:07", "spk_1", "Better than I expected."),
        ("0:00:11", "spk_0", "Why?"),
    ]
    for row, cells in zip(table.rows, lines):
        for cell, value in zip(row.cells, cells):
            cell.text = value
    doc.save(path)
    return path


def test_docx_transcript_table_found_by_its_header(tmp_path):
    session = read_session(_tscribe_docx(tmp_path / "t.docx"))
    assert [(t.speaker, t.start) for t in session.turns] == [
        ("spk_0", 2.0),
        ("spk_1", 7.0),
        ("spk_0", 11.0),
    ]
    assert session.speakers["spk_0"].role is Role.THERAPIST
    assert any("table 1" in w and "skipped" in w for w in session.warnings)


def _with_core(data: bytes, core: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            zout.writestr(item, core if item.filename == "docProps/core.xml" else zin.read(item))
    return out.getvalue()


@pytest.mark.parametrize(
    "core",
    [b'<?xml version="1.0"?><foo/>', b"<cp:coreProperties", b""],
    ids=["wrong root", "cut short", "empty"],
)
def test_docx_damaged_core_properties_are_a_warning(tmp_path, core):
    import docx

    doc = docx.Document()
    doc.add_paragraph("T: How are you?")
    doc.add_paragraph("C: Fine.")
    buffer = io.BytesIO()
    doc.save(buffer)
    path = tmp_path / "s.docx"
    path.write_bytes(_with_core(buffer.getvalue(), core))
    session = read_session(path)
    assert _turns(session) == [("T", "How are you?"), ("C", "Fine.")]
    assert any("docProps/core.xml" in w for w in session.warnings)


# -- CHAT ---------------------------------------------------------------------------------

CHAT_HEAD = (
    "@UTF8\n@Begin\n@Languages:\teng\n@Participants:\tTHE Ann Therapist, PAR Bo Participant\n"
    "@ID:\teng|x|THE|||||Therapist|||\n@ID:\teng|x|PAR|||||Participant|||\n"
)


def test_chat_misaligned_mor_is_a_warning_with_its_line(write):
    text = CHAT_HEAD + (
        "*THE:\thow was the week ?\n%mor:\tadv:wh|how v|be n|week ?\n"
        "*PAR:\t<I was> [//] I got xxx done .\n%mor:\tpro|I v|get pro|some adj|done .\n"
        "@End\n"
    )
    with warnings.catch_warnings(record=True) as leaked:
        warnings.simplefilter("always")
        session = read_session(write("s.cha", text))
    assert not [w for w in leaked if "misalignment" in str(w.message)]
    assert _turns(session) == [
        ("THE", "how was the week?"),
        ("PAR", "I was I got [inaudible] done."),
    ]
    assert any(w.startswith("line 9:") and "%mor" in w for w in session.warnings)


def test_chat_comment_headers_between_tiers(write):
    text = CHAT_HEAD + (
        "@Comment:\trecording starts late\n*THE:\tso how are you ?\n@Comment:\tphone rings\n"
        "*PAR:\tfine .\n%com:\tlaughs\n@Comment:\ta long comment\n\tgoing on\n*THE:\tgood .\n@End\n"
    )
    session = read_session(write("s.cha", text))
    assert _turns(session) == [("THE", "so how are you?"), ("PAR", "fine."), ("THE", "good.")]
    assert [t.source_line for t in session.turns] == [8, 10, 14]


# -- any reader error is one line ---------------------------------------------------------


def test_unforeseen_reader_error_is_an_input_error(write, monkeypatch):
    def broken(source):
        raise AttributeError("'NoneType' object has no attribute 'get'")

    monkeypatch.setitem(READERS, "text", broken)
    with pytest.raises(InputError) as err:
        read_session(write("s.txt", "T: hi\n"))
    assert "s.txt" in str(err.value) and "AttributeError" in str(err.value)


# -- RTTM ---------------------------------------------------------------------------------

RTTM = "SPEAKER s07 1 0.520 2.580 <NA> <NA> SPEAKER_00 <NA> <NA>\n"


@pytest.mark.parametrize("name", ["s.rttm", "s.txt"])
def test_rttm_is_refused_saying_what_would_help(write, name):
    with pytest.raises(InputError) as err:
        read_session(write(name, RTTM * 3))
    message = str(err.value)
    assert "no words" in message and "transcript" in message and "diarized" in message
    assert "--format" not in message


# -- roles --------------------------------------------------------------------------------


def test_numbered_participants_go_to_the_heuristic(write):
    text = "P1: Hi. What brings you here?\nP2: My sleep.\nP1: How long?\nP2: A month.\n"
    session = read_session(write("s.txt", text))
    assert session.speakers["P1"].role is Role.THERAPIST
    assert session.speakers["P1"].source == "heuristic"
    assert session.speakers["P2"].role is Role.CLIENT


def test_numbered_clients_beside_a_therapist_keep_their_role(write):
    text = "Therapist: Who starts?\nClient 1: Me.\nClient 2: Fine.\nTherapist: Go on.\n"
    session = read_session(write("s.txt", text))
    assert {label: i.source for label, i in session.speakers.items()} == {
        "Therapist": "known-name",
        "Client 1": "known-name",
        "Client 2": "known-name",
    }


def test_roles_label_absent_from_one_file_is_a_warning(write, run_cli):
    one = write("a.txt", "Dr. Lee: How are you?\nSam: Fine.\n")
    two = write("b.txt", "Dr. Kim: How are you?\nAlex: Fine.\n")
    roles = "Dr. Lee=therapist,Dr. Kim=therapist,Sam=client,Alex=client"
    session = read_session(one, roles=roles)
    assert session.speakers["Dr. Lee"].source == "map"
    assert any("'Dr. Kim', 'Alex'" in w and "do not speak" in w for w in session.warnings)
    result = run_cli("segment", one, two, "--roles", roles)
    assert result.code == 0, result.err
    with pytest.raises(InputError, match="never speak"):
        read_session(one, roles="Dr. Park=therapist")


def test_code_warns_no_therapist_speech():
    session = Session("s", [Turn(0, "C", "I slept.", role=Role.CLIENT)])
    session.utterances = [Utterance("s", 0, 0, Role.CLIENT, "C", "I slept.", 0, 8)]
    assert any("no therapist speech" in w for w in session_warnings(session))


# -- unpunctuated ASR text ----------------------------------------------------------------

UNPUNCTUATED = (
    "Speaker 1  0:02\nso um how have things been since we last met\n\n"
    "Speaker 2  0:06\nyeah i mean it's been okay i guess work has been a lot and i haven't really "
    "been sleeping that well to be honest and my mom called again on sunday which was hard\n\n"
    "Speaker 1  0:21\nmm hmm that sounds like a lot what was the call about\n\n"
    "Speaker 2  0:26\nthe same thing she wants me to move back home\n"
)


def test_unpunctuated_text_is_warned_and_split_by_length(write):
    session = read_session(write("s.txt", UNPUNCTUATED))
    assert any("no sentence punctuation" in w for w in session.warnings)
    assert describe_session(session)["unpunctuated"] is True
    guess = next(w for w in session.warnings if w.startswith("roles guessed: 'Speaker 1'"))
    assert "questions in" not in guess
    segment_session(session)
    long_turn = [u for u in session.utterances if u.turn == 1]
    assert len(long_turn) == 2 and all(u.n_words <= 20 for u in long_turn)
    assert " ".join(u.text for u in long_turn) == session.turns[1].text


def test_punctuated_text_is_not_flagged(write):
    text = "T: How are you today? Tell me.\nC: " + "I am fine, thanks. " * 10 + "\n"
    session = read_session(write("s.txt", text))
    assert not any("punctuation" in w for w in session.warnings)


def test_bounded_spans_cut_at_pauses_and_by_count():
    text = " ".join(f"w{i}" for i in range(50))
    spans = bounded_spans(text, [], max_words=20)
    assert [len(text[a:b].split()) for a, b in spans] == [17, 17, 16]
    from transcript_alliance.session import Event

    cut = text.index("w5 ")
    spans = bounded_spans(text, [Event("ellipsis", "...", cut, cut)], max_words=20)
    assert text[spans[0][0] : spans[0][1]].split()[-1] == "w4"


# -- the shared case files ----------------------------------------------------------------

CASE_READINGS = {
    "07-chat-mor-misaligned.cha": {
        "speakers": ["THE", "PAR", "THE", "PAR", "THE", "PAR"],
        "roles": {"THE": Role.THERAPIST, "PAR": Role.CLIENT},
        "starts": [1.0, 4.0, 7.2, 8.5, 11.5, 14.5],
        "warning": r"^line 13: the %mor tier does not align",
    },
    "08-chat-retracing-bullets.cha": {
        "speakers": ["THE", "PAR", "THE", "PAR", "THE", "PAR"],
        "starts": [1.0, 4.0, 7.2, 8.5, 11.5, 14.5],
        "text": {2: "okay (laughs)."},
    },
    "15-excel-csv-semicolon-cp1252.csv": {
        "speakers": ["Therapist", "Client", "Therapist", "Client", "Therapist"],
        "starts": [0.5, 4.8, 9.6, 13.4, 18.2],
        "text": {
            1: "It\u2019s been OK \u2013 a bit stressful.",
            3: "Sleep; I keep waking up at 3 a.m.",
        },
    },
    "17-docx-tscribe-time-speaker-table.docx": {
        "speakers": ["spk_0", "spk_1"] * 3,
        "roles": {"spk_0": Role.THERAPIST, "spk_1": Role.CLIENT},
        "starts": [2.0, 7.0, 11.0, 15.0, 21.0, 25.0],
        "text": {0: "Welcome back. How did the week go?", 5: "Yes."},
    },
    "19-otter-unpunctuated-asr.txt": {
        "speakers": ["Speaker 1", "Speaker 2"] * 3,
        "roles": {"Speaker 1": Role.THERAPIST, "Speaker 2": Role.CLIENT},
        "starts": [2.0, 6.0, 21.0, 26.0, 38.0, 42.0],
        "warning": r"no sentence punctuation",
    },
    "20-labels-p1-p2.txt": {
        "speakers": ["P1", "P2"] * 3,
        "roles": {"P1": Role.THERAPIST, "P2": Role.CLIENT},
        "decided_by": "heuristic",
    },
    "21-labels-iv-r.txt": {
        "speakers": ["IV", "R"] * 3,
        "roles": {"IV": Role.THERAPIST, "R": Role.CLIENT},
    },
    "24-deid-lowercase-allcaps-names.txt": {
        "speakers": ["THERAPIST", "MAYA"] * 3,
        "roles": {"THERAPIST": Role.THERAPIST, "MAYA": Role.CLIENT},
        "text": {1: "It was okay. daniel kept asking about my job at riverside bakery though."},
    },
    "25-pyannote-rttm-only.rttm": {"error": r"line 1: .*no words.*transcript"},
}


@pytest.mark.skipif(not CASES.is_dir(), reason="the shared export cases are not beside the repo")
@pytest.mark.parametrize("name", list(CASE_READINGS))
def test_shared_export_case(name):
    want = CASE_READINGS[name]
    path = CASES / name
    if "error" in want:
        with pytest.raises(InputError) as err:
            read_session(path)
        assert name in str(err.value) and re.search(want["error"], str(err.value))
        return
    session = read_session(path)
    assert [t.speaker for t in session.turns] == want["speakers"]
    for label, role in want.get("roles", {}).items():
        assert session.speakers[label].role is role, label
    if "starts" in want:
        assert [t.start for t in session.turns] == want["starts"]
    for index, text in want.get("text", {}).items():
        assert session.turns[index].text == text
    if "warning" in want:
        assert any(re.search(want["warning"], w) for w in session.warnings), session.warnings
    if "decided_by" in want:
        assert {i.source for i in session.speakers.values()} == {want["decided_by"]}
    assert not any(re.search(r"\d:\d\d", t.text) for t in session.turns)  # no time in text
