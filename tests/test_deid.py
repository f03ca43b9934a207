"""De-identification: pseudonyms, offset maps, the planted test set, the command, and
`code --redact`."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("presidio_analyzer")

from transcript_alliance.deid import (
    OffsetMap,
    PseudonymTable,
    is_role_label,
    pseudonymise_sessions,
)
from transcript_alliance.deid.engine import Found
from transcript_alliance.deid.evaluation import evaluate
from transcript_alliance.deid.pseudonyms import replace
from transcript_alliance.read import read_session
from transcript_alliance.segment.utterances import segment_sessions

from .conftest import ROOT

PLANTED = sorted((ROOT / "data" / "deid" / "planted").glob("*.txt"))


def test_one_person_one_pseudonym_across_forms():
    table = PseudonymTable()
    first = table.pseudonym("PERSON", "Greg Tolliver")
    assert table.pseudonym("PERSON", "Greg") == first
    assert table.pseudonym("PERSON", "Mr. Tolliver's") == first
    assert table.pseudonym("PERSON", "Anna") == "[PERSON_2]"
    assert table.pseudonym("LOCATION", "Denver") == "[LOCATION_1]"
    assert table.pseudonym("LOCATION", "denver") == "[LOCATION_1]"


@pytest.mark.parametrize(
    ("label", "role"),
    [
        ("Therapist", True),
        ("T", True),
        ("SPEAKER_01", True),
        ("Speaker 2", True),
        ("Intake worker", True),
        ("Dr. Okafor", False),
        ("Lena", False),
        ("Coach Dempsey", False),
    ],
)
def test_role_labels_are_kept_and_names_are_not(label, role):
    assert is_role_label(label) is role


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="abc de", min_size=1, max_size=40), st.data())
def test_offset_map_points_back_to_the_original(text, data):
    cuts = sorted(data.draw(st.sets(st.integers(0, len(text)), max_size=6)))
    found = [Found(a, b, "PERSON", "t", 1.0) for a, b in zip(cuts[::2], cuts[1::2]) if b > a]
    new, offsets = replace(text, found, PseudonymTable())
    inside = [range(s, e) for s, e, _, _ in offsets.spans]
    for position, char in enumerate(new):
        if not any(position in r for r in inside):
            assert text[offsets.to_original(position)] == char
    for new_start, new_end, old_start, old_end in offsets.spans:
        assert offsets.span_to_original(new_start, new_end) == (old_start, old_end)


def test_offset_map_without_replacements_is_identity():
    assert OffsetMap().to_original(7) == 7


def test_planted_identifiers_are_found():
    """The issue's bar: recall at least 0.95 on the planted set (255 identifiers, nine
    kinds); precision is reported in docs/DEIDENTIFICATION.md, held here above 0.9."""
    result = evaluate(PLANTED)
    assert len(result.planted) >= 200
    assert {p.kind for p in result.planted} == {
        "PERSON",
        "LOCATION",
        "ORGANIZATION",
        "DATE",
        "AGE",
        "PHONE",
        "EMAIL",
        "ADDRESS",
        "ID",
    }
    assert result.recall() >= 0.95, [(p.file, p.line, p.text) for p in result.missed]
    assert result.precision >= 0.9, result.false_spans
    assert not result.labels_missed


def _session(write, name, text, client="C9"):
    session = read_session(write(name, text), metadata={"client_id": client})
    return session


def test_pseudonyms_hold_across_a_clients_sessions_and_labels(write):
    one = _session(
        write,
        "one.txt",
        "Dr. Lee: Hi Maya. How was the week?\n"
        "Maya: Fine. My sister Anna visited from Denver.\n"
        "Dr. Lee: How was that?\nMaya: Good.\n",
    )
    two = _session(
        write,
        "two.txt",
        "Dr. Lee: Did Anna stay long?\n"
        "Maya: No. Maya needs space, she said. Call me at 617-555-0193.\n"
        "Dr. Lee: I see.\nMaya: Yes.\n",
    )
    pseudonymise_sessions([one, two])
    texts = " ".join(t.text for s in (one, two) for t in s.turns)
    for word in ("Maya", "Anna", "Denver", "Lee", "617-555-0193"):
        assert word not in texts
    assert {t.speaker for t in one.turns} == {t.speaker for t in two.turns}
    anna = one.turns[1].text.split("sister ")[1].split()[0]
    assert anna in two.turns[0].text
    maya_label = one.turns[1].speaker
    assert maya_label in one.turns[0].text  # the label and the name said aloud agree


def test_young_ages_and_percentages_stay(write):
    s = _session(
        write,
        "ages.txt",
        "Therapist: How old is your dad?\n"
        "Client: He's 45. Ninety percent of the time he's fine. My nan is 96.\n",
    )
    pseudonymise_sessions([s])
    assert "45" in s.turns[1].text and "Ninety percent" in s.turns[1].text
    assert "96" not in s.turns[1].text


def test_segmenting_keeps_pseudonyms_as_words(write):
    s = _session(
        write, "seg.txt", "Therapist: Hi Maya, come on in. Sit anywhere.\nClient: Thanks.\n"
    )
    pseudonymise_sessions([s])
    segment_sessions([s])
    assert s.utterances[0].text.startswith("Hi [PERSON_")
    assert s.utterances[0].text.endswith("come on in.")


def test_deidentify_command(run_cli, write, tmp_path):
    good = write(
        "a.txt",
        "Therapist: Hello Priya, welcome back.\nClient: Hi. I moved to "
        "12 Elm Street last week, my email is priya@example.org.\n"
        "Therapist: How is it?\nClient: Quiet.\n",
    )
    bad = write("b.csv", "nothing,useful\n")
    out = tmp_path / "out"
    result = run_cli("deidentify", good, bad, "--out", out)
    assert result.code == 2
    assert "b.csv" in result.err and "Traceback" not in result.err
    data = json.loads((out / "a.json").read_text())
    text = " ".join(t["text"] for t in data["turns"])
    assert "Priya" not in text and "Elm" not in text and "priya@" not in text
    assert {t["role"] for t in data["turns"]} == {"therapist", "client"}
    entities = pd.read_csv(out / "entities.csv")
    assert set(entities["kind"]) >= {"PERSON", "ADDRESS", "EMAIL"}
    assert "Priya" not in (out / "entities.csv").read_text()
    again = read_session(out / "a.json")  # the toolkit reads its own output back
    assert again.turns[1].text == data["turns"][1]["text"]


def test_code_redact_markers_point_back_to_the_original(run_cli, write, tmp_path):
    text = (
        "Therapist: Maya, I think we could work on this together, what do you think?\n"
        "Client: Yes, let's do that. Dr. Lee, thank you, I feel comfortable telling you.\n"
    ) * 3
    path = write("s.txt", text)
    original = read_session(path)
    result = run_cli(
        "code",
        path,
        "--out",
        tmp_path / "c",
        "--redact",
        "--classifier",
        "none",
        "--workers",
        "1",
        "--quiet",
        "--resamples",
        "50",
    )
    assert result.code == 0, result.err
    markers = pd.read_parquet(tmp_path / "c" / "markers.parquet")
    utterances = pd.read_parquet(tmp_path / "c" / "utterances.parquet")
    assert not utterances["text"].str.contains("Maya|Lee").any()
    moved = markers[markers["start_char"] != markers["original_start_char"]]
    assert len(moved)
    for row in markers.itertuples():
        turn = original.turns[row.turn].text
        assert turn[row.original_start_char : row.original_end_char] == row.text


def test_coding_metadata_survives_pseudonymising(write):
    s = _session(
        write, "m.txt", "Therapist: Hi Maya.\nClient: Hi.\nTherapist: Well?\nClient: Ok.\n"
    )
    s.metadata.update({"session_type": "medication", "week": "3", "note": "Maya's file"})
    pseudonymise_sessions([s])
    assert s.metadata == {"session_type": "medication", "week": "3"}


def test_code_redact_keeps_pseudonyms_across_a_clients_sessions(write, tmp_path):
    import transcript_alliance as ta

    one = write("one.txt", "Dr. Lee: Hi Maya, how was the week?\nMaya: Hard. Anna called.\n"
                "Dr. Lee: What did Anna say?\nMaya: Not much.\n")  # fmt: skip
    two = write("two.txt", "Dr. Lee: Did you speak to Anna again?\nMaya: Yes, on Sunday.\n"
                "Dr. Lee: How was it?\nMaya: Better.\n")  # fmt: skip
    manifest = write("m.csv", f"path,client_id,session_number\n{one},C1,1\n{two},C1,2\n")
    out = tmp_path / "coded"
    summary = ta.code([], out, manifest=manifest, redact=True, classifier=None, resamples=50,
                      workers=1)  # fmt: skip
    assert not summary.failures, summary.failures
    table = pd.read_parquet(out / "utterances.parquet")
    assert not table["text"].str.contains("Maya|Anna|Lee").any()
    by_session = table.groupby("session_id")["speaker"].apply(set)
    assert by_session["one"] == by_session["two"]  # the same two people, the same names
    said = table[table["text"].str.endswith("called.")]["text"].iloc[0]  # "[PERSON_3] called."
    pseudonym = said.split()[0]
    assert pseudonym.startswith("[PERSON_")
    later = table[table.session_id == "two"]["text"]
    assert later.str.contains(pseudonym, regex=False).any()
