"""Cased text: day-first dates, units and postcodes in addresses, names in lists and
before a possessive pause (kinds missed on the eleventh planted set, issue 19)."""

import pytest

from transcript_alliance.deid.engine import find_identifiers
from transcript_alliance.deid.positions import names_by_position


def _spans(text: str) -> list[tuple[str, str]]:
    return [(text[h.start : h.end], h.kind) for h in find_identifiers([text])[0]]


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("She was born on 3 April 1999.", "3 April 1999"),
        ("It was his birthday, 14 November, and we went out.", "14 November"),
        ("The hearing is Tuesday 2nd March 2027.", "Tuesday 2nd March 2027"),
        ("We split up on 21 Sept.", "21 Sept"),
    ],
)
def test_day_first_dates(text: str, date: str) -> None:
    assert (date, "DATE") in _spans(text)


@pytest.mark.parametrize(
    ("text", "address"),
    [
        (
            "Is it still Flat 2/1, 41 Thornwood Drive, G11 7RT?",
            "Flat 2/1, 41 Thornwood Drive, G11 7RT",
        ),
        ("I live at 309 Spring Street, Apt 4, no elevator.", "309 Spring Street, Apt 4"),
        ("Send it to Unit 3, 12 Ross Road please.", "Unit 3, 12 Ross Road"),
    ],
)
def test_addresses_with_units_and_postcodes(text: str, address: str) -> None:
    assert (address, "ADDRESS") in _spans(text)


def test_postcodes_alone() -> None:
    assert ("SW1A 1AA", "ADDRESS") in _spans("The postcode is SW1A 1AA.")
    assert any(s == "4810" for s, _ in _spans("We're in Townsville QLD 4810 now."))


def test_not_postcodes_or_dates() -> None:
    spans = [s for s, _ in _spans("My PHQ9 went from 12 to 3 and I sleep 7 hours.")]
    assert not any("12" in s or "PHQ" in s for s in spans)


def test_names_in_a_list_of_kids_and_diminutives() -> None:
    text = "Her and the kids, Tayla, Brock and little Bluey, have been good to me."
    assert [text[h.start : h.end] for h in names_by_position(text)] == ["Tayla", "Brock", "Bluey"]


def test_name_before_a_possessive_pause() -> None:
    text = "Morag's... she tries."
    assert [text[h.start : h.end] for h in names_by_position(text)] == ["Morag"]


def test_places_in_a_list_are_not_people() -> None:
    assert names_by_position("I went to Glasgow, Edinburgh and Leeds.") == []


@pytest.mark.parametrize(
    ("text", "organisation"),
    [
        ("he drives for red mesa distribution out of town", "red mesa distribution"),
        ("i work at gulf tide marine on the boats", "gulf tide marine"),
    ],
)
def test_trade_businesses_in_lower_case(text: str, organisation: str) -> None:
    assert (organisation, "ORGANIZATION") in _spans(text)


def test_trade_words_alone_are_not_businesses() -> None:
    for text in (
        "we need more feed for the cows",
        "the office supply store",
        "my dad does welding",
    ):
        assert _spans(text) == []


def test_families_by_their_surname_in_the_plural() -> None:
    from transcript_alliance.deid.positions import family_plurals

    def said(text: str) -> list[str]:
        return [text[h.start : h.end] for h in family_plurals(text)]

    assert said("We went to the Hendersons for dinner.") == ["Hendersons"]
    assert said("The Hendersons' cabin is nice.") == ["Hendersons'"]
    assert said("the pattersons came over") == ["pattersons"]
    assert said("the millers and the browns and the kids") == []
    assert said("I saw the Williams at church") == []
