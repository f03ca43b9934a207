"""Counselling microskill codes: reflections told apart by the client's previous turn,
question form, and classifiers of an earlier codebook version loaded or refused."""

from __future__ import annotations

import json
import shutil

import pytest

from transcript_alliance import read_session, segment_session
from transcript_alliance.annotate.classifier import ModelError, load_classifier, resolve_model_path
from transcript_alliance.annotate.markers import annotate_sessions, load_codebook
from transcript_alliance.annotate.markers.codebook import Mirror
from transcript_alliance.annotate.markers.mirror import mirror_overlap

BOOK = load_codebook()
MICROSKILLS = [c.id for c in BOOK.codes if c.component.value == "microskill"]


def _codes_by_turn(write, text: str) -> list[set[str]]:
    session = segment_session(read_session(write("s.txt", text)))
    annotate_sessions([session])
    by_turn: list[set[str]] = [set() for _ in session.turns]
    for utterance in session.utterances:
        by_turn[utterance.turn] |= {m.code for m in utterance.markers if not m.negated}
    return by_turn


def test_the_microskill_codes_are_in_the_codebook_under_their_field_names():
    assert MICROSKILLS == [
        "simple_reflection",
        "complex_reflection",
        "open_question",
        "closed_question",
        "affirm",
        "emphasize_autonomy",
        "seek_collaboration",
        "give_information",
        "advise_with_permission",
        "advise_without_permission",
        "confront",
        "self_disclosure",
        "reassure",
        "change_talk",
        "sustain_talk",
    ]
    for code in MICROSKILLS:
        assert BOOK.code(code).source, code


@pytest.mark.parametrize(
    ("client", "reflection", "expected"),
    [
        (
            "I've been so tired, I can barely get out of bed in the morning.",
            "It sounds like you're so tired you can barely get out of bed.",
            "simple_reflection",
        ),
        (
            "I've been so tired, I can barely get out of bed in the morning.",
            "It sounds like you're running on empty and nobody notices.",
            "complex_reflection",
        ),
    ],
)
def test_a_reflection_is_simple_or_complex_by_the_client_turn_before_it(
    write, client, reflection, expected
):
    codes = _codes_by_turn(write, f"Client: {client}\nTherapist: {reflection}\n")
    reflections = codes[1] & {"simple_reflection", "complex_reflection"}
    assert reflections == {expected}


def test_a_reflection_without_a_client_turn_before_it_is_complex(write):
    codes = _codes_by_turn(write, "Therapist: It sounds like you're tired.\n")
    assert codes[0] & {"simple_reflection", "complex_reflection"} == {"complex_reflection"}


def test_a_question_is_no_reflection(write):
    codes = _codes_by_turn(write, "Client: I'm tired.\nTherapist: So you feel tired?\n")
    assert not codes[1] & {"simple_reflection", "complex_reflection"}
    assert "closed_question" in codes[1]


@pytest.mark.parametrize(
    ("reflection", "previous", "low", "high"),
    [
        ("You're worried about your sister.", "I worry about my sister a lot.", 1.0, 1.0),
        ("You feel abandoned.", "She went quiet for days.", 0.0, 0.0),
        ("It sounds like that.", "Whatever.", 1.0, 1.0),
        ("You left early.", "", 0.0, 0.0),
    ],
)
def test_mirror_overlap(reflection, previous, low, high):
    assert low <= mirror_overlap(reflection, previous) <= high


def test_a_mirror_range_keeps_its_upper_bound_only_at_one():
    assert Mirror(max_overlap=0.4).keeps(0.39) and not Mirror(max_overlap=0.4).keeps(0.4)
    assert Mirror(min_overlap=0.4).keeps(0.4) and Mirror(min_overlap=0.4).keeps(1.0)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Therapist: What was that like for you?\n", "open_question"),
        ("Therapist: And how did that feel?\n", "open_question"),
        ("Therapist: Did you sleep at all?\n", "closed_question"),
        ("Therapist: How many drinks was that?\n", "closed_question"),
        ("Therapist: It's completely up to you.\n", "emphasize_autonomy"),
        ("Therapist: Would it be okay if I shared an idea?\n", "seek_collaboration"),
        ("Therapist: You need to stop drinking.\n", "advise_without_permission"),
        ("Client: I'm going to cut back on the weekends.\n", "change_talk"),
        ("Client: It's not a problem, it helps me relax.\n", "sustain_talk"),
    ],
)
def test_rules_in_a_session(write, text, code):
    assert code in _codes_by_turn(write, text)[0]


def test_client_codes_are_not_given_to_the_therapist(write):
    codes = _codes_by_turn(write, "Therapist: I want to cut down on coffee myself.\n")
    assert "change_talk" not in codes[0]


def test_a_model_of_a_compatible_earlier_codebook_loads():
    info = json.loads((resolve_model_path("fast") / "model.json").read_text())
    if info["codebook_version"] == BOOK.version:
        pytest.skip("the shipped model is already trained on the current codebook")
    assert info["codebook_version"] in BOOK.compatible_with
    assert set(load_classifier("fast").codes) <= set(BOOK.ids)


def test_a_model_of_another_codebook_version_is_refused_in_one_line(tmp_path):
    copy = shutil.copytree(resolve_model_path("fast"), tmp_path / "m")
    info = json.loads((copy / "model.json").read_text())
    info["codebook_version"] = "0.9.0"
    (copy / "model.json").write_text(json.dumps(info))
    with pytest.raises(ModelError) as caught:
        load_classifier(copy)
    message = str(caught.value)
    assert "\n" not in message
    assert "version 0.9.0" in message and f"version {BOOK.version}" in message


def test_the_two_reflection_codes_share_their_stems():
    simple = {p.id: p for p in BOOK.code("simple_reflection").patterns}
    complex_ = {p.id: p for p in BOOK.code("complex_reflection").patterns}
    assert set(complex_) <= set(simple) and set(simple) - set(complex_) == {"you_statement"}
    for pattern_id, pattern in complex_.items():
        assert simple[pattern_id] == pattern, pattern_id


def test_the_project_corpus_codes_every_microskill_and_a_linear_model_learns_them(tmp_path):
    import pandas as pd

    from transcript_alliance.annotate.classifier import train_classifier
    from transcript_alliance.annotate.classifier.data import read_coded_utterances

    from .conftest import ROOT

    corpus = ROOT / "data" / "annotations" / "utterances.csv"
    data = read_coded_utterances(corpus, BOOK.ids)
    positives = data.positives()
    assert min(positives[code] for code in MICROSKILLS) >= 100
    frame = pd.read_csv(corpus, dtype=str, keep_default_na=False)
    # A reflection from the pairs follows the client turn it reflects.
    pairs = frame["codes"].str.contains("simple_reflection")
    assert (frame["role"].shift(1)[pairs] == "client").all()
    keep = frame["session_id"].isin(frame["session_id"].unique()[::3])  # every modality
    frame[keep].to_csv(tmp_path / "part.csv", index=False)
    part = read_coded_utterances(tmp_path / "part.csv", BOOK.ids)
    model, _ = train_classifier(part, backend="linear", codebook_version=BOOK.version, seed=0)
    assert set(MICROSKILLS) <= set(model.info.trained_codes)
