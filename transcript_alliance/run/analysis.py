"""The main job for sessions already in memory: markers and classifier on every utterance,
then session features, Goal/Task/Bond/Total with intervals and evidence, and rupture
episodes, through the session type's `Pipeline`.

    results = analyze_sessions(segment_sessions(sessions))      # markers + `default`
    results = analyze_sessions(sessions, classifier=None)       # rules only
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .pipeline import Pipeline
from .scoring import SessionResult, session_warnings, top_evidence

if TYPE_CHECKING:
    from spacy.language import Language

    from ..annotate.classifier import UtteranceClassifier
    from ..estimate.estimator import Estimator
    from ..session import Session
    from ..session_types import SessionType


def analyze_sessions(
    sessions: list[Session],
    *,
    classifier: str | Path | UtteranceClassifier | None = "default",
    markers: bool = True,
    codebook: str | Path | None = None,
    estimator: str | Path | Estimator | None = None,
    resamples: int = 500,
    progress=None,
    nlp: Language | None = None,
    session_type: str | SessionType | None = None,
) -> list[SessionResult]:
    """Analyze segmented sessions through the `Pipeline` of their session type.

    Parameters
    ----------
    sessions
        Segmented sessions (`segment_sessions`).
    classifier, markers, codebook, estimator, resamples
        As for `Pipeline`: either evidence source can be switched off
        (`classifier=None`, `markers=False`), not both.
    progress
        An optional callable given the number of utterances classified so far.
    nlp
        A marker pipeline already loaded, used instead of the pipeline's own.
    session_type
        Psychotherapy, medication or team for every session; None: each session's own
        (a manifest's `session_type`), else psychotherapy.

    Returns
    -------
    list[SessionResult]
        One per session, in input order.

    Raises
    ------
    OptionError
        An unknown session type, or neither markers nor a classifier.
    InputError
        An unreadable or invalid estimator file, or one that reads a code the
        codebook lacks.
    """
    pipeline = Pipeline(
        session_type,
        classifier=classifier,
        markers=markers,
        estimator=estimator,
        codebook=codebook,
        resamples=resamples,
    )
    pipeline.check()  # options and estimator, even when no session is scorable
    if nlp is None:
        if session_type is None:
            return pipeline.analyze_each(sessions, progress=progress)
        return pipeline.analyze(sessions, progress=progress)
    from .scoring import score_sessions

    return score_sessions(
        list(sessions),
        nlp=nlp if markers else None,
        classifier=pipeline.classifier_,
        estimator=pipeline.estimator_,
        resamples=resamples,
        session_type=pipeline.type_name,
        progress=progress,
    )


def analyze(session: Session, **options) -> SessionResult:
    """One segmented session; the options are those of `analyze_sessions`."""
    return analyze_sessions([session], **options)[0]


__all__ = ["SessionResult", "analyze", "analyze_sessions", "session_warnings", "top_evidence"]
