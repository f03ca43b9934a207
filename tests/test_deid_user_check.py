"""De-identification faults a new-user check found (issue 19, 2026-11-30), by kind: idioms
that open with a first name, halves of contractions and screening measures taken for
names, and sessions without a client id pseudonymised apart without a word."""

from __future__ import annotations

import warnings

import pytest

from transcript_alliance.deid.engine import find_identifiers
from transcript_alliance.deid.files import alone_note, deidentify_files


def _spans(text: str) -> list[str]:
    (found,) = find_identifiers([text])
    return [text[f.start : f.end] for f in found]


@pytest.mark.parametrize(
    "said",
    [
        "she says i will figure it out mark my words",
        "She says I will figure it out, mark my words.",
        "im gonna quit and i wanna go home",
        "My GAD-7 was 11 and my PHQ-9 was 14.",
        "i hope so",
    ],
)
def test_words_that_are_no_names_stay(said: str) -> None:
    assert _spans(said) == []


def test_names_next_to_those_words_are_still_found() -> None:
    assert "Mark" in _spans("I saw Mark yesterday and he said hello.")
    assert "mark" in _spans("mark said he would call me back")


def test_sessions_without_a_client_id_are_warned_about(tmp_path) -> None:
    assert alone_note(0, 4) is None and alone_note(1, 1) is None
    assert "2 of 3 sessions have no client_id" in alone_note(2, 3)
    for name in ("a.txt", "b.txt"):
        (tmp_path / "in").mkdir(exist_ok=True)
        (tmp_path / "in" / name).write_text(
            "Therapist: How was the week, Dana?\nClient: Fine, I saw Priya.\n", encoding="utf-8"
        )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        deidentify_files(sorted((tmp_path / "in").iterdir()), tmp_path / "out")
    assert any("have no client_id" in str(w.message) for w in caught)
