"""Roles from a map, the file, known names and the heuristic; encodings of every kind."""

from __future__ import annotations

import pytest

from transcript_alliance import OptionError, Role, read_session
from transcript_alliance.read.roles import known_role, parse_roles_map


@pytest.mark.parametrize(
    ("label", "role"),
    [
        ("T", Role.THERAPIST),
        ("TH", Role.THERAPIST),
        ("Counselor", Role.THERAPIST),
        ("Interviewer", Role.THERAPIST),
        ("Dr. Lee", Role.THERAPIST),
        ("Therapist 2", Role.THERAPIST),
        ("C", Role.CLIENT),
        ("P", Role.CLIENT),
        ("PT", Role.CLIENT),
        ("Patient", Role.CLIENT),
        ("Client A", Role.CLIENT),
        ("Interpreter", Role.OTHER),
    ],
)
def test_known_label_names(label, role):
    assert known_role(label)[0] is role


def test_personal_names_are_not_known():
    assert known_role("Maya") is None and known_role("Linda") is None


def test_roles_map_wins_and_is_case_insensitive(write):
    path = write("s.txt", "Dr. Lee: How are you?\nSam: Fine.\nDr. Lee: Good?\nSam: Yes.\n")
    session = read_session(path, roles="dr. lee=client, SAM=therapist")
    assert session.speakers["Sam"].role is Role.THERAPIST
    assert session.speakers["Sam"].confidence == 1.0
    assert not any("guessed" in w for w in session.warnings)


def test_parse_roles_map_errors():
    with pytest.raises(OptionError, match="LABEL=ROLE"):
        parse_roles_map("Sam")
    with pytest.raises(OptionError, match="therapist, client or other"):
        parse_roles_map("Sam=boss")


def test_heuristic_names_the_questioner_therapist_and_says_so(write):
    path = write(
        "s.txt",
        "Ana: What brings you here today?\nBo: I have been feeling low for a long while now and "
        "I cannot sleep.\nAna: How long has that been going on?\nBo: Months, since the move "
        "to the city, maybe longer than that.\nAna: And what would you like to change?\n"
        "Bo: I want to sleep again and feel like myself.\n",
    )
    session = read_session(path)
    assert session.speakers["Ana"].role is Role.THERAPIST
    assert session.speakers["Bo"].role is Role.CLIENT
    assert session.speakers["Ana"].source == "heuristic"
    assert 0.5 < session.speakers["Ana"].confidence <= 0.95
    assert any("'Ana' = therapist" in w and "confidence" in w for w in session.warnings)


def test_third_unknown_speaker_beside_known_roles_is_other_with_warning(write):
    path = write("s.txt", "Therapist: Hi?\nClient: Hi.\nZed: Hello.\nZed: Yes.\nClient: Ok.\n")
    session = read_session(path)
    assert session.speakers["Zed"].role is Role.OTHER
    assert any("'Zed'" in w for w in session.warnings)


def test_single_speaker_is_flagged(write):
    session = read_session(write("s.txt", "Client: I talk alone.\n"))
    assert any("no speaker was read as the therapist" in w for w in session.warnings)


TEXT = "Therapist: Café? Naïve “quotes”.\nClient: Fine – thanks.\n"


@pytest.mark.parametrize(
    ("encoding", "reported"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16"),
        ("utf-16-be", "utf-16-be"),
        ("cp1252", "cp1252"),
    ],
)
def test_encodings(write, encoding, reported):
    data = TEXT.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    session = read_session(write("s.txt", data))
    assert session.encoding in {reported, "utf-16"}
    assert session.turns[0].text == "Café? Naïve “quotes”."
    assert session.turns[1].text == "Fine – thanks."


def test_bomless_utf16(write):
    session = read_session(write("s.txt", TEXT.encode("utf-16-le")))
    assert session.encoding == "utf-16-le"
    assert session.turns[1].text == "Fine – thanks."


def test_crlf_line_endings(write):
    session = read_session(write("s.txt", b"T: Hi?\r\nC: Hello.\r\n"))
    assert [t.text for t in session.turns] == ["Hi?", "Hello."]
