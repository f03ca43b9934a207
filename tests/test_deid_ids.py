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


# --- issue 19: ids from file names that are not UTF-8, and one rule for repeated ids ---

BODY = "Therapist: How was your week?\nClient: Quiet, mostly.\nTherapist: Good.\nClient: Yes.\n"
CODE_QUICK = ("--classifier", "none", "--workers", "1", "--quiet", "--resamples", "50")


def _non_utf8(folder, raw: bytes, text: str = BODY):
    import os

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / os.fsdecode(raw)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_file_name_that_is_not_utf8_is_read_as_windows_1252_with_a_warning():
    import os
    from pathlib import Path

    from transcript_alliance.errors import name_text

    assert name_text(os.fsdecode(b"Jos\xe9_2026-01-05")) == ("José_2026-01-05", True)
    assert name_text("José_2026-01-05") == ("José_2026-01-05", False)  # UTF-8 as it is
    assert name_text(Path(os.fsdecode(b"M\xfcller\x81"))) == ("Müller\ufffd", True)  # undefined


@pytest.mark.parametrize(
    ("session_id", "expected"),
    [
        ("Jos\ufffd_2026-01-05", "PERSON_1_DATE_1"),  # an unreadable byte: unsure, replaced
        ("JOS\ufffd_s1", "PERSON_1_s1"),  # on its own, no date needed
        ("\ufffdlvaro_notes", "PERSON_1_notes"),
        ("session_\ufffd", "session_PERSON_1"),
        ("José_2026-01-05", "PERSON_1_DATE_1"),  # accents dropped for the lists
        ("José_session3", "PERSON_1_session3"),  # 'jose' is a listed first name
        ("JoséÁlvarez_intake", "PERSON_1_intake"),
        ("Müller_2026-01-05", "PERSON_1_DATE_1"),
        ("李明_2026-01-05", "PERSON_1_DATE_1"),  # another script: a name by its place
        ("Иван_Петров_2026-01-05", "PERSON_1_DATE_1"),
        ("café_notes", "café_notes"),  # a word, no evidence of a name
    ],
)
def test_names_in_any_script_and_unreadable_words_in_ids(session_id, expected):
    assert pseudonymise_id(session_id, PseudonymTable(), set()) == expected


def test_a_non_utf8_file_name_leaks_no_name_from_deidentify_or_code_redact(run_cli, tmp_path):
    source = _non_utf8(tmp_path / "in", b"Jos\xe9_2026-01-05.txt")
    out = tmp_path / "deid"
    result = run_cli("deidentify", source, "--out", out)
    assert result.code == 0, result.err
    assert sorted(p.name for p in out.iterdir()) == ["PERSON_1_DATE_1.json", "entities.csv"]
    assert "not UTF-8" in result.err and "Jos" not in result.err
    coded = tmp_path / "coded"
    result = run_cli("code", source, "--out", coded, "--redact", *CODE_QUICK)
    assert result.code == 0, result.err
    sessions = pd.read_csv(coded / "sessions.csv")
    assert sessions["session_id"].tolist() == ["PERSON_1_DATE_1"]
    assert "NAME_GUESSED" in sessions.at[0, "warnings"].split("; ")
    for path in coded.rglob("*"):
        if path.is_file():
            assert b"Jos" not in path.read_bytes(), path


def test_unique_session_id_is_one_rule():
    from transcript_alliance.io import unique_session_id

    used: set[str] = set()
    ids = ["PERSON_1_DATE_1", "PERSON_1_DATE_1", "person_1_date_1", "PERSON_1_DATE_1-2", "s1"]
    assert [unique_session_id(i, used) for i in ids] == [
        "PERSON_1_DATE_1",
        "PERSON_1_DATE_1-2",
        "person_1_date_1-3",  # case-insensitively: file names on macOS and Windows
        "PERSON_1_DATE_1-2-2",
        "s1",
    ]


def test_deidentify_and_code_redact_name_repeated_ids_alike(run_cli, write, tmp_path):
    names = ["Maya_Johnson_2026-01-05", "Priya_Shah_2026-01-05", "Ana_Lopez_2026-01-05"]
    paths = [write(f"{n}.txt", BODY) for n in names]  # three clients: each PERSON_1_DATE_1
    out = tmp_path / "deid"
    result = run_cli("deidentify", *paths, "--out", out)
    assert result.code == 0, result.err
    written = sorted(p.stem for p in out.glob("*.json"))
    expected = ["PERSON_1_DATE_1", "PERSON_1_DATE_1-2", "PERSON_1_DATE_1-3"]
    assert written == expected
    assert result.err.count("renamed 'PERSON_1_DATE_1-") == 2
    coded = tmp_path / "coded"
    assert run_cli("code", *paths, "--out", coded, "--redact", *CODE_QUICK).code == 0
    sessions = pd.read_csv(coded / "sessions.csv")
    assert sessions["session_id"].tolist() == expected  # in input order, as deidentify
    assert "ID_RENAMED" in sessions.at[2, "warnings"].split("; ")  # codes: no ids


def test_iter_code_renames_as_code_does(write, tmp_path):
    import transcript_alliance as ta

    paths = [write(f"{n}_2026-01-05.txt", BODY) for n in ("Maya_Johnson", "Priya_Shah")]
    results = list(ta.iter_code(paths, redact=True, classifier=None, resamples=50))
    rows = [r.row() for r in results]
    assert [r["session_id"] for r in rows] == ["PERSON_1_DATE_1", "PERSON_1_DATE_1-2"]
    assert rows[1]["warnings"].endswith("ID_RENAMED")
    assert results[1].warnings[-1].endswith("renamed 'PERSON_1_DATE_1-2'")
    assert set(results[1].utterances["session_id"]) == {"PERSON_1_DATE_1-2"}


def test_report_history_never_merges_under_one_id(write, tmp_path):
    from transcript_alliance.report.build import distinct_session_ids
    from transcript_alliance.session import Session

    a, b = tmp_path / "week1" / "s.txt", tmp_path / "week2" / "s.txt"
    sessions = [Session(session_id="PERSON_1_DATE_1", turns=[]) for _ in range(4)]
    notes = distinct_session_ids(sessions, [a, b, a, None])  # a given twice: one session
    assert [s.session_id for s in sessions] == [
        "PERSON_1_DATE_1",
        "PERSON_1_DATE_1-2",
        "PERSON_1_DATE_1",
        "PERSON_1_DATE_1-3",
    ]
    assert len(notes) == 2
