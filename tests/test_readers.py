"""Each reader on small files built here: labels, times, continuations, column guesses."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from transcript_alliance import InputError, Role, read_session
from transcript_alliance.read.formats.chat import clean_tier
from transcript_alliance.read.labels import match_label, parse_timestamp


@pytest.mark.parametrize(
    ("line", "label", "text", "start"),
    [
        ("T: How are you?", "T", "How are you?", None),
        ("Therapist: Hello.", "Therapist", "Hello.", None),
        ("Dr. Lee: Come in.", "Dr. Lee", "Come in.", None),
        ("[00:01:02] Client: I guess.", "Client", "I guess.", 62.0),
        ("CLIENT (00:01:02): Fine.", "CLIENT", "Fine.", 62.0),
        ("- Client: yeah", "Client", "yeah", None),
        ("[Client] Fine, thanks.", "Client", "Fine, thanks.", None),
        ("Speaker 1  0:05", "Speaker 1", "", 5.0),
    ],
)
def test_label_forms(line, label, text, start):
    found = match_label(line)
    assert found is not None
    assert (found.label, found.text, found.start) == (label, text, start)


@pytest.mark.parametrize(
    "line",
    ["http://example.org is where", "Well, I went home and slept: badly.", "12: the number"],
)
def test_not_labels(line):
    assert match_label(line) is None


def test_parse_timestamp():
    assert parse_timestamp("01:02:03.5") == 3723.5
    assert parse_timestamp("00:01:02,250") == 62.25
    assert parse_timestamp("1:05") == 65


def test_text_continuation_lines_and_one_off_label(write):
    path = write(
        "s.txt",
        "T: Hello, how are you?\nC: Not great.\nIt was a long week.\nT: Tell me more.\n"
        "C: My boss said this: you're late again.\nT: That sounds hard.\n",
    )
    session = read_session(path)
    assert [t.speaker for t in session.turns] == ["T", "C", "T", "C", "T"]
    assert session.turns[1].text == "Not great. It was a long week."
    assert session.turns[3].text == "My boss said this: you're late again."
    assert session.turns[1].source_line == 2


def test_one_off_label_inside_speech_is_warned(write):
    path = write("s.txt", "T: So?\nC: Well.\nAnyway: it was fine.\nT: Okay.\nC: Yes.\n")
    session = read_session(path)
    assert session.turns[1].text == "Well. Anyway: it was fine."
    assert any("'Anyway:'" in w and "line 3" in w for w in session.warnings)


def test_csv_guesses_columns_and_merges_rows(write):
    path = write(
        "s.csv",
        "Speaker,Start,End,Utterance\nT,0,2.5,Hi there.\nT,2.5,4,How are you?\n"
        "C,4.5,6,Okay I guess.\n,6,7,Mostly.\n",
    )
    session = read_session(path)
    assert [(t.speaker, t.text) for t in session.turns] == [
        ("T", "Hi there. How are you?"),
        ("C", "Okay I guess. Mostly."),
    ]
    assert (session.turns[0].start, session.turns[0].end) == (0.0, 4.0)


def test_tsv_and_columns_option(write):
    path = write("s.tsv", "who\tsaid\tclock\nA\tHow was it?\t00:00:01\nB\tFine.\t00:00:03\n")
    session = read_session(path, columns={"speaker": "who", "text": "said", "start": "clock"})
    assert [t.start for t in session.turns] == [1.0, 3.0]


def test_xlsx(tmp_path):
    path = tmp_path / "s.xlsx"
    pd.DataFrame({"speaker": ["Therapist", "Client"], "text": ["How are you?", "Fine."]}).to_excel(
        path, index=False
    )
    session = read_session(path)
    assert session.format == "xlsx"
    assert [t.role for t in session.turns] == [Role.THERAPIST, Role.CLIENT]


def test_csv_role_column_sets_roles(write):
    path = write("s.csv", "speaker,role,text\nAnn,therapist,Hi.\nBo,client,Hello?\n")
    session = read_session(path)
    assert session.speakers["Ann"].role is Role.THERAPIST
    assert session.speakers["Ann"].source == "file"


def test_own_json_schema(write):
    doc = {
        "session_id": "s7",
        "client_id": "C9",
        "session_number": 7,
        "metadata": {"site": "A"},
        "turns": [
            {"speaker": "Ann", "role": "therapist", "text": "Hi.", "start": 0, "end": 1},
            {"speaker": "Bo", "role": "client", "text": "Hello.", "start": 1.5, "end": 2},
        ],
    }
    session = read_session(write("x.json", json.dumps(doc)))
    assert (session.session_id, session.client_id, session.session_number) == ("s7", "C9", 7)
    assert session.metadata["site"] == "A"
    assert session.speakers["Bo"].role is Role.CLIENT


def test_own_json_schema_rejects_unknown_keys(write):
    doc = {"turns": [{"speaker": "A", "text": "Hi"}], "sesion_id": "typo"}
    with pytest.raises(InputError, match="sesion_id"):
        read_session(write("x.json", json.dumps(doc)))


def test_whisperx_segments_merge_per_speaker(write):
    doc = {
        "segments": [
            {"start": 0, "end": 2, "text": " How are you?", "speaker": "SPEAKER_00"},
            {"start": 2.5, "end": 4, "text": " Tired.", "speaker": "SPEAKER_01"},
            {"start": 4, "end": 6, "text": " Really tired.", "speaker": "SPEAKER_01"},
        ]
    }
    session = read_session(write("w.json", json.dumps(doc)))
    assert session.format == "whisper"
    assert [(t.text, t.start, t.end) for t in session.turns] == [
        ("How are you?", 0, 2),
        ("Tired. Really tired.", 2.5, 6),
    ]


def test_whisper_without_diarization_is_refused(write):
    doc = {"segments": [{"start": 0, "end": 2, "text": "Hello"}]}
    with pytest.raises(InputError, match=r"segment 1.*diariz"):
        read_session(write("w.json", json.dumps(doc)))


def test_jsonl_turns(write):
    lines = ['{"speaker": "T", "text": "Hi?"}', "", '{"speaker": "C", "text": "Hey."}']
    session = read_session(write("s.jsonl", "\n".join(lines)))
    assert [t.speaker for t in session.turns] == ["T", "C"]


def test_vtt_voice_tags_prefixes_and_continuations(write):
    vtt = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Dr. Lee>Can you hear me?</v>\n\n"
        "00:00:03.500 --> 00:00:05.000\nMaya: Yes. Sorry about that.\n\n"
        "00:00:05.000 --> 00:00:07.250\nThe wifi is bad.\n\n"
        "00:00:08.000 --> 00:00:09.000\n<v Dr. Lee>No problem.\n\n"
        "00:00:09.500 --> 00:00:10.000\nMaya: Thanks.\n"
    )
    session = read_session(write("s.vtt", vtt))
    assert [(t.speaker, t.text, t.start, t.end) for t in session.turns] == [
        ("Dr. Lee", "Can you hear me?", 1.0, 3.0),
        ("Maya", "Yes. Sorry about that. The wifi is bad.", 3.5, 7.25),
        ("Dr. Lee", "No problem.", 8.0, 9.0),
        ("Maya", "Thanks.", 9.5, 10.0),
    ]


def test_srt_prefixes(write):
    srt = (
        "1\n00:00:01,000 --> 00:00:02,000\nTherapist: How was it?\n\n"
        "2\n00:00:02,500 --> 00:00:04,000\n[Client] Hard.\nReally hard.\n\n"
        "3\n00:00:04,500 --> 00:00:05,000\n- Therapist: I see.\n"
    )
    session = read_session(write("s.srt", srt))
    assert [(t.speaker, t.text) for t in session.turns] == [
        ("Therapist", "How was it?"),
        ("Client", "Hard. Really hard."),
        ("Therapist", "I see."),
    ]
    assert session.turns[1].start == 2.5


def test_docx_paragraphs_and_tables(tmp_path):
    import docx

    doc = docx.Document()
    doc.add_paragraph("Therapist: What would you like to change?")
    doc.add_paragraph("Client: Sleeping better.")
    doc.add_paragraph("And worrying less.")
    doc.save(tmp_path / "p.docx")
    session = read_session(tmp_path / "p.docx")
    assert [t.text for t in session.turns] == [
        "What would you like to change?",
        "Sleeping better. And worrying less.",
    ]
    table_doc = docx.Document()
    table = table_doc.add_table(rows=3, cols=2)
    for row, (who, said) in zip(
        table.rows, [("Speaker", "Text"), ("Therapist", "Hello?"), ("Client", "Hi.")]
    ):
        row.cells[0].text, row.cells[1].text = who, said
    table_doc.save(tmp_path / "t.docx")
    assert [t.speaker for t in read_session(tmp_path / "t.docx").turns] == ["Therapist", "Client"]


CHAT = (
    "@UTF8\n@Begin\n@Languages:\teng\n"
    "@Participants:\tTHE Ann Therapist, PAR Bo Participant\n"
    "@ID:\teng|x|THE|||||Therapist|||\n@ID:\teng|x|PAR|||||Participant|||\n"
    "*THE:\thow was the week ? \x151000_2500\x15\n%com:\tspoken softly\n"
    "*PAR:\tit was &-uh okay I guess &=laughs . \x153000_5000\x15\n"
    "*PAR:\txxx I mean [/] I mean it was hard +...\n"
    "*THE:\tmhm .\n@End\n"
)


def test_chat_tiers_roles_and_times(write):
    session = read_session(write("s.cha", CHAT))
    assert [t.speaker for t in session.turns] == ["THE", "PAR", "THE"]
    assert session.turns[0].text == "how was the week?"
    assert (session.turns[0].start, session.turns[0].end) == (1.0, 2.5)
    assert session.turns[1].text.startswith("it was uh okay I guess (laughs).")
    assert session.speakers["PAR"].role is Role.CLIENT
    assert session.speakers["THE"].source == "file"


@pytest.mark.parametrize(
    ("tier", "clean"),
    [
        ("I &-um [/] I don't know .", "I um I don't know."),
        ("<I was> [//] I am fine .", "I was I am fine."),  # retraced words were spoken
        ("(be)cause xxx +...", "because [inaudible]..."),
        ("ice_cream &=sighs ?", "ice cream (sighs)?"),
    ],
)
def test_chat_cleanup(tier, clean):
    assert clean_tier(tier) == clean


def test_sniffing_corrects_a_wrong_extension(write):
    path = write("mislabelled.txt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v T>Hi?\n")
    session = read_session(path)
    assert session.format == "vtt"
    assert any("extension says text" in w for w in session.warnings)


def test_unknown_extension_is_sniffed(write):
    path = write("export.data", '{"turns": [{"speaker": "T", "text": "Hi?"}]}')
    assert read_session(path).format == "json"


def test_format_option_overrides(write):
    path = write("notes.log", "T: Hi?\nC: Hello.\n")
    assert read_session(path, format="text").format == "text"


def test_label_without_speech_is_dropped_with_a_warning(write):
    session = read_session(write("s.txt", "T: How are you?\nC:\nT: Still there?\nC: Yes.\n"))
    assert [t.text for t in session.turns] == ["How are you? Still there?", "Yes."]
    assert any("line 2: 'C:' with no speech; dropped" in w for w in session.warnings)
