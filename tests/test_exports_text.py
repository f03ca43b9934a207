"""Real transcript exports of the caption, subtitle, plain-text and JSON kinds (issue 20): each
kind built here in small files, and the shared case files read as their README says."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from transcript_alliance import InputError, Role, read_session
from transcript_alliance.read.inspection import describe_session
from transcript_alliance.read.labels import is_footer, match_label


def _reading(session) -> list[tuple[str, float | None, str]]:
    return [(t.speaker, t.start, t.text) for t in session.turns]


# --- one grammar for label and time lines -------------------------------------------------


@pytest.mark.parametrize(
    ("line", "label", "start", "text", "layout"),
    [
        (
            "Dana Whitfield:\t00:00:06\tMaybe.",
            "Dana Whitfield",
            6.0,
            "Maybe.",
            "label: time speech",
        ),
        ("[Dana] 14:00:05", "Dana", 50405.0, "", "[label] time / speech below"),
        (
            "Speaker 0    00:00:03    Hello there.",
            "Speaker 0",
            3.0,
            "Hello there.",
            "label time speech",
        ),
        ("00:00:02 Dana Whitfield", "Dana Whitfield", 2.0, "", "time label / speech below"),
        ("Lee Moran  0:05", "Lee Moran", 5.0, "", "label time / speech below"),
        ("Speaker 1 (00:05):", "Speaker 1", 5.0, "", "label time: / speech below"),
        (">> THERAPIST: Hi.", "THERAPIST", None, "Hi.", ">> label: speech"),
        ("- Client: yeah", "Client", None, "yeah", "- label: speech"),
        ("[00:01:02] Client: I guess.", "Client", 62.0, "I guess.", "time label: speech"),
        ("\u200e\u200fT: hi", "T", None, "hi", "label: speech"),
        ("\ufeff\u200bClient: fine", "Client", None, "fine", "label: speech"),
    ],
)
def test_label_and_time_in_either_order(line, label, start, text, layout):
    found = match_label(line)
    assert found is not None
    assert (found.label, found.start, found.text, found.layout) == (label, start, text, layout)


@pytest.mark.parametrize(
    "line",
    [
        "[background noise]",
        "[laughs] I was saying",
        "(Laughter)",
        "00:01 okay then",
        "T2 said 10:30 was fine",
    ],
)
def test_stage_directions_and_times_in_speech_are_not_labels(line):
    assert match_label(line) is None


def test_a_time_after_the_colon_needs_a_column_break():
    found = match_label("T: 10:30 works for me")
    assert found is not None and (found.start, found.text) == (None, "10:30 works for me")


def test_label_tab_time_speech_kind(write):  # 11-label-tab-timestamp.txt
    text = "Ana Ruiz:\t00:01:00\tHello, come in.\n\nBo Li:\t00:01:07\tThanks.\n\n"
    text += "Ana Ruiz:\t00:01:12\tHow are things?\nBo Li:\t00:01:20\tBetter.\n"
    session = read_session(write("t.txt", text))
    assert _reading(session) == [
        ("Ana Ruiz", 60.0, "Hello, come in."),
        ("Bo Li", 67.0, "Thanks."),
        ("Ana Ruiz", 72.0, "How are things?"),
        ("Bo Li", 80.0, "Better."),
    ]
    assert describe_session(session)["layout"] == "label: time speech"


@pytest.mark.parametrize(
    ("text", "layout"),
    [
        (
            "[Ana] 10:00:01\nHello.\n\n[Bo] 10:00:04\nHi there.\n\n[Ana] 10:00:09\nGood.\n",
            "[label] time / speech below",
        ),
        (
            "00:00:01 Ana\nHello.\n\n00:00:04 Bo\nHi there.\n\n00:00:09 Ana\nGood.\n",
            "time label / speech below",
        ),
        (
            "Ana  0:01\nHello.\n\nBo  0:04\nHi there.\n\nAna  0:09\nGood.\n",
            "label time / speech below",
        ),
        (
            "Ana    00:00:01    Hello.\nBo    00:00:04    Hi there.\nAna    00:00:09    Good.\n",
            "label time speech",
        ),
        (
            "Ana (00:01):\nHello.\n\nBo (00:04):\nHi there.\n\nAna (00:09):\nGood.\n",
            "label time: / speech below",
        ),
    ],
)
def test_every_label_time_layout_reads_the_same(write, text, layout):
    # 27-name-tab-time-line.txt, 10-rev-speaker-paren-time.txt and their kin
    session = read_session(write("t.txt", text))
    starts = [1.0, 4.0, 9.0]
    if text.startswith("[Ana] 10"):
        starts = [36001.0, 36004.0, 36009.0]  # clock times are kept as given
    assert _reading(session) == [
        ("Ana", starts[0], "Hello."),
        ("Bo", starts[1], "Hi there."),
        ("Ana", starts[2], "Good."),
    ]
    assert session.metadata["layout"] == layout


def test_caption_chevrons_and_stage_directions(write):  # 14-youtube-chevron-speakers.txt
    text = (
        ">> COUNSELOR: Hello. What would help today?\n>> PATIENT: Sleep, mostly.\n\n"
        "[music playing]\n\n>> COUNSELOR: Let us start there.\n"
    )
    session = read_session(write("c.txt", text))
    assert [t.speaker for t in session.turns] == ["COUNSELOR", "PATIENT", "COUNSELOR"]
    assert session.turns[1].text == "Sleep, mostly. [music playing]"
    assert {s.label: s.role for s in session.speakers.values()} == {
        "COUNSELOR": Role.THERAPIST,
        "PATIENT": Role.CLIENT,
    }
    assert not any("header" in w for w in session.warnings)


def test_most_of_a_file_left_out_as_header_is_a_warning(write):
    text = "so how was it\nit was fine\nreally fine\nand then\nT: ok.\nC: yes.\nT: good?\n"
    session = read_session(write("h.txt", text))
    assert any("most of the file" in w and "lines 1-4" in w for w in session.warnings)


def test_otter_footer_and_unknown_speaker(write):  # 22-otter-footer-unknown-speaker.txt
    text = (
        "Ana Ruiz  0:01\nHow was the week?\n\nBo Li  0:05\nLong.\n\nAna Ruiz  0:09\nTell me.\n\n"
        "Unknown Speaker  0:12\nYeah.\n\nBo Li  1:00:02\nIt dragged.\n\n"
        "Transcribed by https://otter.ai\n"
    )
    session = read_session(write("o.txt", text))
    assert _reading(session) == [
        ("Ana Ruiz", 1.0, "How was the week?"),
        ("Bo Li", 5.0, "Long."),
        ("Ana Ruiz", 9.0, "Tell me."),
        ("Unknown Speaker", 12.0, "Yeah."),
        ("Bo Li", 3602.0, "It dragged."),
    ]
    assert session.speakers["Unknown Speaker"].role is Role.OTHER
    assert any("footer" in w and "line 16" in w for w in session.warnings)


def test_a_one_off_label_on_the_files_timed_layout_is_a_speaker(write):
    text = "Ana  0:01\nHi.\n\nBo  0:03\nHello.\n\nAna  0:05\nSo?\n\nCal Eto  0:07\nSorry, late.\n"
    session = read_session(write("o.txt", text))
    assert [t.speaker for t in session.turns] == ["Ana", "Bo", "Ana", "Cal Eto"]


def test_label_like_speech_below_a_timed_label_stays_speech(write):
    text = (
        "Ana  0:01\nLet us set goals.\nGoal: sleep.\n\nBo  0:09\nOkay.\n\n"
        "Ana  0:12\nAnd another.\nGoal: walks.\n"
    )
    session = read_session(write("o.txt", text))
    assert [t.speaker for t in session.turns] == ["Ana", "Bo", "Ana"]
    assert session.turns[2].text == "And another. Goal: walks."


@pytest.mark.parametrize(
    ("header", "sender", "to"),
    [
        ("10:02:11 From  Counselor  to  Everyone:", "Counselor", None),
        ("10:02:11 From Sam Okafor to Everyone:", "Sam Okafor", None),
        ("10:02:11 From  Counselor  to  Sam Okafor(Direct Message):", "Counselor", "Sam Okafor"),
        ("10:02:11 From Sam Okafor to Counselor (Privately):", "Sam Okafor", "Counselor"),
    ],
)
def test_zoom_chat_headers(header, sender, to):
    found = match_label(header)
    assert found is not None and found.label == sender and found.start == 36131.0
    assert (found.to or "").startswith(to) if to else found.to is None


def test_zoom_chat_direct_messages_kept_apart(write):  # 12-zoom-chat-export.txt
    text = (
        "09:00:01 From Ana Ruiz to Everyone:\n\tWelcome, both.\n"
        "09:00:09 From Bo Li to Everyone:\n\tHi!\n"
        "09:00:15 From Ana Ruiz to Bo Li(Direct Message):\n\tA private note.\n"
        "09:00:20 From Bo Li to Everyone:\n\tShall I start?\n"
    )
    session = read_session(write("chat.txt", text))
    assert _reading(session) == [
        ("Ana Ruiz", 32401.0, "Welcome, both."),
        ("Bo Li", 32409.0, "Hi! Shall I start?"),
    ]
    assert session.turns[1].end is None
    assert session.metadata["direct_messages"] == [
        {
            "line": 5,
            "from": "Ana Ruiz",
            "to": "Bo Li(Direct Message)",
            "start": 32415.0,
            "text": "A private note.",
        }
    ]
    assert any("direct message" in w and "lines 5" in w for w in session.warnings)


def test_zoom_reactions_are_not_messages(write):
    text = (
        "09:00:01 From Ana to Everyone:\n\tHello.\n09:00:05 From Bo to Everyone:\n"
        '\tReacted to "Hello." with 👍\n09:00:07 From Bo to Everyone:\n\tHi.\n'
        "09:00:09 From Ana to Everyone:\n\tGood.\n"
    )
    session = read_session(write("z.txt", text))
    assert [(t.speaker, t.text) for t in session.turns] == [
        ("Ana", "Hello."),
        ("Bo", "Hi."),
        ("Ana", "Good."),
    ]


@pytest.mark.parametrize("label", ["SPEAKER_00", "Therapist", "Speaker 2"])
def test_a_bracketed_speaker_name_alone_above_the_speech(write, label):
    other = "Client" if label == "Therapist" else "SPEAKER_09"
    text = f"[{label}]\nHello, how are you?\n\n[{other}]\nFine.\n\n[MUSIC]\n\n[{label}]\nGood.\n"
    session = read_session(write("b.txt", text))
    assert [(t.speaker, t.text) for t in session.turns] == [
        (label, "Hello, how are you?"),
        (other, "Fine. [MUSIC]"),
        (label, "Good."),
    ]


def test_html_entities_and_invisible_marks(write):
    text = "\u200eT: Me &amp; you&nbsp;both?\n\u200fC: Yes &gt; no.\n\ufeffT: Fine.\n"
    session = read_session(write("e.txt", text))
    assert _reading(session) == [
        ("T", None, "Me & you\xa0both?"),
        ("C", None, "Yes > no."),
        ("T", None, "Fine."),
    ]


@pytest.mark.parametrize(
    ("line", "label", "start"),
    [
        ("[00:00:06 - 00:00:09] Dana: hi", "Dana", 6.0),
        ("[00:00:06] - [00:00:09] Dana: hi", "Dana", 6.0),
        ("Dana (00:05 - 00:09):", "Dana", 5.0),
        ("T - 0:05", "T", 5.0),
        ("10:02:11 From Sam To Everyone:", "Sam", 36131.0),
    ],
)
def test_time_ranges_and_separators(line, label, start):
    found = match_label(line)
    assert found is not None and (found.label, found.start) == (label, start)


@pytest.mark.parametrize(
    ("line", "footer"),
    [
        ("Transcribed by https://otter.ai", True),
        ("Transcribed by Otter.ai", True),
        ("This transcript was generated by Descript", True),
        ("Transcribed with Rev", True),
        ("Transcribed by my sister, who was there", False),
    ],
)
def test_tool_footers(line, footer):
    assert is_footer(line) is footer


def test_lower_case_brackets_are_directions_not_speakers(write):
    text = "[door slams] so anyway\nT: Go on.\nC: Fine.\n[door slams] again\nT: Okay.\n"
    session = read_session(write("d.txt", text))
    assert [t.speaker for t in session.turns] == ["T", "C", "T"]
    assert session.turns[1].text == "Fine. [door slams] again"


# --- captions and subtitles -----------------------------------------------------------------

_VTT = """WEBVTT

