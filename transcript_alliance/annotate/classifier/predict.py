"""Segmented sessions to the utterance table with a `p_<code>` column per code."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ...schema import utterance_table
from ...session import Session
from .data import UtteranceInputs
from .model import Progress, UtteranceClassifier


def session_inputs(sessions: Iterable[Session]) -> UtteranceInputs:
    """Each utterance's words and role, and the whole previous turn as its context."""
    texts, roles, contexts = [], [], []
    for session in sessions:
        turn_text = {turn.index: turn.text for turn in session.turns}
        for u in session.utterances:
            texts.append(u.text)
            roles.append(u.role.value)
            contexts.append(turn_text.get(u.turn - 1, ""))
    return UtteranceInputs(texts, roles, contexts)


def predict_table(
    sessions: list[Session],
    classifier: UtteranceClassifier,
    codes: list[str] | None = None,
    progress: Progress = None,
) -> pd.DataFrame:
    """The utterance table (with `m_<code>` counts when `codes` is given and the sessions
    carry markers) and the classifier's `p_<code>` probabilities."""
    table = utterance_table(sessions, codes)
    probs = classifier.predict_proba(session_inputs(sessions), progress=progress)
    for k, code in enumerate(classifier.codes):
        table[f"p_{code}"] = probs[:, k].round(4)
    return table
