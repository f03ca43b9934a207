"""Confrontation ruptures said as complaints that the therapy is not working (codebook
2.1.0; "a waste of my time" since 2.1.1): found by the rules, decided by their subject, and
kept out of present ruptures when they are about the past (issue 23)."""

from __future__ import annotations

from pathlib import Path

import pytest

import transcript_alliance as ta
from transcript_alliance import read_session, segment_session
from transcript_alliance.annotate.markers import marker_pipeline
from transcript_alliance.estimate.ruptures import about_the_past

NLP = marker_pipeline()


def confrontation(text: str) -> bool:
    doc = NLP(text)
    return any(s.label_ == "confrontation" for s in doc.spans["alliance"])


@pytest.mark.parametrize(
    "text",
    [
        "I don't think this is working.",
        "Honestly I don't think therapy is working for me.",
        "I don't see how this is helping.",
        "I don't feel like coming here is going to help.",
        "I feel awful and angry, this was a waste of time.",
        "Today was such a waste of time.",
        "This session felt like a waste of time.",
        "These sessions are a waste of money.",
        "This is a waste of my time.",
        "Coming here is such a waste of my time.",
        "Talking to you is a waste of my time.",
        "Being here is a waste of my time.",
        "Therapy is a waste of my time.",
        "I'm not getting anything out of this.",
        "I don't get anything out of coming.",
        "I get nothing out of these sessions.",
        "This is pointless.",
        "We're just going around in circles.",
        "I don't know why I keep coming here.",
    ],
)
def test_present_complaints_about_the_therapy_are_confrontation(text):
    assert confrontation(text)
    assert not about_the_past(text)


@pytest.mark.parametrize(
    "text",
    [
        "I don't think this is the right job for me.",
        "I don't think the diet is working.",
        "I don't think my meds are working.",
        "My boss thinks it's a waste of time.",
        "Arguing with him is a waste of time.",
        "Arguing with him is a waste of my time.",
        "My job is a waste of my time.",
        "The diet is a waste of my time.",
        "Talking to him is a waste of my time.",
        "Talking with my sister is a waste of my time.",
        "The gym is a waste of money.",
        "I'm not getting anything out of my job.",
        "It's pointless to argue with my mother.",
        "My thoughts keep going in circles.",
        "I don't know why I keep coming back to him.",
        "I think this is working.",
    ],
)
def test_complaints_about_other_things_are_not(text):
    assert not confrontation(text)


@pytest.mark.parametrize(
    "text",
    [
        "It was a waste of time back then.",
        "Last year therapy didn't help.",
        "At first I wasn't getting anything out of coming.",
    ],
)
def test_complaints_about_the_past_match_but_are_about_the_past(text):
    # The rule finds them; the estimator's `about_the_past` keeps them out of ruptures.
    assert about_the_past(text)


def _session(tmp_path: Path, lines: list[str]):
    text = (
        "Therapist: How has your week been?\nClient: Busy, work was a lot.\n"
        "Therapist: What would you like to focus on today?\nClient: The sleep, mostly.\n"
        "Therapist: Let's look at the sleep log together.\n"
        + "".join(f"Client: {line}\nTherapist: Tell me more about that.\n" for line in lines)
        + "Client: I go to bed late most nights.\nTherapist: What keeps you up?\n"
    )
    path = tmp_path / "s.txt"
    path.write_text(text)
    return ta.analyze(segment_session(read_session(path)), classifier=None, resamples=20)


def test_present_complaints_open_an_episode_and_past_ones_do_not(tmp_path):
    present = _session(
        tmp_path, ["I don't think this is working.", "I'm not getting anything out of this."]
    )
    assert len(present.ruptures) == 1
    assert present.ruptures.iloc[0]["kind"] == "confrontation"
    assert "I don't think this is working." in present.ruptures.iloc[0]["evidence"]
    past = _session(
        tmp_path,
        [
            "Last year therapy didn't help, it was a waste of time back then.",
            "At first I wasn't getting anything out of coming.",
        ],
    )
    assert past.utterances["m_confrontation"].sum() == 2  # found, but not a present rupture
    assert past.ruptures.empty
