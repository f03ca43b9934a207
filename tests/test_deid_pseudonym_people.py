"""De-identification, a new user's check (pseudonyms by person): a family name in the
plural, a title and surname that several people share, a span that takes a word before
a name, ordinary words taken as names, and kinds in entities.csv. Made-up names."""

from __future__ import annotations

import pytest

pytest.importorskip("presidio_analyzer")

from transcript_alliance.deid.engine import _word_before_name, find_identifiers
from transcript_alliance.deid.sessions import (
    _known_name_hits,
    _names_pattern,
    pseudonymise_sessions,
)
from transcript_alliance.deid.spoken import find_spoken
from transcript_alliance.session import Session, Turn

from .test_deid_pseudonyms import _learned


def _redact(*texts: str):
    turns = [Turn(index=i, speaker="Client", text=t) for i, t in enumerate(texts)]
    session = Session(session_id="s1", turns=turns)
    (redaction,) = pseudonymise_sessions([session])
    return [t.text for t in session.turns], redaction


# 1. a found surname in the plural


@pytest.mark.parametrize(
    ("said", "span"),
    [
        ("your neighbours the Pruitts came by", "Pruitts"),
        ("um the pruitts down the road are loud", "pruitts"),
        ("we found the Pruitts' dog", "Pruitts'"),
        ("the pruittes again", "pruittes"),
    ],
)
def test_surname_plural_is_found_again(said: str, span: str) -> None:
    table = _learned("owen pruitt", "luke pruitt")
    hits = _known_name_hits(said, _names_pattern(table), set(table.known_names()))
    assert [said[h.start : h.end] for h in hits] == [span]


def test_surname_plural_needs_the_or_a_capital() -> None:
    table = _learned("owen pruitt")
    assert _known_name_hits("she pruitts", _names_pattern(table), set(table.known_names())) == []


def test_plural_possessive_keeps_its_apostrophe() -> None:
    texts, _ = _redact("owen pruitt and luke pruitt are my boys", "the Pruitts' dog barks")
    assert "Pruitt" not in texts[1] and texts[1].endswith("' dog barks")


# 2. a title and a surname that several people share


def test_title_surname_of_two_known_people_is_a_third() -> None:
    table = _learned("Owen Pruitt", "Luke Pruitt")
    owen, luke = table.pseudonym("PERSON", "owen"), table.pseudonym("PERSON", "luke")
    mother = table.pseudonym("PERSON", "Mrs Pruitt")
    assert mother not in {owen, luke}
    assert table.pseudonym("PERSON", "mrs. pruitt") == mother
    assert table.pseudonym("PERSON", "Mr Pruitt") not in {owen, luke, mother}


def test_title_surname_of_one_known_adult_is_that_person() -> None:
    table = _learned("Dana Pruitt")
    assert table.pseudonym("PERSON", "Ms. Pruitt") == table.pseudonym("PERSON", "Dana")


def test_title_and_a_title_word_surname_is_one_person() -> None:
    table = _learned("Ms. Ivy Little")
    ivy = table.pseudonym("PERSON", "Ivy")
    assert table.pseudonym("PERSON", "Ms. Little") == ivy
    assert table.pseudonym("PERSON", "Ms. Ivy Little") == ivy


def test_mrs_is_not_the_boys_in_a_session() -> None:
    texts, _ = _redact("owen pruitt and luke pruitt are my boys", "mrs pruitt their mom is tired")
    owen, luke = texts[0].split()[0], texts[0].split()[2]
    assert owen != luke and texts[1].split()[0] not in {owen, luke}


def test_mr_is_not_the_brother_named_beside_it() -> None:
    texts, _ = _redact(
        "My brother Wyatt Kessler is older.",
        "Mr. Kessler, our dad, is strict.",
    )
    assert "Kessler" not in " ".join(texts)
    assert texts[0].split()[2] != texts[1].split()[0].rstrip(",")


# 3. a span takes no word before a known first name


