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
    """The issue's bar on the tidy planted set (01-17: 255 identifiers, nine kinds):
    recall at least 0.95; precision is reported in docs/DEIDENTIFICATION.md, held here
    above 0.9."""
    tidy = [p for p in PLANTED if int(p.name[:2]) <= 17]
    result = evaluate(tidy)
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


def test_speech_recognition_style_planted_set_is_held_at_its_measured_level():
    """Issue 19's files (18-28: lower-case and capital names, spoken digits and e-mails):
    pinned a little under what docs/DEIDENTIFICATION.md reports (0.907 recall, 0.983
    precision on 2026-11-29), so that a change that loses ground here fails."""
    result = evaluate([p for p in PLANTED if 18 <= int(p.name[:2]) <= 33])
    assert len(result.planted) >= 180
    assert result.recall() >= 0.9, [(p.file, p.line, p.text) for p in result.missed]
    assert result.precision >= 0.95, result.false_spans


def test_the_sixth_held_out_set_is_held_at_its_first_score():
    """Files 34-38, written apart from the rules and scored once (2026-11-30: recall 0.805,
    precision 0.867, docs/DEIDENTIFICATION.md): pinned a little under that, so a change
    that loses ground on new material fails; a rise here is no guide (see the docs)."""
    result = evaluate([p for p in PLANTED if 34 <= int(p.name[:2]) <= 38])
    assert len(result.planted) == 118
    assert result.recall() >= 0.78, [(p.file, p.line, p.text) for p in result.missed]
    assert result.precision >= 0.84, result.false_spans


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

    one = write(
        "one.txt",
        "Dr. Lee: Hi Maya, how was the week?\nMaya: Hard. Anna called.\n"
        "Dr. Lee: What did Anna say?\nMaya: Not much.\n",
    )
    two = write(
        "two.txt",
        "Dr. Lee: Did you speak to Anna again?\nMaya: Yes, on Sunday.\n"
        "Dr. Lee: How was it?\nMaya: Better.\n",
    )
    manifest = write("m.csv", f"path,client_id,session_number\n{one},C1,1\n{two},C1,2\n")
    out = tmp_path / "coded"
    summary = ta.code(
        [], out, manifest=manifest, redact=True, classifier=None, resamples=50, workers=1
    )
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


CASE_24 = ROOT.parent / "shared" / "cases" / "exports" / "24-deid-lowercase-allcaps-names.txt"
ASR_CASE = (
    "THERAPIST: Hi Maya, good to see you. How was the visit with your brother?\n"
    "MAYA: It was okay. daniel kept asking about my job at riverside bakery though.\n"
    "THERAPIST: That sounds stressful. Did you talk to JORDAN PATEL about it afterwards?\n"
    "MAYA: yeah i called jordan on tuesday, his number is five five five, two one two, "
    "nine eight seven six.\n"
    "THERAPIST: Shall we plan how you want to answer daniel next time?\n"
    "MAYA: Yes please. maya from last year would have just walked out, honestly.\n"
)


def _assert_every_variant_replaced(session, redaction):
    text = " ".join(t.text for t in session.turns)
    for word in ("maya", "daniel", "jordan", "patel", "five five five", "nine eight"):
        assert word not in text.casefold(), text
    kinds = {}
    for hits in redaction.found.values():
        for hit, pseudonym in hits:
            kinds.setdefault(pseudonym, set()).add(hit.kind)
    assert all(len(k) == 1 for k in kinds.values()), kinds  # one type per pseudonym
    jordan = session.turns[3].text.split("called ")[1].split()[0]
    assert jordan.startswith("[PERSON_") and jordan in session.turns[2].text  # JORDAN PATEL
    maya = session.turns[1].speaker
    assert maya.startswith("[PERSON_") and maya in session.turns[0].text
    assert session.turns[5].text.startswith(f"Yes please. {maya} from")
    daniel = session.turns[1].text.split()[3]
    assert daniel.startswith("[PERSON_") and daniel in session.turns[4].text
    assert "[PHONE_" in session.turns[3].text


@pytest.mark.skipif(not CASE_24.exists(), reason="needs ../shared (the project's case files)")
def test_case_24_lower_case_and_capital_names_are_replaced_everywhere():
    session = read_session(CASE_24)
    (redaction,) = pseudonymise_sessions([session])
    _assert_every_variant_replaced(session, redaction)


