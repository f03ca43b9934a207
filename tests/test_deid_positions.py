"""De-identification in cased text: people named by their place in the sentence where the
NER model calls them a nationality, a place or an organisation (or nothing), and towns
after a verb of going that a rule called an organisation (issue 19)."""

from __future__ import annotations

import pytest

pytest.importorskip("presidio_analyzer")

from transcript_alliance.deid.engine import find_identifiers
from transcript_alliance.deid.positions import names_by_position


def _found(text: str) -> dict[str, str]:
    (hits,) = find_identifiers([text])
    return {text[h.start : h.end]: h.kind for h in hits}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("I talked to Priya about the move to Boston.", "Priya"),  # NER: NORP
        ("I talked to Siobhan.", "Siobhan"),  # NER: a place
        ("I was with Deepak and Anjali.", "Anjali"),  # NER: an organisation
        ("I called Priya yesterday.", "Priya"),
        ("Priya said it was fine.", "Priya"),  # a sentence's start, then a verb of saying
        ("Priya from finance said it was the clearest one.", "Priya"),
        ("Then I talked to Priya Raman about it.", "Priya Raman"),
        ("We met Chidi at the diner.", "Chidi"),
    ],
)
def test_a_name_in_a_persons_place_is_a_person(text, name):
    assert _found(text).get(name) == "PERSON"


@pytest.mark.parametrize(
    "text",
    [
        "I went to Walgreens after work.",  # 'to' after a verb of going: not a person's place
        "We drove to Boston.",  # a place
        "Honestly, it was fine.",
        "I told Mom on Monday.",  # English words, a day
        "I love Lexapro, honestly.",  # a medicine is an English word here
        "Priya is a name I like.",  # a sentence's start with no verb of saying after it
    ],
)
def test_no_person_by_position_without_a_persons_place(text):
    assert names_by_position(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "We moved to Springfield in May.",  # the 'place on a street' rule said ORGANIZATION
        "I drove to Springfield.",
        "Then I drove up to Springfield with Priya.",
    ],
)
def test_a_town_after_a_verb_of_going_is_a_location(text):
    assert _found(text)["Springfield"] == "LOCATION"


def test_code_redact_and_deidentify_replace_a_name_the_ner_model_misses(run_cli, write, tmp_path):
    import pandas as pd

    text = (
        "Therapist: How was your week?\n"
        "Client: I talked to Priya about the move to Boston. We moved to Springfield in May.\n"
    )
    path = write("s01.txt", text)
    out = tmp_path / "deid"
    assert run_cli("deidentify", path, "--out", out).code == 0
    written = (out / "s01.json").read_text()
    assert "Priya" not in written and "Springfield" not in written
    entities = pd.read_csv(out / "entities.csv")
    assert set(entities["kind"]) == {"PERSON", "LOCATION", "DATE"}
    coded = tmp_path / "coded"
    args = ("--classifier", "none", "--workers", "1", "--quiet", "--resamples", "50")
    assert run_cli("code", path, "--out", coded, "--redact", *args).code == 0
    utterances = pd.read_parquet(coded / "utterances.parquet")
    assert not utterances["text"].str.contains("Priya|Boston|Springfield").any()
