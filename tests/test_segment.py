"""Turns to utterances: sentences, offsets, events kept out of the words, times, pauses."""

from __future__ import annotations

from transcript_alliance import Role, Session, Turn, read_session, segment_session
from transcript_alliance.nlp import sentence_pipeline
from transcript_alliance.segment.utterances import find_events


def _session(*turns: Turn) -> Session:
    for i, t in enumerate(turns):
        t.index = i
        t.role = t.role or Role.CLIENT
    return Session("s", list(turns))


def test_sentences_keep_offsets_into_the_turn():
    text = "Well I guess I just feel stuck. I don't know... it's like nothing matters."
    session = segment_session(_session(Turn(0, "C", text)))
    assert len(session.utterances) >= 2
    for u in session.utterances:
        original = text[u.start_char : u.end_char]
        assert u.text.split()[0] in original


def test_events_are_kept_but_not_words():
    text = "It kind of helped? [inaudible] But then (laughs) Monday happened..."
    session = segment_session(_session(Turn(0, "C", text)))
    words = " ".join(u.text for u in session.utterances)
    assert "inaudible" not in words and "laughs" not in words
    kinds = [e.kind for u in session.utterances for e in u.events]
    assert kinds == ["inaudible", "laughter", "ellipsis"]
    assert session.utterances[-1].text == "But then Monday happened"


def test_event_kinds():
    kinds = [e.kind for e in find_events("[crosstalk] (sighs) [long pause] (clears throat) …")]
    assert kinds == ["crosstalk", "sigh", "pause", "nonverbal", "ellipsis"]


def test_parenthesised_speech_longer_than_three_words_stays_speech():
    session = segment_session(_session(Turn(0, "C", "My sister (the one in Ohio, I mean) called.")))
    assert "Ohio" in session.utterances[0].text


def test_event_only_turn_has_no_utterances_but_keeps_its_event():
    session = segment_session(_session(Turn(0, "T", "How?"), Turn(1, "C", "(laughs)")))
    assert [u.turn for u in session.utterances] == [0]
    assert session.turns[1].events[0].kind == "laughter"


def test_times_are_interpolated_within_a_turn_and_pauses_recorded():
    turns = [
        Turn(0, "T", "First sentence here. Second one here too.", start=10.0, end=14.0),
        Turn(1, "C", "Yes.", start=20.0, end=21.0),
    ]
    session = segment_session(_session(*turns))
    first, second, third = session.utterances
    assert first.start == 10.0 and 10.0 < first.end < second.start < second.end <= 14.0
    assert third.events[0].kind == "pause" and third.events[0].seconds == 6.0


def test_inline_backchannels_become_their_own_turns(write):
    path = write(
        "s.txt",
        "T: So I was thinking [C: mm-hmm] we could try it. [C: yeah]\nC: Okay.\nT: Good.\n",
    )
    session = segment_session(read_session(path))
    assert [(t.speaker, t.text, t.backchannel) for t in session.turns] == [
        ("T", "So I was thinking [C: mm-hmm] we could try it. [C: yeah]", False),
        ("C", "mm-hmm", True),
        ("C", "yeah", True),
        ("C", "Okay.", False),
        ("T", "Good.", False),
    ]
    therapist_words = " ".join(u.text for u in session.utterances if u.speaker == "T")
    assert "mm-hmm" not in therapist_words and "yeah" not in therapist_words
    assert [u.role for u in session.utterances if u.turn in (1, 2)] == [Role.CLIENT] * 2


def test_segmenting_twice_gives_the_same_utterances(write):
    session = read_session(write("s.txt", "T: Hi. How are you? [inaudible]\nC: Fine (laughs).\n"))
    first = [(u.text, u.start_char, len(u.events)) for u in segment_session(session).utterances]
    second = [(u.text, u.start_char, len(u.events)) for u in segment_session(session).utterances]
    assert first == second


def test_sentence_pipeline_runs_only_the_sentence_recogniser():
    # Running tagger, lemmatizer and NER too would cost about 25x (measured in bench/).
    assert sentence_pipeline().pipe_names == ["senter"]


def test_interpolated_times_are_marked_and_speaker_words_add_up(write):
    from transcript_alliance.schema import utterance_table

    path = write(
        "s.vtt",
        "WEBVTT\n\n00:00:01.000 --> 00:00:05.000\n<v Therapist>How was the week? Tell me.\n\n"
        "00:00:06.000 --> 00:00:08.000\n<v Client>(laughs) It was fine.\n",
    )
    session = segment_session(read_session(path))
    table = utterance_table([session])
    # two sentences share the first cue's span: their times are a share of it, by position
    assert table["time_interpolated"].tolist() == [True, True, True]
    assert table.loc[1, "end"] == 5.0 and table.loc[2, "end"] == 8.0
    single = write("one.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Client>Fine.\n")
    one = utterance_table([segment_session(read_session(single))])
    assert one[["start", "end", "time_interpolated"]].values.tolist() == [[1.0, 3.0, False]]
    # the speakers' words are the utterances' words ("(laughs)" is an event, not a word)
    words = {label: info.n_words for label, info in session.speakers.items()}
    assert sum(words.values()) == session.n_words == 9