def test_lower_case_and_capital_names_are_replaced_everywhere(write):
    """The same as the case file above, built in code."""
    session = read_session(write("asr.txt", ASR_CASE))
    (redaction,) = pseudonymise_sessions([session])
    _assert_every_variant_replaced(session, redaction)


@pytest.mark.parametrize(
    ("said", "kind"),
    [
        ("it's six one seven, five five five, zero one four two.", "PHONE"),
        ("call me on 555-0187 tonight", "PHONE"),
        ("her cell is 617 555 0177 ok", "PHONE"),
        ("my social is 123 45 6789 if they need it", "ID"),
        ("the record is m r n four four seven one two nine", "ID"),
        ("write to maya dot johnson at gmail dot com please", "EMAIL"),
        ("or priya underscore k at yahoo dot com", "EMAIL"),
        ("mom is ninety-one years old now", "AGE"),
        ("she turned ninety seven last week", "AGE"),
        ("her birthday is the fourth of July", "DATE"),
        ("we met on october 3rd at the park", "DATE"),
        ("we live at forty two elm street now", "ADDRESS"),
        ("he's at mercy hospital again", "ORGANIZATION"),
        ("referred by dr smith last month", "PERSON"),
        ("my sister grace came over", "PERSON"),
    ],
)
def test_speech_recognition_identifiers(said, kind):
    from transcript_alliance.deid.engine import find_identifiers

    (hits,) = find_identifiers([said])
    assert kind in {h.kind for h in hits}, [(h.kind, said[h.start : h.end]) for h in hits]


@pytest.mark.parametrize(
    "said",
    [
        "ninety percent of the time",
        "it took ninety minutes",
        "the first time we met",
        "my mom said no",
        "across the street from us",
        "she went to high school there",
        "I hope so, and I will try",
    ],
)
def test_ordinary_speech_is_left_alone(said):
    from transcript_alliance.deid.engine import find_identifiers

    (hits,) = find_identifiers([said])
    assert not hits, [(h.kind, said[h.start : h.end]) for h in hits]


def test_names_that_are_words_are_replaced_only_as_names(write):
    s = _session(
        write,
        "hope.txt",
        "Therapist: Who is at home?\nClient: Hope is my daughter. I hope she sleeps.\n"
        "Therapist: And hope, is she ok?\nClient: There is no hope of that.\n",
    )
    pseudonymise_sessions([s])
    assert s.turns[1].text.startswith("[PERSON_1] is my daughter. I hope she")
    assert s.turns[2].text == "And [PERSON_1], is she ok?"
    assert s.turns[3].text == "There is no hope of that."


@pytest.mark.parametrize(
    ("session_id", "stem"),
    [
        ("../../x", "_.._x"),
        ("/abs/path", "_abs_path"),
        ("a/b", "a_b"),
        ("..", "session"),
        ("", "session"),
        ("CON", "_CON"),
        ("s01", "s01"),
        ("a\\b:c\x00", "a_b_c_"),
    ],
)
def test_safe_file_stem(session_id, stem):
    from transcript_alliance.deid.ids import safe_file_stem

    assert safe_file_stem(session_id) == stem
    assert "/" not in safe_file_stem(session_id) and len(safe_file_stem("x" * 999)) <= 120


def test_deidentify_never_writes_outside_its_folder(run_cli, write, tmp_path):
    turns = '[{"speaker": "Therapist", "text": "Hello."}, {"speaker": "Client", "text": "hi"}]'
    ids = {"in1.json": "../../escaped", "in2.json": str(tmp_path / "absolute"), "in3.json": "a/b"}
    paths = [
        write(name, f'{{"session_id": {json.dumps(i)}, "turns": {turns}}}')
        for name, i in ids.items()
    ]
    out = tmp_path / "deep" / "out"
    result = run_cli("deidentify", *paths, "--out", out)
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    written = sorted(p.name for p in out.iterdir())
    assert len(written) == 4 and "_.._escaped.json" in written and "a_b.json" in written
    assert not (tmp_path / "escaped.json").exists() and not (tmp_path / "absolute.json").exists()
    assert {p.name for p in tmp_path.iterdir()} == {*ids, "deep"}


