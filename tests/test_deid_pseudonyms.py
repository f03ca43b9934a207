"""One person, one pseudonym: a full name and its parts said alone, in any case, after any
title, possessive or plural, in any order, across a client's sessions (issue 19, item 7)."""

from __future__ import annotations

import pytest

from transcript_alliance.deid import PseudonymTable, pseudonymise_sessions
from transcript_alliance.read import read_session


def _learned(*names: str) -> PseudonymTable:
    table = PseudonymTable()
    for name in names:
        table.learn("PERSON", name)
    table.settle()
    return table


@pytest.mark.parametrize(
    "said",
    [
        *("Johnson", "johnson", "JOHNSON", "Ms Johnson", "ms. johnson", "Mrs. Johnson's"),
        *("johnson's", "the Johnsons", "Maya", "maya", "MAYA", "Maya's", "Aunt Maya"),
        "MAYA JOHNSON",
    ],
)
def test_a_part_alone_gets_the_full_names_pseudonym(said: str) -> None:
    table = _learned("Anna Lee", "Maya Johnson")
    assert table.pseudonym("PERSON", said) == "[PERSON_2]"


@pytest.mark.parametrize(
    "order",
    [
        ("Maya", "Ms Johnson", "Maya Johnson"),
        ("Ms Johnson", "Maya Johnson", "Maya"),
        ("Maya Johnson", "johnson", "MAYA"),
    ],
)
def test_the_order_names_are_said_in_changes_nothing(order: tuple[str, ...]) -> None:
    table = _learned(*order)
    pseudonyms = {table.pseudonym("PERSON", said) for said in (*order, "JOHNSON", "maya's")}
    assert pseudonyms == {"[PERSON_1]"}


def test_siblings_are_two_people_and_share_one_surname_pseudonym() -> None:
    # 'Johnson' first: it must not pull both siblings into one person
    table = _learned("Mr. Johnson", "Maya Johnson", "Ben Johnson", "Ben")
    maya, ben = table.pseudonym("PERSON", "Maya Johnson"), table.pseudonym("PERSON", "Ben Johnson")
    assert maya != ben
    assert table.pseudonym("PERSON", "maya") == maya
    assert table.pseudonym("PERSON", "BEN") == table.pseudonym("PERSON", "ben's") == ben
    surname = {table.pseudonym("PERSON", s) for s in ("Johnson", "johnsons")}
    assert surname == {maya}  # one pseudonym for the surname, the first Johnson's
    # 'Mr. Johnson' is neither sibling (their father, say): his own pseudonym, numbered
    # in order of first appearance
    assert table.pseudonym("PERSON", "Mr Johnson") == "[PERSON_1]" not in {maya, ben}


def test_a_first_name_that_is_someone_elses_surname_follows_the_title() -> None:
    table = _learned("Jordan Patel", "Michael Jordan")
    patel, michael = (table.pseudonym("PERSON", n) for n in ("Jordan Patel", "Michael Jordan"))
    assert patel != michael
    assert table.pseudonym("PERSON", "jordan") == table.pseudonym("PERSON", "JORDAN") == patel
    assert table.pseudonym("PERSON", "Mr. Jordan") == table.pseudonym("PERSON", "Coach Jordan")
    assert table.pseudonym("PERSON", "Mr. Jordan") == michael
    assert table.pseudonym("PERSON", "Michael") == michael
    assert table.pseudonym("PERSON", "Patel") == patel


def test_forms_of_one_full_name_are_one_person() -> None:
    table = _learned("Maya Johnson", "Maya Ann Johnson", "maya j", "Captain Rosa Delgado")
    assert table.pseudonym("PERSON", "MAYA ANN JOHNSON") == "[PERSON_1]"
    assert table.pseudonym("PERSON", "Maya J") == "[PERSON_1]"
    assert table.pseudonym("PERSON", "Ann") == "[PERSON_1]"
    assert table.pseudonym("PERSON", "captain delgado") == "[PERSON_2]"
    assert table.pseudonym("PERSON", "Delgado") == "[PERSON_2]"  # 'captain' is a title


def test_a_first_names_first_letters_are_its_bearer() -> None:
    table = _learned("Priyanka Rao", "Devraj")
    assert table.pseudonym("PERSON", "Pri") == table.pseudonym("PERSON", "priyanka")
    assert table.pseudonym("PERSON", "Dev") == table.pseudonym("PERSON", "Devraj") == "[PERSON_2]"
    assert table.pseudonym("PERSON", "Pr") == "[PERSON_3]"  # two letters name no one known


def test_an_initial_said_first_joins_the_full_name_after() -> None:
    table = PseudonymTable()
    assert table.pseudonym("PERSON", "Maya J") == table.pseudonym("PERSON", "Maya Johnson")


def test_names_met_after_the_learning_still_join_their_person() -> None:
    table = PseudonymTable()
    first = table.pseudonym("PERSON", "Greg")
    assert table.pseudonym("PERSON", "Greg Tolliver") == first
    assert table.pseudonym("PERSON", "Mr. Tolliver's") == first
    assert table.pseudonym("PERSON", "Greg Smith") != first  # another full name, another person


def _session(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_session(path, metadata={"client_id": "C1"})


def test_parts_hold_across_a_clients_sessions_in_any_case(tmp_path) -> None:
    pytest.importorskip("presidio_analyzer")
    one = _session(
        tmp_path,
        "one.txt",
        "Therapist: Did Ms Johnson call you?\nClient: No, johnson never calls.\n",
    )
    two = _session(
        tmp_path,
        "two.txt",
        "Therapist: Tell me about the kids.\n"
        "Client: Maya Johnson and Ben Johnson fight. Ben hit Maya. MAYA cried.\n",
    )
    pseudonymise_sessions([one, two])
    said = [t.text for s in (one, two) for t in s.turns]
    assert "Johnson" not in " ".join(said) and "johnson" not in " ".join(said)
    maya, ben = said[3].split(" fight")[0].split(" and ")
    assert maya != ben
    assert said[3].endswith(f"{ben} hit {maya}. {maya} cried.")
    assert said[1] == f"No, {maya} never calls."  # the surname alone: the first Johnson's
    # 'Ms Johnson' with two Johnson children known is neither child (their mother, say)
    assert maya not in said[0] and ben not in said[0] and "[PERSON_" in said[0]