def test_span_takes_no_word_before_a_name() -> None:
    text = "sam is fine sam helped me"
    (found,) = find_identifiers([text])
    assert [text[f.start : f.end] for f in found if f.kind == "PERSON"] == ["sam", "sam"]
    texts, _ = _redact(text)
    assert texts[0] == "[PERSON_1] is fine [PERSON_1] helped me"


@pytest.mark.parametrize(
    ("word", "name", "taken"),
    [
        ("fine", "sam", True),
        ("okay", "sam", True),
        ("then", "ben", True),
        ("daughter", "grace", True),
        ("summer", "tsosie", False),  # a word that is a name: 'summer tsosie'
        ("Fine", "Sam", False),  # typed capitals: the writer made it a name
        ("aunt", "rosa", False),  # a title is part of the name
    ],
)
def test_word_before_a_name(word: str, name: str, taken: bool) -> None:
    assert _word_before_name(word, name) is taken


def test_kin_word_stays_outside_the_name() -> None:
    texts, _ = _redact("my daughter grace is five")
    assert texts[0] == "my daughter [PERSON_1] is five"


# 4. ordinary words are no names


def test_pronoun_is_no_short_form_of_a_name() -> None:
    texts, _ = _redact("My friend Younis Amari called.", "You can text me any time.")
    assert texts[1] == "You can text me any time."


def test_record_acronym_is_no_name() -> None:
    text = "My MRN is 12345678."
    (found,) = find_identifiers([text])
    assert all(f.kind != "PERSON" for f in found)
    assert _redact(text)[0][0].startswith("My MRN is ")


def test_month_said_as_a_month_stays() -> None:
    texts, _ = _redact(
        "my daughter June is six",
        "We move in June.",
        "next June maybe, since June it's hard",
        "June said no.",
    )
    assert texts[0] == "my daughter [PERSON_1] is six"
    assert texts[1] == "We move in June."
    assert texts[2] == "next June maybe, since June it's hard"
    assert texts[3] == "[PERSON_1] said no."


def test_word_names_said_as_words_stay() -> None:
    texts, _ = _redact(
        "my daughter grace is five",
        "by the grace of god we made it",
        "bill called me yesterday",
        "i need to pay the bill",
    )
    assert texts[1] == "by the grace of god we made it"
    assert texts[3] == "i need to pay the bill"
    assert "grace" not in texts[0] and not texts[2].startswith("bill")


# 5. kinds


def _kinds(redaction, texts) -> dict[str, str]:
    return {
        text[h.start : h.end]: h.kind
        for i, found in redaction.found.items()
        for h, _ in found
        for text in [texts[i]]
    }


def test_street_after_a_shop_and_a_daycare() -> None:
    said = ["We got coffee at Dunkin' on Main.", "She goes to Sunrise Daycare now."]
    _, redaction = _redact(*said)
    kinds = _kinds(redaction, said)
    assert kinds["Main"] == "ADDRESS"
    assert kinds["Sunrise Daycare"] == "ORGANIZATION"


def test_possessive_stays_after_the_pseudonym() -> None:
    texts, _ = _redact("Ms. Dorsey's kid is loud.")
    assert texts[0] == "[PERSON_1]'s kid is loud."


def test_recognizer_names_are_identifiers() -> None:
    found = find_spoken("call me at 555 123 4567 or area code four one two")
    assert found and all(" " not in f.recognizer for f in found)


def test_a_known_name_that_is_a_word_stays_a_word_after_an_article_or_possessive() -> None:
    turns, _ = _redact(
        "Ms. Rose Little called me. Ms. Little was kind.",
        "I was a little better after. My brother moved his bishop.",
        "Then Hunter Bishop came over and Little laughed.",
    )
    assert "a little better" in turns[1]
    assert "his bishop" in turns[1]
    assert "Little" not in turns[0] and "Bishop" not in turns[2] and "Little" not in turns[2]


def test_a_month_said_as_a_month_stays_a_date_when_a_person_has_its_name() -> None:
    turns, _ = _redact("My daughter June turned six in June.")
    assert turns[0].startswith("My daughter [PERSON_")
    assert turns[0].endswith("in [DATE_1].")
