"""Raw speech-recognition text without sentence punctuation ("so um how have things been
since we last met"): sentence splitting and question marks mean nothing there, so the
session is flagged, later stages split by pauses and length, and the role heuristic leaves
question rates out."""

from __future__ import annotations

import re

from ..session import Session

MIN_WORDS = 40  # fewer words than this: too little text to tell
MAX_STOPS_PER_WORD = 0.01  # punctuated speech has a sentence stop every 8-20 words
UNPUNCTUATED = "unpunctuated"  # the key in `session.metadata`
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_STOP = re.compile(r"(?<![.?!])[.?!](?![.?!])")  # one stop, not an ellipsis


def check_punctuation(session: Session) -> bool:
    """Flag (in `session.metadata`) and warn when the text has next to no sentence stops.

    Returns
    -------
    bool
        True when the session was read as unpunctuated.
    """
    text = " ".join(turn.text for turn in session.turns)
    words = len(_WORD.findall(text))
    stops = len(_STOP.findall(text))
    unpunctuated = words >= MIN_WORDS and stops <= MAX_STOPS_PER_WORD * words
    session.metadata[UNPUNCTUATED] = unpunctuated
    if unpunctuated:
        case = ", lower case" if text == text.casefold() else ""
        session.warn(
            f"the text has no sentence punctuation ({stops} stops in {words} words{case}; raw "
            "speech recognition?): utterances are split by pauses and length, not sentences, "
            "and question-based measures (question rates, open questions, the role guess from "
            "questions) are unreliable for this file"
        )
    return unpunctuated


def is_unpunctuated(session: Session) -> bool:
    """Whether `mark_unpunctuated` found the session's text without sentence punctuation.

    Parameters
    ----------
    session : Session
        A session that went through `mark_unpunctuated` (False otherwise).

    Returns
    -------
    bool
        True for raw speech-recognition text: utterances are then cut by pauses and length.
    """
    return bool(session.metadata.get(UNPUNCTUATED))
