"""De-identification by kind, seventh round (issue 19): names after a greeting at a
turn's edge, full names whose first name is a word, kin words and names from other
languages, small US towns and the town after an organisation, spoken addresses,
union locals, carriers and business heads, A-numbers; holidays and chat words that
are no identifiers. Each kind with decoys that must stay (tiny fixtures, none from the
planted files)."""

from __future__ import annotations

import pytest

pytest.importorskip("presidio_analyzer")

from transcript_alliance.deid.addressed import (
    full_names,
    greeted_names,
    kin_is_name,
    union_locals,
)
from transcript_alliance.deid.engine import find_identifiers
from transcript_alliance.deid.lexicon import never_name_part
from transcript_alliance.deid.sessions import pseudonymise_sessions
from transcript_alliance.session import Session, Turn


def _spans(text: str) -> list[tuple[str, str]]:
    (found,) = find_identifiers([text])
    return [(text[f.start : f.end], f.kind) for f in found]


@pytest.mark.parametrize(
    ("said", "span", "kind"),
    [
        ("morning lance come on in and sit wherever", "lance", "PERSON"),
        ("hey dusty good to see you again", "dusty", "PERSON"),
        ("thanks wade so same time next week", "wade", "PERSON"),
        ("it was really good to see you hunter", "hunter", "PERSON"),
        ("oh hey mwajuma come in", "mwajuma", "PERSON"),
        ("okay and for the chart your name is summer tsosie", "summer tsosie", "PERSON"),
        ("put it under chance ignacio medina please", "chance ignacio medina", "PERSON"),
        ("my sponsor is dusty he's been sober twenty years", "dusty", "PERSON"),
        ("my case worker nyokabi called me back", "nyokabi", "PERSON"),
        ("yes mama kahindo lives with us", "kahindo", "PERSON"),
        ("my charge nurse precious covered for me", "precious", "PERSON"),
        ("my daddy rusty will be there", "rusty", "PERSON"),
        ("we lived out in forks for a while", "forks", "LOCATION"),
        ("the traffic coming out of petal was bad", "petal", "LOCATION"),
        ("i work at sunrise quick cash in golden now", "golden", "LOCATION"),
        ("she's with mesa county behavioral health in bethel", "bethel", "LOCATION"),
        ("we're at four hundred eleven south twenty eighth avenue now", None, "ADDRESS"),
        ("it's twelve oh four alder avenue unit c", None, "ADDRESS"),
        ("the address is fifty north pine avenue apartment four", None, "ADDRESS"),
        ("we stay at house twenty two caribou loop", "house twenty two caribou loop", "ADDRESS"),
        ("she lives out on old tillman road", "old tillman road", "ADDRESS"),
        ("down at the ironworkers local three ninety six", None, "ORGANIZATION"),
        ("we fly out on tundra hawk air friday", "tundra hawk air", "ORGANIZATION"),
        ("she works at lingotrans partners now", "lingotrans partners", "ORGANIZATION"),
        ("they sent me to blue ridge refugee services", None, "ORGANIZATION"),
        ("his a number is a two one one four four five nine six eight", None, "ID"),
        ("she was born on the fourth of july", "fourth of july", "DATE"),
    ],
)
def test_kinds_found(said: str, span: str | None, kind: str) -> None:
    """Each kind of the seventh round is found, as the kind it is."""
    found = _spans(said)
    if span is None:
        assert any(k == kind for _, k in found), found
    else:
        assert any(span in s and k == kind for s, k in found), found


@pytest.mark.parametrize(
    ("said", "word"),
    [
        ("morning doc sorry i'm late", "doc"),
        ("morning doc sorry i'm late", "morning"),
        ("thanks man see you next week", "man"),
        ("hey buddy how's it going", "buddy"),
        ("okay bye now", "now"),
        ("thank you so much for this", "so"),
        ("fourth of july is gonna be rough", "fourth"),
        ("last one was at the sportsbook", "sportsbook"),
        ("for the apps yeah i deleted them", "apps"),
        ("the picture froze for a sec", "sec"),
        ("we moved to a new place last spring", "place"),
        ("everyone was up in arms about it", "arms"),
        ("enjoy it in your golden years", "golden"),
        ("the river froze up early this year", "river"),
        ("it was a chance meeting at the store", "chance"),
        ("my boss is nice about it", "nice"),
        ("i buy local all the time", "local"),
        ("the fresh mountain air helped", "air"),
        ("i called customer service twice", "service"),
        ("grab whichever chair you like", "whichever"),
    ],
)
def test_decoys_stay(said: str, word: str) -> None:
    """Words of address, holidays, chat words and ordinary phrases stay."""
    assert not any(word in s.split() for s, _ in _spans(said)), _spans(said)


def test_finders_alone() -> None:
    """The finders of `addressed` on their own, with their decoys."""
    assert greeted_names("hey chance good to see you")[0].end == len("hey chance")
    assert greeted_names("hey buddy good to see you") == []
    assert greeted_names("thank you so much") == []
    text = "the full name is river chikigak"
    (hit,) = full_names(text)
    assert text[hit.start : hit.end] == "river chikigak"
    assert full_names("we swam in the river nile") == []
    assert full_names("the rose garden is lovely") == []
    assert kin_is_name("my boss is frank about it") == []
    assert len(kin_is_name("my sponsor is dusty, he's great")) == 1
    assert union_locals("the local one is closed") == []
    assert never_name_part("morning") and never_name_part("doc")
    assert not never_name_part("wade")


def test_first_name_of_full_name_propagates() -> None:
    """Once 'river chikigak' is found, 'river' said as a name elsewhere in the client's
    sessions gets the same pseudonym; 'the river froze' keeps the river."""
    turns = [
        Turn(0, "Client", "so river how's your week been"),
        Turn(1, "Client", "the river froze up early"),
        Turn(2, "Client", "your full name is river chikigak"),
    ]
    session = Session(session_id="s1", turns=turns)
    pseudonymise_sessions([session])
    texts = [t.text for t in session.turns]
    assert "river" not in texts[0].split()
    assert texts[1].startswith("the river froze")
    assert "chikigak" not in texts[2]
