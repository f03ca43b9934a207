"""Kinds from the evidence in and around a span (deid/kinds.py): the recognizer found the
words but guessed the kind (issue 19, item 7: 'jordan' as a place, a betting app as a
person, spoken ID numbers as phone numbers). Hits are built by hand, so each rule is
pinned without the NER model; the decoys keep the kind they came with."""

from __future__ import annotations

import pytest

from transcript_alliance.deid.found import Found
from transcript_alliance.deid.kinds import CUE, by_evidence
from transcript_alliance.deid.spoken import DIGIT_WORDS


def _hit(text: str, said: str, kind: str, recognizer: str = "SpacyRecognizer") -> Found:
    start = text.index(said)
    return Found(start, start + len(said), kind, recognizer, 0.85)


def _kinds(text: str, hits: list[Found], before: str = "") -> list[tuple[str, str]]:
    return [(text[h.start : h.end], h.kind) for h in by_evidence(text, hits, before)]


@pytest.mark.parametrize(
    ("text", "said", "before", "kind"),
    [
        ("my employee number is four four eight one nine two seven ok", "four", "", "ID"),
        ("my interpreter number is four four zero nine one", "four", "", "ID"),
        (
            "it's nine one zero four four seven two six eight three",
            "nine",
            "the medicaid number?",
            "ID",
        ),
        ("mine's eight oh one four four two nine seven three", "eight", "", "ID"),  # 9 digits
        ("his number is nine one oh, five five five, eight eight two seven.", "nine", "", "PHONE"),
        ("he said call nine one oh five five five eight eight two seven", "nine", "", "PHONE"),
        ("six zero six five five five zero one six four that's my cell", "six", "", "PHONE"),
        (
            "six zero six five five five zero one six four",
            "six",
            "a number in case it drops",
            "PHONE",
        ),
        ("the case number is six zero six five five five zero one six four", "six", "", "ID"),
    ],
)
def test_spoken_numbers_take_the_kind_of_the_nearest_cue_or_their_length(
    text: str, said: str, before: str, kind: str
) -> None:
    start = text.index(said)
    words = text[start:].replace(",", " ").replace(".", " ").split()
    count = next((i for i, w in enumerate(words) if w not in DIGIT_WORDS), len(words))
    end = start + len(" ".join(text[start:].split()[:count]).rstrip(".,"))
    hit = Found(start, end, "PHONE" if kind == "ID" else "ID", "transcript_spoken_number", 0.6)
    (found,) = by_evidence(text, [hit], before)
    assert (found.kind, found.recognizer) == (kind, CUE)


@pytest.mark.parametrize(
    ("text", "said", "kind", "expected"),
    [
        # a relative named inside an organisation or place span
        ("nana bea says that about everyone", "nana bea", "ORGANIZATION", [("bea", "PERSON")]),
        ("cousin dee dee mostly", "cousin dee dee", "ORGANIZATION", [("dee dee", "PERSON")]),
        (
            "people at mount zion baptist aunt florence drove",
            "mount zion baptist aunt florence",
            "ORGANIZATION",
            [("mount zion baptist", "ORGANIZATION"), ("florence", "PERSON")],
        ),
        # an organisation on a street or in a town
        (
            "coffee at the Sunrise Diner on Route 9 first",
            "the Sunrise Diner on Route 9",
            "ORGANIZATION",
            [("the Sunrise Diner", "ORGANIZATION"), ("Route 9", "ADDRESS")],
        ),
        (
            "my dad is at novant health on hawthorne lane now",
            "novant health on hawthorne lane",
            "ORGANIZATION",
            [("novant health", "ORGANIZATION"), ("hawthorne lane", "ADDRESS")],
        ),
        (
            "the funeral is at holy cross church in fayetteville",
            "holy cross church in fayetteville",
            "ORGANIZATION",
            [("holy cross church", "ORGANIZATION"), ("fayetteville", "LOCATION")],
        ),
        (
            "my counselor at sacramento city college ms. hwang",
            "sacramento city college ms. hwang",
            "ORGANIZATION",
            [("sacramento city college", "ORGANIZATION"), ("ms. hwang", "PERSON")],
        ),
        # a verb after a place span is no part of it
        (
            "the drive from rocky mount isn't nothing",
            "rocky mount isn't",
            "ORGANIZATION",
            [("rocky mount", "LOCATION")],
        ),
    ],
)
def test_spans_holding_two_identifiers_are_split(
    text: str, said: str, kind: str, expected: list[tuple[str, str]]
) -> None:
    assert _kinds(text, [_hit(text, said, kind)]) == expected