def test_session_ids_named_after_the_client_are_pseudonymised(run_cli, write, tmp_path):
    text = "Therapist: Hi Maya, how are you?\nClient: Fine. Johnson is my surname.\n"
    named = write("Maya_Johnson_2026-01-05.txt", text)
    coded = write("s01.txt", "Therapist: Hello.\nClient: Hi.\n")
    out = tmp_path / "out"
    assert run_cli("deidentify", named, coded, "--out", out).code == 0
    names = sorted(p.name for p in out.iterdir())
    assert "s01.json" in names
    everything = " ".join([*names, *(p.read_text() for p in out.iterdir())])
    for word in ("Maya", "Johnson", "2026-01-05"):
        assert word not in everything
    (new,) = [p for p in out.glob("PERSON_*.json")]
    data = json.loads(new.read_text())
    assert data["session_id"] == new.stem
    person = new.stem.split("_DATE")[0]
    assert f"[{person}]" in data["turns"][0]["text"]  # the id and the text agree


def test_pseudonymised_ids_keep_codes_and_agree_with_the_text():
    from transcript_alliance.deid.ids import pseudonymise_id

    table = PseudonymTable()
    assert table.pseudonym("PERSON", "Maya Johnson") == "[PERSON_1]"
    known = {"maya", "johnson"}
    assert pseudonymise_id("Maya_Johnson_2026-01-05", table, known) == "PERSON_1_DATE_1"
    assert pseudonymise_id("MayaJohnson-s3", table, known) == "PERSON_1-s3"
    for code in ("s01", "client07_session3", "P007_week3", "clientA/session1"):
        assert pseudonymise_id(code, table, set()) == code


@pytest.mark.slow
def test_deidentified_output_goes_back_into_code_with_its_session_types(tmp_path):
    """Round trip: deidentify, then `code` the output folder: entities.csv is left out with
    a warning, and each JSON's own session_type is used."""
    import transcript_alliance as ta
    from transcript_alliance.deid.files import deidentify_files

    samples = ROOT / "data" / "samples"
    rows = pd.read_csv(samples / "manifest.csv", dtype=str, keep_default_na=False)
    rows = rows[rows["session_id"].isin(["med_tom_02", "jordan_02", "team_jamie_wk3"])]
    rows["path"] = [str(samples / p) for p in rows["path"]]
    manifest = tmp_path / "manifest.csv"
    rows.to_csv(manifest, index=False)
    deid = tmp_path / "deid"
    summary = deidentify_files([], deid, manifest=manifest)
    assert not summary.failures and (deid / "entities.csv").exists()
    with pytest.warns(UserWarning, match=r"left out the toolkit's own side file\(s\) entities.csv"):
        coded = ta.code([deid], tmp_path / "coded", classifier=None, resamples=50)
    assert not coded.failures and coded.sessions == 3
    sessions = pd.read_csv(tmp_path / "coded" / "sessions.csv")
    assert sorted(sessions["session_type"]) == ["medication", "psychotherapy", "team"]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("she drove down from hartford with her kids", ["hartford"]),
        ("the bus from dorchester is always late", ["dorchester"]),
        ("my brother lives in new haven now", ["new haven"]),
        ("they moved the team to the charlotte office", ["charlotte"]),
        ("i've lived in reading since nineteen sixty", ["reading"]),
        # town names that are ordinary words, said as words: nothing
        ("i used to love reading and now i can't focus", []),
        ("i'm interested in reading more", []),
        ("there is hope for her she's just shy", []),
        ("i need a long bath and an early night", []),
        ("every fall is scary at his age", []),
        ("on hawthorne lane", []),  # a street: the street rule's
    ],
)
def test_towns_in_lower_case_need_a_place_cue(text, found):
    from transcript_alliance.deid.places import lower_case_towns

    assert [text[h.start : h.end] for h in lower_case_towns(text)] == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("i lost my job at target last spring", ["target"]),
        ("my husband works for duke energy", ["duke energy"]),
        ("she's at work today at brigham and women's.", ["brigham and women's"]),
        ("we had it at chuck e cheese in springfield.", ["chuck e cheese"]),
        ("i work at the bank", []),
        ("he worked there for years", []),
        ("we stayed at the house in quincy", []),
    ],
)
def test_employers_after_an_employer_cue(text, found):
    from transcript_alliance.deid.places import employers

    assert [text[h.start : h.end] for h in employers(text)] == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # titles said in full, with a name gate where the title is also a word
        ("we saw doctor fenwick at the clinic", "fenwick"),
        ("good morning missus delgado how are you", "delgado"),
        ("mister okonkwo lets me park there", "okonkwo"),
        ("i asked nurse adebayo about it", "adebayo"),
        ("my auntie rosa came over", "rosa"),
        # a greeting with no comma before a name
        ("hey mateo how's it going", "mateo"),
        # a name that is not an English word, with no cue
        ("we got into it with braden after practice", "braden"),
        # names that are words need a cue
        ("my daughter grace is seven", "grace"),
    ],
)
def test_spoken_names_titles_and_name_lists(text, found):
    from transcript_alliance.deid.engine import find_identifiers

    (hits,) = find_identifiers([text])
    spans = [text[h.start : h.end] for h in hits if h.kind == "PERSON"]
    assert any(found in s for s in spans), spans


