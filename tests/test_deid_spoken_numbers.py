"""Spoken house numbers said in pairs or hundreds before a street, and spoken toll-free,
long-distance and grouped phone numbers, each one span (issue 19); decoys that stay
(tiny fixtures written for these tests, none from the planted files)."""

from __future__ import annotations

import pytest

pytest.importorskip("presidio_analyzer")

from transcript_alliance.deid.engine import find_identifiers
from transcript_alliance.deid.spoken import grouped_phones, lower_case_places, spoken_numbers


def _spans(text: str) -> list[tuple[str, str]]:
    (found,) = find_identifiers([text])
    return [(text[f.start : f.end], f.kind) for f in found]


@pytest.mark.parametrize(
    ("said", "span"),
    [
        (
            "we live at fifty six eighty four shrimpers row now",
            "fifty six eighty four shrimpers row",
        ),
        ("it's eighteen fourteen hemlock drive", "eighteen fourteen hemlock drive"),
        ("it is eighteen fourteen hemlock lane", "eighteen fourteen hemlock lane"),
        ("my place is twenty two hundred old mill road", "twenty two hundred old mill road"),
        ("she lives at nineteen oh five cedar lane", "nineteen oh five cedar lane"),
        ("the office is one twenty three main street", "one twenty three main street"),
        ("they moved to seventeen thirty birch court", "seventeen thirty birch court"),
    ],
)
def test_house_number_in_pairs_is_one_address(said: str, span: str) -> None:
    assert (span, "ADDRESS") in _spans(said)
    streets = [said[f.start : f.end] for f in lower_case_places(said) if f.kind == "ADDRESS"]
    assert streets == [span]


@pytest.mark.parametrize(
    "said",
    [
        "nineteen ninety eight was a hard year",
        "she's fifty six and he's eighty four",
        "it cost twenty two hundred dollars",
        "i cried on the drive home",
        "he is on death row",
        "three nights in a row",
        "we were there eighteen months way too long",
        "we were there twenty months way too long",
    ],
)
def test_numbers_that_are_no_address(said: str) -> None:
    assert [k for _, k in _spans(said) if k == "ADDRESS"] == []
    assert [f for f in lower_case_places(said) if f.kind == "ADDRESS"] == []


@pytest.mark.parametrize(
    ("said", "span"),
    [
        (
            "call one eight hundred five five five zero one seven seven",
            "one eight hundred five five five zero one seven seven",
        ),
        (
            "call one eight eight eight five five five zero one seven seven",
            "one eight eight eight five five five zero one seven seven",
        ),
        (
            "call eight hundred five five five one two one two",
            "eight hundred five five five one two one two",
        ),
        (
            "or one eight hundred two seven three eight two five five and press one",
            "one eight hundred two seven three eight two five five",
        ),
        ("the number is five five five oh one seven seven", "five five five oh one seven seven"),
        (
            "my cell is five oh three, five five five, oh one seven seven",
            "five oh three, five five five, oh one seven seven",
        ),
        ("call me at five fifty five oh one seventy seven", "five fifty five oh one seventy seven"),
        (
            "the number is eight hundred five five five twelve twelve",
            "eight hundred five five five twelve twelve",
        ),
    ],
)
def test_spoken_phone_is_one_span(said: str, span: str) -> None:
    phones = [s for s, k in _spans(said) if k == "PHONE"]
    assert phones == [span]


def test_toll_free_prefix_needs_seven_digits_after_it() -> None:
    said = "one eight hundred five five five"  # too short to be a phone number
    assert spoken_numbers(said) == []
    assert grouped_phones(said) == []


@pytest.mark.parametrize(
    "said",
    [
        "one two three four and breathe",
        "she takes eight hundred milligrams",
        "we paid eight hundred and fifty five for it",
        "the meeting is at nine fifteen then ten thirty",
        "it was eighteen fourteen and then twenty two",
        "i was five five five and twelve",
    ],
)
def test_small_numbers_are_no_phone(said: str) -> None:
    assert [k for _, k in _spans(said) if k == "PHONE"] == []
    assert grouped_phones(said) == []


@pytest.mark.parametrize(
    ("said", "phones"),
    [
        # crisis lines stay as the rules had them before grouped numbers: 988 is too short
        # to be a phone span, 741741 a six-digit run
        ("you can call or text nine eight eight anytime", []),
        ("text home to seven four one seven four one", ["seven four one seven four one"]),
    ],
)
def test_crisis_lines_unchanged(said: str, phones: list[str]) -> None:
    assert [s for s, k in _spans(said) if k == "PHONE"] == phones


def test_grouped_number_after_an_id_cue_is_an_id() -> None:
    said = "my member number is five fifty five oh one seventy seven"
    (found,) = grouped_phones(said)
    assert (said[found.start : found.end], found.kind) == (
        "five fifty five oh one seventy seven",
        "ID",
    )