a/1
00:00:01.000 --> 00:00:03.000
<v Dr. Ames>How was it?</v>

a/2
00:00:03.000 --> 00:00:07.000
<v Jo Park>It was fine,</v><v.soft Dr. Ames>Okay.</v><v Jo Park>mostly.</v>

a/3
00:00:07.000 --> 00:00:09.000
<v Dr. Ames>Good &amp; then?</v> <v Jo Park>Then I slept.</v>
"""


def test_several_voices_in_one_webvtt_cue(write):  # 01-teams-vtt-multivoice.vtt
    session = read_session(write("t.vtt", _VTT))
    assert [(t.speaker, t.text, t.backchannel) for t in session.turns] == [
        ("Dr. Ames", "How was it?", False),
        ("Jo Park", "It was fine,", False),
        ("Dr. Ames", "Okay.", True),
        ("Jo Park", "mostly.", False),
        ("Dr. Ames", "Good & then?", False),
        ("Jo Park", "Then I slept.", False),
    ]
    starts = [t.start for t in session.turns]
    assert starts == sorted(starts) and starts[1] == 3.0 and session.turns[3].end == 7.0
    assert session.metadata["layout"] == "voice tags (<v Name>)"


_SRT_TWO = """1
00:00:01,000 --> 00:00:03,000
T: How are you?

