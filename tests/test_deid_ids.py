"""De-identification of session ids taken from file names, and entities.csv's rows for
ids and speaker labels (issue 19, privacy of what is written)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

pytest.importorskip("presidio_analyzer")

from transcript_alliance.deid import PseudonymTable
from transcript_alliance.deid.ids import id_identifiers, pseudonymise_id

# File names of transcript exports and research folders: format words, ordinary words
# that are also census surnames ('paren', 'speaker', 'long', 'good', 'elder', 'march'),
# and codes. None names anyone.
NOT_NAMES = [
    "10-rev-speaker-paren-time",
    "rev-speaker-paren-time",
    "22-otter-footer-unknown-speaker",
    "otter_transcript_final_v2",
    "zoom_recording_0412",
    "teams-meeting-transcript",
    "labels-iv-r",
    "28_asr_elder",
    "33_heldout_asr_elder",
    "good",
    "long_session_notes",
    "group_therapy_march",
    "whisper_large_v3_output",
    "PT-0042_visit1",
    "case_1234_summary",
    "english_lesson",
    "white_paper",
    "brown_bag_session",
    "young_adult_group",
    "mark_up_v3",
    "transcript_parker_draft",
    "session-with-grace",
    "hope_session2",
    "s01",
    "client07_session3",
    "P007_week3",
]


@pytest.mark.parametrize("session_id", NOT_NAMES)
def test_file_name_words_on_the_surname_lists_are_not_names(session_id):
    found = [h for h in id_identifiers(session_id, set()) if h.kind == "PERSON"]
    assert found == [], [session_id[h.start : h.end] for h in found]
    assert pseudonymise_id(session_id, PseudonymTable(), set()) == session_id


@pytest.mark.parametrize(
    ("session_id", "expected"),
    [
        ("Maya_Johnson_2026-01-05", "PERSON_1_DATE_1"),  # names next to a date
        ("maya_johnson_jan5", "PERSON_1_DATE_1"),  # a month by name is a date
        ("JSmith_2026_01_05", "PERSON_1_DATE_1"),  # an initial joins the name
        ("intake_carter_2025-11-02", "intake_PERSON_1_DATE_1"),
        ("Okafor_2026-02-03", "PERSON_1_DATE_1"),  # a name the lists lack, by a date
        ("john-smith-session2", "PERSON_1-session2"),  # first name then surname
        ("Dr_Okafor_notes", "PERSON_1_notes"),  # after a title
        ("team_jamie_wk3", "team_PERSON_1_wk3"),  # a first name that is not a word
        ("Ramirez_followup", "PERSON_1_followup"),  # a surname that is not a word
        ("jordan_03", "PERSON_1_03"),  # one of the commonest first names
        ("nguyen-tran-wk2", "PERSON_1-wk2"),
    ],
)
def test_names_in_file_names_on_evidence(session_id, expected):
    assert pseudonymise_id(session_id, PseudonymTable(), set()) == expected


def test_a_name_known_from_the_sessions_is_replaced_but_never_a_format_word():
    # 'Carter' and 'Will' are words too: alone in a file name they need the text
    assert pseudonymise_id("Carter_intake", PseudonymTable(), set()) == "Carter_intake"
    assert pseudonymise_id("Carter_intake", PseudonymTable(), {"carter"}) == "PERSON_1_intake"
    assert pseudonymise_id("will_week4", PseudonymTable(), {"will"}) == "PERSON_1_week4"
    # a format word the NER model once called a name in the text stays a format word
    assert pseudonymise_id("zoom_session_0412", PseudonymTable(), {"zoom"}) == ("zoom_session_0412")


def test_format_words_survive_deidentify_and_entities_list_ids_and_labels(run_cli, write, tmp_path):
    text = (
        "Therapist: Hi Maya, how are you?\nMaya Johnson: Fine, thanks.\n"
        "Therapist: Good.\nMaya Johnson: Yes.\n"
    )
    named = write("Maya_Johnson_2026-01-05.txt", text)
    export = write("10-rev-speaker-paren-time.txt", "Therapist: Hello.\nClient: Hi there.\n")
    out = tmp_path / "out"
    assert run_cli("deidentify", named, export, "--out", out).code == 0
    stems = sorted(p.stem for p in out.glob("*.json"))
    assert stems == ["10-rev-speaker-paren-time", "PERSON_1_DATE_1"]

    written = (out / "entities.csv").read_text()
    for word in ("Maya", "Johnson", "2026", "paren"):  # never the words replaced
        assert word not in written
    entities = pd.read_csv(out / "entities.csv", dtype={"turn": "Int64"})
    assert list(entities.columns[:3]) == ["session_id", "field", "turn"]
    assert set(entities["field"]) == {"session_id", "speaker", "text"}
    assert "10-rev-speaker-paren-time" not in set(entities["session_id"])  # nothing replaced

    ids = entities[entities["field"] == "session_id"]
    assert list(ids["kind"]) == ["PERSON", "DATE"]
    assert ids["turn"].isna().all()
    original = "Maya_Johnson_2026-01-05"
    assert [original[a:b] for a, b in zip(ids["start_char"], ids["end_char"])] == [
        "Maya_Johnson",
        "2026-01-05",
    ]
    stem = "PERSON_1_DATE_1"
    for row in ids.itertuples():
        assert stem[row.new_start_char : row.new_end_char] == row.pseudonym.strip("[]")

    (label,) = entities[entities["field"] == "speaker"].itertuples()
    assert label.kind == "PERSON" and pd.isna(label.turn)
    assert (label.start_char, label.end_char) == (0, len("Maya Johnson"))
    data = json.loads((out / f"{stem}.json").read_text())
    assert label.pseudonym in {t["speaker"] for t in data["turns"]}
    assert label.pseudonym == ids.iloc[0]["pseudonym"]  # one person: one pseudonym

    texts = entities[entities["field"] == "text"]
    assert texts["turn"].notna().all() and len(texts) >= 1