@pytest.mark.parametrize(
    ("text", "found", "kind"),
    [
        ("we bought the house on oak hill drive in june", "oak hill drive", "ADDRESS"),
        ("she lives at forty maple court now", "maple court", "ADDRESS"),
        ("i asked you in the car on route one twenty eight", "route one twenty eight", "ADDRESS"),
        ("the apartments on fifth are cheaper", "fifth", "ADDRESS"),
        ("soccer for westfield high this year", "westfield high", "ORGANIZATION"),
        ("she was born at lowell general", "lowell general", "ORGANIZATION"),
        ("he goes to the university of vermont", "university of vermont", "ORGANIZATION"),
        ("a week away from lockheed honestly", "lockheed", "ORGANIZATION"),
        ("he booked the condo through airbnb", "airbnb", "ORGANIZATION"),
        ("my kids are at providence day and", "providence day", "ORGANIZATION"),
        ("he's at northeastern now studying engineering", "northeastern", "ORGANIZATION"),
        ("move in with my dad in fall river", "fall river", "LOCATION"),
        ("he passed christmas eve twelve years ago", "christmas eve", "DATE"),
    ],
)
def test_spoken_streets_schools_businesses_towns_and_holidays(text, found, kind):
    from transcript_alliance.deid.engine import find_identifiers

    (hits,) = find_identifiers([text])
    spans = {text[h.start : h.end] for h in hits}
    assert any(found in s for s in spans), [(h.kind, text[h.start : h.end]) for h in hits]


@pytest.mark.parametrize(
    "said",
    [
        "march twenty second nineteen ninety",  # the year is not an age over 89
        "it's a long drive to work",
        "we went to court again",
        "i miss baseball so much",
        "the doctor appointment is friday",
        "her sister came over",
        "that's pretty high for him",
        "in general it went fine",
        "my boss changes the schedule every week",
        "she started middle school",
        "no way he said that",
    ],
)
def test_spoken_words_that_are_also_street_school_or_title_words_stay(said):
    from transcript_alliance.deid.engine import find_identifiers

    (hits,) = find_identifiers([said])
    kinds = {"PERSON", "ADDRESS", "ORGANIZATION", "AGE", "LOCATION"}
    assert not [h for h in hits if h.kind in kinds], [(h.kind, said[h.start : h.end]) for h in hits]


def test_name_lists_and_english_words():
    from transcript_alliance.deid.lexicon import is_english, is_rare_name, name_lists

    assert name_lists().source in {"names", "names.json"}
    assert is_english("went") and is_english("knees") and is_english("gonna")
    assert not is_english("fenwick")
    assert is_rare_name("delgado") and not is_rare_name("grace") and not is_rare_name("went")


def test_fillers_and_timestamps_are_never_names_or_places():
    """Found by a new user on the handed cases: 'mm hmm' became a person and the time in
    '[crosstalk 00:00:10]' a place."""
    from transcript_alliance.deid.engine import _plausible

    assert not _plausible("mm", "PERSON") and not _plausible("mm hmm", "PERSON")
    assert not _plausible("00:00:10", "LOCATION")
    assert _plausible("Maya", "PERSON") and _plausible("mm Maya", "PERSON")
    assert _plausible("Denver", "LOCATION")


def test_research_role_abbreviations_are_role_labels():
    from transcript_alliance.deid.sessions import is_role_label

    assert all(is_role_label(label) for label in ["IV", "IE", "R", "Int", "Pt", "Th"])
    assert not is_role_label("Ivy") and not is_role_label("Dr. Okafor")