@pytest.mark.parametrize(
    ("text", "said", "kind", "right"),
    [
        # businesses and institutions
        ("prazosin from the va and a couple beers", "va", "LOCATION", "ORGANIZATION"),
        ("my bank is chase they say maybe", "chase", "PERSON", "ORGANIZATION"),
        ("mark my mood in the huckleberry app", "huckleberry", "LOCATION", "ORGANIZATION"),
        ("mark my mood in the huckleberry app", "huckleberry app", "LOCATION", "ORGANIZATION"),
        ("she's at austin peay and", "austin peay", "PERSON", "ORGANIZATION"),
        ("my dad pitched at le moyne so", "le moyne", "PERSON", "ORGANIZATION"),
        ("i closed draftkings and that", "draftkings", "PERSON", "ORGANIZATION"),
        ("at the LAX cargo warehouse.", "LAX", "PERSON", "ORGANIZATION"),
        ("he runs a saw at hoh valley timber", "hoh valley timber", "LOCATION", "ORGANIZATION"),
        ("i sat at lucca trattoria for an hour", "lucca trattoria", "PERSON", "ORGANIZATION"),
        # places
        ("i know getting here from gary isn't easy", "gary", "PERSON", "LOCATION"),
        ("my cousin's friend from selma yeah", "selma", "PERSON", "LOCATION"),
        ("the study hall is in harlan hall right", "harlan hall", "PERSON", "LOCATION"),
        ("his mom comes over from frogtown", "frogtown", "ORGANIZATION", "LOCATION"),
        ("i drove the red river bridge twice", "red river bridge", "ORGANIZATION", "LOCATION"),
        # people
        ("Charlotte came all the way from Edinburgh.", "Charlotte", "LOCATION", "PERSON"),
        ("once when brooklyn threw up at school", "brooklyn", "LOCATION", "PERSON"),
        ("the eighteenth is brooklyn's birthday", "brooklyn", "LOCATION", "PERSON"),
    ],
)
def test_context_gives_the_kind(text: str, said: str, kind: str, right: str) -> None:
    recognizer = "transcript_brand" if said == "frogtown" else "SpacyRecognizer"
    (found,) = by_evidence(text, [_hit(text, said, kind, recognizer)])
    assert (found.kind, found.recognizer) == (right, CUE)


def test_spelled_letters_after_a_name_are_the_person() -> None:
    text = "yeah it's maya johnson, j o h n s o n."
    hits = [_hit(text, "maya johnson", "PERSON"), _hit(text, "j o h n s o n", "ORGANIZATION")]
    assert _kinds(text, hits)[1] == ("j o h n s o n", "PERSON")


@pytest.mark.parametrize(
    ("text", "said", "kind"),
    [
        ("i got a call from gary last night", "gary", "PERSON"),  # not where he is from
        ("my sister lupe from kingsburg wants to come", "kingsburg", "LOCATION"),
        ("i was mad at maya all week", "maya", "PERSON"),
        ("she's at maya's place", "maya", "PERSON"),
        ("we moved to Boston last year", "Boston", "LOCATION"),
        ("i shop at the i g a", "i g a", "ORGANIZATION"),  # letters, but no name beside
        ("machinists local eighteen forty", "machinists local eighteen forty", "ORGANIZATION"),
        ("a friend at Riverbend Clinic", "Riverbend Clinic", "ORGANIZATION"),
        ("we met at elm dr medical center", "elm dr medical center", "ORGANIZATION"),
    ],
)
def test_decoys_keep_their_kind_and_span(text: str, said: str, kind: str) -> None:
    hit = _hit(text, said, kind)
    assert by_evidence(text, [hit]) == [hit]


def test_a_kind_from_evidence_survives_a_known_name(tmp_path) -> None:
    """'chase' is a person in one turn and the bank in another: the evidence wins over
    the name found again."""
    pytest.importorskip("presidio_analyzer")
    from transcript_alliance.deid import pseudonymise_sessions
    from transcript_alliance.read import read_session

    path = tmp_path / "s.txt"
    path.write_text(
        "Therapist: Who helps at work?\n"
        "Client: My area manager Chase said take a day.\n"
        "Therapist: And the fees?\n"
        "Client: My bank is Chase, they say they can wait.\n",
        encoding="utf-8",
    )
    session = read_session(path)
    (redaction,) = pseudonymise_sessions([session])
    assert [h.kind for h, _ in redaction.found[1]] == ["PERSON"]
    assert [h.kind for h, _ in redaction.found[3]] == ["ORGANIZATION"]
    assert "Chase" not in session.turns[3].text
