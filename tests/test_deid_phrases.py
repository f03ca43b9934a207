"""Organisations, places and addresses found once in a client's sessions are replaced
wherever else they are said, organisations by their short form too; spans keep no
sentence's full stop (issue 19, item 7)."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("presidio_analyzer")

from transcript_alliance.deid import PseudonymTable, pseudonymise_sessions
from transcript_alliance.deid.engine import Found, trim_punctuation
from transcript_alliance.deid.pseudonyms import short_form
from transcript_alliance.read import read_session

ONE = (
    "Therapist: How was work?\n"
    "Client: I started at foster farms last month. Before that I was at Riverbend Family "
    "Clinic. My account is at Magnolia Regional Bank.\n"
    "Therapist: And Dunmore Logistics?\n"
    "Client: They called. We moved to Mobile last year.\n"
)
TWO = (
    "Therapist: how are things at foster farms\n"
    "Client: Fine. I was back at Riverbend. The clinic was busy, my family said.\n"
    "Therapist: and dunmore\n"
    "Client: The family clinic is fine. My mobile phone broke. We like Mobile.\n"
)


@pytest.fixture
def client_sessions(write):
    sessions = [
        read_session(write(name, text), metadata={"client_id": "C1"})
        for name, text in (("one.txt", ONE), ("two.txt", TWO))
    ]
    redactions = pseudonymise_sessions(sessions)
    return [[t.text for t in s.turns] for s in sessions], redactions


def _pseudonym(text: str, after: str) -> str:
    found = re.search(re.escape(after) + r" (\[[A-Z]+_\d+\])", text)
    assert found, text
    return found.group(1)


def test_a_phrase_found_once_is_replaced_in_every_session(client_sessions):
    (one, two), _ = client_sessions
    joined = " ".join(one + two).casefold()
    for said in ("foster farms", "riverbend", "dunmore", "magnolia"):
        assert said not in joined
    assert _pseudonym(one[1], "started at") == _pseudonym(two[0], "things at")
    assert _pseudonym(one[1], "I was at") == _pseudonym(two[1], "back at")  # 'Riverbend'
    dunmore = _pseudonym(two[2], "and")
    assert dunmore.startswith("[ORGANIZATION_") and dunmore in one[2]
    mobile = _pseudonym(one[3], "moved to")
    assert mobile.startswith("[LOCATION_") and mobile in two[3]


def test_one_kind_per_pseudonym(client_sessions):
    _, redactions = client_sessions
    kinds: dict[str, set[str]] = {}
    for redaction in redactions:
        for hits in redaction.found.values():
            for hit, pseudonym in hits:
                kinds.setdefault(pseudonym, set()).add(hit.kind)
    assert kinds and all(len(k) == 1 for k in kinds.values()), kinds


def test_decoys_stay(client_sessions):
    (_, two), _ = client_sessions
    assert "The clinic was busy, my family said." in two[1]
    assert two[3].startswith("The family clinic is fine. My mobile phone broke.")


def test_no_span_swallows_a_full_stop(client_sessions):
    (one, _), _ = client_sessions
    assert re.search(
        r"I was at \[ORGANIZATION_\d+\]\. My account is at \[ORGANIZATION_\d+\]\.$", one[1]
    )


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("at Magnolia Regional Bank.", "Magnolia Regional Bank"),
        ("at Riverbend, then", "Riverbend"),
        ("(Riverbend) there", "Riverbend"),
        ("works for Acme Inc.", "Acme Inc."),
        ("lives on 12 Oak St.", "12 Oak St."),
        ("was Greg Tolliver Jr.", "Greg Tolliver Jr."),
        ("mail me at a@b.org.", "a@b.org"),
    ],
)
def test_trailing_punctuation_is_trimmed_but_not_an_abbreviations_dot(text, kept):
    start = text.index(kept)
    hit = Found(start, len(text) if text.endswith(".") else start + len(kept) + 1, "X", "", 1)
    trimmed = trim_punctuation(text, hit)
    assert trimmed is not None and text[trimmed.start : trimmed.end] == kept


def test_only_punctuation_is_no_span():
    assert trim_punctuation("a .", Found(2, 3, "ORGANIZATION", "", 1)) is None


@pytest.mark.parametrize(
    ("phrase", "short"),
    [
        ("riverbend family clinic", "riverbend"),
        ("Dunmore Logistics", "dunmore"),
        ("the Riverbend clinic", "riverbend"),
        ("foster farms", None),  # English words
        ("first community bank", None),
        ("family clinic", None),
        ("north star counseling", None),
        ("riverbend", None),  # nothing left after it
    ],
)
def test_short_form_of_an_organisation(phrase, short):
    assert short_form(phrase) == short


def test_short_form_shares_the_organisations_number_in_either_order():
    table = PseudonymTable()
    assert table.pseudonym("ORGANIZATION", "Acme Ltd") == "[ORGANIZATION_1]"
    first = table.pseudonym("ORGANIZATION", "Riverbend")
    assert table.pseudonym("ORGANIZATION", "Riverbend Family Clinic") == first
    assert table.pseudonym("ORGANIZATION", "Kessler Dunmore Partners") == "[ORGANIZATION_3]"
    assert table.pseudonym("ORGANIZATION", "kessler dunmore") == "[ORGANIZATION_3]"
    assert table.pseudonym("ORGANIZATION", "kessler") == "[ORGANIZATION_4]"  # not the short form


def test_a_known_persons_name_is_no_short_form():
    table = PseudonymTable()
    table.pseudonym("PERSON", "Greg Tolliver")
    table.pseudonym("ORGANIZATION", "Tolliver Roofing")
    assert table.pseudonym("ORGANIZATION", "Tolliver") != table.pseudonym(
        "ORGANIZATION", "Tolliver Roofing"
    )
    assert "tolliver" not in table.short_forms
