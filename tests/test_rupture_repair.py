"""Repair after a rupture is the therapist attending to the strain: a routine check on the
session ("How was today for you?") counts only right after the strain or when it names it,
and the report never says "followed by repair" and "ended upset" without saying both
(issue 23)."""

from __future__ import annotations

import pandas as pd
import pytest

from transcript_alliance.estimate.estimator import utterance_evidence
from transcript_alliance.estimate.ruptures import (
    attending_repair,
    rupture_episodes,
    session_check_in,
)
from transcript_alliance.report import build_report, read_for_report, render_html

from .conftest import SAMPLES

CODES = ["withdrawal", "confrontation", "repair", "advise_without_permission"]
UPSET_ENDING = "The session ended on the client's distress or discontent"


@pytest.mark.parametrize(
    "text, check",
    [
        ("How was today for you?", True),
        ("How are you feeling about today's session?", True),
        ("How did this session feel? Anything you'd want to be different?", True),
        ("How are you leaving today?", True),
        ("And how is this feeling now, compared to a few minutes ago?", False),
        ("How was today for you, after I pushed on the drinking?", False),
        ("How is this feeling, the way we're talking about it right now?", False),
        ("I may have pushed too hard just now.", False),
        ("How was your week?", False),
    ],
)
def test_a_routine_check_on_the_session_is_told_from_one_that_names_the_strain(text, check):
    assert session_check_in(text) is check


def _table(rows: list[tuple[str, str, dict[str, float]]]) -> pd.DataFrame:
    """(role, text, {code: probability}) per turn, one utterance each."""
    table = pd.DataFrame(
        {
            "session_id": "s",
            "turn": range(len(rows)),
            "utterance": range(len(rows)),
            "role": [r for r, _, _ in rows],
            "text": [t for _, t, _ in rows],
            "n_words": 8,
        }
    )
    for code in CODES:
        table[f"p_{code}"] = [codes.get(code, 0.0) for _, _, codes in rows]
    return table


NEUTRAL_C = ("client", "We talked about the schedule for next week.", {})
NEUTRAL_T = ("therapist", "What happened after that on the Sunday?", {})
STRAIN = [
    ("client", "You're not listening to me at all.", {"confrontation": 0.9}),
    ("client", "This isn't helping me with anything.", {"confrontation": 0.9}),
]


def _repaired(check: str, right_after: bool) -> bool:
    checked = ("therapist", check, {"repair": 0.9})
    rows = [NEUTRAL_T, NEUTRAL_C] * 3 + STRAIN
    if right_after:
        rows += [checked, NEUTRAL_C, NEUTRAL_T, NEUTRAL_C]
    else:
        rows += [NEUTRAL_T, NEUTRAL_C, NEUTRAL_T, NEUTRAL_C, checked, NEUTRAL_C]
    table = _table(rows)
    evidence = utterance_evidence(table, CODES)
    (episode,) = rupture_episodes(table, evidence).itertuples()
    moments = attending_repair(table, evidence)
    assert (moments[table["text"] == check] >= 0.5).all() == episode.repaired
    return episode.repaired


def test_a_routine_check_later_on_is_not_repair_of_the_strain():
    assert not _repaired("How was today for you?", right_after=False)
    assert not _repaired("How are you feeling about today's session?", right_after=False)


def test_a_check_right_after_the_strain_or_naming_it_is_repair():
    assert _repaired("How was today for you?", right_after=True)
    named = "How is this feeling now, compared to when you said this isn't helping?"
    assert _repaired(named, right_after=False)
    assert _repaired("I may have pushed too hard just now.", right_after=False)


OPENING = """Therapist: Welcome back. How has the week been?
Client: It has been a busy week with work and my sister.
Therapist: What happened with your sister?
Client: We talked about our mother and made a plan for the holidays.
Therapist: You made a plan together.
Client: Yes, we did. It took a while.
Therapist: What would you like to focus on today?
Client: How to keep calm when we disagree.
"""
# A strain met with advice, then a routine check at the close, and an upset ending.
MIDDLE = """Therapist: Let's look at the last argument.
Client: You're not listening to me. This isn't helping.
Therapist: You should keep a log of the arguments.
Client: You always do this. It's like you've already decided what my problem is.
Therapist: The log would show us the pattern.
Client: Fine.
Therapist: So what happened on Sunday?
Client: She talked over me again at dinner.
"""
CLOSE = """Therapist: We're nearly out of time. How was today for you?
Client: I feel awful and angry, this was a waste of time.
Therapist: Okay.
Client: I don't think this is working.
Therapist: Let's talk about that next week.
Client: Fine.
"""
# The close's strain met by a reflection of it: repaired, and still an upset ending.
REFLECTED = """Therapist: We're nearly out of time. How was today for you?
Client: I feel awful and angry, this was a waste of time.
Therapist: I hear that today was hard.
Client: I don't think this is working.
Therapist: Let's talk about that next week.
Client: Fine.
"""


def _report(path):
    current, earlier, notes = read_for_report(path, [], None)
    return build_report(current, earlier, notes=notes, classifier=None, resamples=50)


def test_a_check_at_the_close_does_not_make_an_earlier_strain_repaired(write):
    report = _report(write("checkin.txt", OPENING + MIDDLE + CLOSE))
    (episode,) = report.episodes
    assert not episode.repaired and episode.repair_quote is None
    check_turn = 16  # "How was today for you?"
    assert check_turn not in report.repair_turns
    assert not any("followed by repair" in f.text for f in report.went_well)
    texts = [f.text for f in report.look_at]
    assert f"A confrontation strain at turns {episode.start_turn}-{episode.end_turn}: no " in (
        " ".join(texts)
    )
    assert any(t.startswith(UPSET_ENDING) and "Repair was found" not in t for t in texts)


@pytest.mark.parametrize(
    "path",
    ["reflected", SAMPLES / "sessions" / "jordan_02.srt"],
    ids=["reflected-close", "jordan_02"],
)
def test_repaired_and_ended_upset_are_said_together(write, path):
    if path == "reflected":
        path = write("reflected.txt", OPENING + REFLECTED)
    report = _report(path)
    repaired = [f.text for f in report.went_well if "followed by repair" in f.text]
    upset = [f.text for f in report.look_at if f.text.startswith(UPSET_ENDING)]
    assert repaired and upset
    assert all("but the session still ended on the client's distress" in t for t in repaired)
    (text,) = upset
    spans = ", ".join(f"{e.start_turn}-{e.end_turn}" for e in report.episodes if e.repaired)
    assert f"Repair was found for the strain at turns {spans}, but it did not settle" in text
    page = render_html(report)
    assert "but the session still ended on the client&#39;s distress" in page
    assert "but it did not settle the close" in page


def test_a_repaired_strain_with_a_settled_close_says_only_repair():
    report = _report(SAMPLES / "sessions" / "maya_02.docx")
    (finding,) = [f for f in report.went_well if "followed by repair" in f.text]
    assert finding.text.endswith("followed by repair from the therapist.")
    assert not any(f.text.startswith(UPSET_ENDING) for f in report.look_at)