2
00:00:03,500 --> 00:00:05,500
- C: Tired.
- T: Since when?

3
00:00:06,000 --> 00:00:08,000
C: <i>Monday</i> &amp; on.
T: I see.
"""


def test_two_speakers_in_one_srt_cue(write):  # 06-srt-bom-dialogue-dash.srt
    data = b"\xef\xbb\xbf" + _SRT_TWO.replace("\n", "\r\n").encode()
    session = read_session(write("t.srt", data))
    assert [(t.speaker, t.text) for t in session.turns] == [
        ("T", "How are you?"),
        ("C", "Tired."),
        ("T", "Since when?"),
        ("C", "Monday & on."),
        ("T", "I see."),
    ]
    assert session.turns[1].start == 3.5 and session.turns[2].end == 5.5


def _highlight_srt(lines: list[tuple[str, list[str]]]) -> str:
    cues, t, n = [], 1.0, 1
    for speaker, words in lines:
        for k in range(len(words)):
            shown = " ".join(f"<u>{w}</u>" if j == k else w for j, w in enumerate(words))
            cues.append(f"{n}\n{_ts(t)} --> {_ts(t + 0.5)}\n[{speaker}]: {shown}\n")
            t, n = t + 0.5, n + 1
        t += 1.0
    return "\n".join(cues)


def _ts(seconds: float) -> str:
    ms = round(seconds * 1000)
    return f"00:00:{ms // 1000:02d},{ms % 1000:03d}"


def test_highlight_word_repeats_read_once(write):  # 03-whisperx-srt-highlight-words.srt
    text = _highlight_srt(
        [("SPEAKER_00", ["What", "brings", "you?"]), ("SPEAKER_01", ["Work.", "Mostly."])]
    )
    session = read_session(write("h.srt", text))
    assert [(t.speaker, t.start, t.end, t.text) for t in session.turns] == [
        ("SPEAKER_00", 1.0, 2.5, "What brings you?"),
        ("SPEAKER_01", 3.5, 4.5, "Work. Mostly."),
    ]
    assert any("repeat the caption line" in w for w in session.warnings)


def test_font_highlight_repeats_read_once(write):
    cues = [
        f"{n}\n00:00:0{n},000 --> 00:00:0{n + 1},000\nSPEAKER_00: "
        + " ".join(
            f'<font color="#0f0">{w}</font>' if j == n - 1 else w for j, w in enumerate(words)
        )
        for n, words in enumerate([["Are", "you", "ok?"]] * 3, start=1)
    ]
    cues.append("4\n00:00:05,000 --> 00:00:06,000\nSPEAKER_01: Yes.")
    session = read_session(write("f.srt", "\n\n".join(cues) + "\n"))
    assert [(t.speaker, t.start, t.end, t.text) for t in session.turns] == [
        ("SPEAKER_00", 1.0, 4.0, "Are you ok?"),
        ("SPEAKER_01", 5.0, 6.0, "Yes."),
    ]


def test_a_name_once_in_a_cue_is_a_speaker(write):
    text = "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nAnn: How are you?\nSam Okafor: Fine.\n\n"
    text += "00:00:03.000 --> 00:00:05.000\nAnn: Good.\n\n00:00:05.000 --> 00:00:06.000\n"
    text += "Ann: Like I said: rest.\n"
    session = read_session(write("n.vtt", text))
    assert [(t.speaker, t.text) for t in session.turns] == [
        ("Ann", "How are you?"),
        ("Sam Okafor", "Fine."),
        ("Ann", "Good. Like I said: rest."),
    ]


def test_unnamed_dialogue_lines_are_a_warning(write):
    text = "1\n00:00:01,000 --> 00:00:02,000\nT: Hi?\n\n2\n00:00:02,000 --> 00:00:04,000\n"
    text += "- Fine.\n- Good.\n\n3\n00:00:04,000 --> 00:00:05,000\nC: Yes.\n"
    session = read_session(write("d.srt", text))
    assert any("cue(s) 2: dialogue lines" in w for w in session.warnings)


def test_a_line_said_twice_stays_twice(write):
    text = (
        "1\n00:00:01,000 --> 00:00:02,000\nC: Yes.\n\n2\n00:00:02,000 --> 00:00:03,000\nC: Yes.\n\n"
        "3\n00:00:03,000 --> 00:00:04,000\nT: Sure?\n"
    )
    session = read_session(write("y.srt", text))
    assert session.turns[0].text == "Yes. Yes."


_ROLLING = """WEBVTT

00:00:00.500 --> 00:00:02.000
&gt;&gt; T: how<00:00:00.900><c> are</c><c> you</c>

00:00:02.000 --> 00:00:02.010
&gt;&gt; T: how are you

00:00:02.010 --> 00:00:04.000
&gt;&gt; T: how are you
&gt;&gt; C: not<00:00:02.500><c> bad</c>

00:00:04.000 --> 00:00:06.000
&gt;&gt; C: not bad
&gt;&gt; T: good
"""


def test_rolling_captions_read_each_line_once(write):  # 02-youtube-autocaption-rolling.vtt
    session = read_session(write("r.vtt", _ROLLING))
    assert [(t.speaker, t.text) for t in session.turns] == [
        ("T", "how are you"),
        ("C", "not bad"),
        ("T", "good"),
    ]
    assert session.turns[0].end == 2.01


def test_captions_without_names_are_refused_with_what_would_help(write):
    unnamed = _ROLLING.replace("T: ", "").replace("C: ", "")
    with pytest.raises(InputError, match=r"no speaker names.*diarized transcript") as err:
        read_session(write("r.vtt", unnamed))
    assert "--format" not in str(err.value)


# --- WhisperX and Whisper JSON --------------------------------------------------------------


def _segment(text: str, speaker: str | None, words: list[str | None] | None = None) -> dict:
    seg: dict = {"start": 0.0, "end": 1.0, "text": text}
    if speaker:
        seg["speaker"] = speaker
    if words is not None:
        seg["words"] = [{"word": "w", **({"speaker": w} if w else {})} for w in words]
    return seg


@pytest.mark.parametrize(
    ("missing", "speaker", "why"),
    [
        (_segment("Right.", None, ["S1", "S1", None]), "S1", "its words"),
        (_segment("Right.", None, [None]), "S0", "before and after"),
    ],
)
def test_whisperx_segment_without_speaker_from_words_or_neighbours(write, missing, speaker, why):
    before, after = _segment("Hi?", "S0"), _segment("So?", "S0")
    if why == "its words":
        after = _segment("Yes.", "S1")
    doc = {"segments": [before, missing, after]}
    session = read_session(write("w.json", json.dumps(doc)))
    assert session.format == "whisper"
    assert any("segment 2" in w and why in w for w in session.warnings)
    assert speaker in {t.speaker for t in session.turns}


def test_whisperx_segment_without_speaker_between_two_others_is_unknown(write):
    # 04-whisperx-json-missing-speaker.json
    doc = {"segments": [_segment("Hi?", "S0"), _segment("Mm.", None), _segment("Yes.", "S1")]}
    session = read_session(write("w.json", json.dumps(doc)))
    assert [t.speaker for t in session.turns] == ["S0", "UNKNOWN", "S1"]
    assert session.speakers["UNKNOWN"].role is Role.OTHER
    assert any("segment 2" in w and "neighbours differ" in w for w in session.warnings)


def test_plain_whisper_is_refused_saying_diarization_would_help(write):
    # 05-whisper-json-no-speakers.json
    doc = {"text": "Hi.", "segments": [_segment("Hi.", None), _segment("Yo.", None)]}
    with pytest.raises(InputError, match=r"segment 1.*diarized transcript would help"):
        read_session(write("w.json", json.dumps(doc)))


def test_jsonl_errors_name_the_file_line(write):
    text = '{"speaker": "T", "text": "Hi."}\n\n\n{"text": "No speaker."}\n'
    with pytest.raises(InputError, match="line 4: no 'speaker'"):
        read_session(write("t.jsonl", text))


# --- the shared case files ------------------------------------------------------------------


def _cases_folder() -> Path:
    given = os.environ.get("TA_EXPORT_CASES")
    if given:
        return Path(given)
    return Path(__file__).resolve().parents[2] / "shared" / "cases" / "exports"


CASES = _cases_folder()


def _check_01(session) -> None:
    assert len(session.turns) == 8
    piece = [(t.speaker, t.text, t.backchannel) for t in session.turns[3:6]]
    assert piece == [
        ("Sam Okafor", "I tried the breathing thing.", False),
        ("Morgan Ellis", "Mm-hmm.", True),
        ("Sam Okafor", "It helped a bit.", False),
    ]
    assert session.turns[4].role is Role.THERAPIST


def _check_03(session) -> None:
    assert [(t.speaker, t.start, t.end, t.text) for t in session.turns] == [
        ("SPEAKER_00", 1.0, 2.8, "How are you feeling today?"),
        ("SPEAKER_01", 3.2, 4.3, "A bit tired."),
    ]


def _check_04(session) -> None:
    assert len(session.turns) == 5
    assert (session.turns[2].speaker, session.turns[2].text) == ("UNKNOWN", "Mm-hmm.")
    assert any("segment 3" in w for w in session.warnings)


def _check_06(session) -> None:
    assert [(t.speaker, t.text) for t in session.turns] == [
        ("Therapist", "Welcome back. How was the week?"),
        ("Client", "Mixed, honestly. Work was a lot."),
        ("Therapist", "What felt heaviest?"),
        ("Client", "The deadlines."),
        ("Therapist", "Let us set one small goal for this week together."),
        ("Client", "OK, that sounds good."),
        ("Therapist", "Same time next week?"),
        ("Client", "Yes."),
    ]


def _check_10(session) -> None:
    assert [t.start for t in session.turns] == [0, 5, 11, 13, 3735, 3740]
    assert [t.speaker for t in session.turns] == ["Speaker 1", "Speaker 2"] * 3


def _check_11(session) -> None:
    assert [t.start for t in session.turns] == [0, 6, 11, 14, 20, 26]
    assert not any(":" in t.text[:9] for t in session.turns)
    assert session.turns[0].text == "Welcome back. Where would you like to start today?"


def _check_12(session) -> None:
    assert [t.speaker for t in session.turns] == ["Counselor", "Sam", "Counselor", "Sam"]
    assert session.turns[-1].text == "Yes, I can see it now."
    assert len(session.metadata["direct_messages"]) == 2


def _check_14(session) -> None:
    assert [t.speaker for t in session.turns] == ["THERAPIST", "CLIENT"] * 2 + ["THERAPIST"]
    assert session.speakers["CLIENT"].role is Role.CLIENT
    assert not any("header" in w for w in session.warnings)


def _check_19(session) -> None:
    assert [t.start for t in session.turns] == [2, 6, 21, 26, 38, 42]
    assert session.turns[-1].text == "yeah yeah i think so"


def _check_21(session) -> None:
    roles = {s.label: s.role for s in session.speakers.values()}
    assert roles == {"IV": Role.THERAPIST, "R": Role.CLIENT}


def _check_22(session) -> None:
    assert [t.speaker for t in session.turns][2:5] == [
        "Dana Whitfield",
        "Unknown Speaker",
        "Lee Moran",
    ]
    assert session.turns[2].text == "That is great. What did you notice?"
    assert session.speakers["Unknown Speaker"].role is Role.OTHER
    assert not any("otter.ai" in t.text for t in session.turns)
    assert session.turns[5].start == 3723


def _check_27(session) -> None:
    assert [(t.speaker, t.start) for t in session.turns] == [
        ("Dana Whitfield", 50405),
        ("Lee Moran", 50409),
        ("Dana Whitfield", 50413),
        ("Lee Moran", 50417),
    ]


READ = {
    "01-teams-vtt-multivoice.vtt": _check_01,
    "03-whisperx-srt-highlight-words.srt": _check_03,
    "04-whisperx-json-missing-speaker.json": _check_04,
    "06-srt-bom-dialogue-dash.srt": _check_06,
    "10-rev-speaker-paren-time.txt": _check_10,
    "11-label-tab-timestamp.txt": _check_11,
    "12-zoom-chat-export.txt": _check_12,
    "14-youtube-chevron-speakers.txt": _check_14,
    "19-otter-unpunctuated-asr.txt": _check_19,
    "21-labels-iv-r.txt": _check_21,
    "22-otter-footer-unknown-speaker.txt": _check_22,
    "27-name-tab-time-line.txt": _check_27,
}
REFUSED = {
    "02-youtube-autocaption-rolling.vtt": "no speaker names.*diarized transcript would help",
    "05-whisper-json-no-speakers.json": "segment 1.*diarized transcript would help",
}


@pytest.mark.skipif(not CASES.is_dir(), reason="../shared/cases/exports is not here")
@pytest.mark.parametrize("name", sorted(READ))
def test_shared_case_is_read_right(name):
    READ[name](read_session(CASES / name))


@pytest.mark.skipif(not CASES.is_dir(), reason="../shared/cases/exports is not here")
@pytest.mark.parametrize("name", sorted(REFUSED))
def test_shared_case_is_refused_saying_what_would_help(name):
    with pytest.raises(InputError, match=REFUSED[name]) as err:
        read_session(CASES / name)
    assert str(CASES / name) in str(err.value) and "--format" not in str(err.value)
