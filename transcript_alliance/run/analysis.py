"""The main job for a batch of sessions: markers and classifier on every utterance, then
session features, Goal/Task/Bond/Total with intervals and evidence, and rupture episodes.

    results = analyze_sessions(segment_sessions(sessions))      # markers + `default`
    results = analyze_sessions(sessions, classifier=None)       # rules only
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from spacy.language import Language

from ..annotate.classifier import UtteranceClassifier, load_classifier, predict_table
from ..annotate.markers import annotate_sessions, marker_pipeline
from ..annotate.markers.annotate import codebook_of
from ..annotate.style import session_style
from ..comparison.dyads import DYAD_COLUMNS, clinician_dyads
from ..errors import OptionError
from ..estimate.estimator import (
    COMPONENTS,
    SESSION_TYPES,
    Estimator,
    load_estimator,
    score_session,
    utterance_evidence,
)
from ..estimate.features import session_code_features
from ..estimate.ruptures import rupture_episodes
from ..io import EVIDENCE_COLUMNS, marker_table, utterance_table
from ..session import Session

MIN_UTTERANCES, MIN_WORDS, MIN_CLIENT_SHARE, MIN_ROLE_CONFIDENCE = 40, 300, 0.15, 0.7
EVIDENCE_PER_SIDE = 3


@dataclass
class SessionResult:
    """Everything `code` writes about one session."""

    session: Session
    scores: dict[str, float]
    warnings: list[str]
    features: dict[str, Any]
    utterances: pd.DataFrame
    evidence: pd.DataFrame
    ruptures: pd.DataFrame
    markers: pd.DataFrame = field(default_factory=pd.DataFrame)
    dyads: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=DYAD_COLUMNS))
    session_type: str = "psychotherapy"

    def row(self) -> dict[str, Any]:
        """The session's row of `sessions.csv`."""
        s = self.session
        program = {
            k: s.metadata[k] for k in ("program", "week") if s.metadata.get(k) not in (None, "")
        }
        return {
            "session_id": s.session_id, "client_id": s.client_id,
            "therapist_id": s.therapist_id, "session_number": s.session_number,
            "session_type": self.session_type, **program,
            "n_utterances": len(s.utterances), "n_words": sum(u.n_words for u in s.utterances),
            **{k: v for k, v in self.scores.items() if not k.endswith("_change")},
            "warnings": "; ".join(self.warnings),
            **{k: v for k, v in self.scores.items() if k.endswith("_change")},
            **self.features,
        }  # fmt: skip


def session_warnings(session: Session) -> list[str]:
    """The reasons a reader should hold a session's scores loosely."""
    warnings = []
    words = sum(u.n_words for u in session.utterances)
    if len(session.utterances) < MIN_UTTERANCES or words < MIN_WORDS:
        warnings.append(
            f"too short to judge ({len(session.utterances)} utterances, {words} words; "
            f"fewer than {MIN_UTTERANCES} or {MIN_WORDS})"
        )
    unsure = [n for n, info in session.speakers.items() if info.confidence < MIN_ROLE_CONFIDENCE]
    if unsure:
        warnings.append(f"roles uncertain for {', '.join(unsure)}: check with inspect/--roles")
    client_words = sum(u.n_words for u in session.utterances if u.role.value == "client")
    if not client_words:
        warnings.append("no client speech: client codes cannot be counted")
    elif words and client_words / words < MIN_CLIENT_SHARE:
        warnings.append(f"little client speech ({client_words / words:.0%} of words)")
    if not any(u.n_words for u in session.utterances if u.role.value == "therapist"):
        warnings.append("no therapist speech: therapist codes cannot be counted")
    return warnings


def top_evidence(table: pd.DataFrame, contributions: pd.DataFrame) -> pd.DataFrame:
    """The utterances that raised and lowered each component most."""
    rows = []
    for component in COMPONENTS:
        values = contributions[component]
        for direction, picked in (
            ("raised", values[values > 0].nlargest(EVIDENCE_PER_SIDE)),
            ("lowered", values[values < 0].nsmallest(EVIDENCE_PER_SIDE)),
        ):
            for i, value in picked.items():
                rows.append(
                    {
                        "session_id": table.at[i, "session_id"], "component": component,
                        "direction": direction, "turn": int(table.at[i, "turn"]),
                        "utterance": int(table.at[i, "utterance"]),
                        "role": table.at[i, "role"], "weight": round(float(value), 3),
                        "text": table.at[i, "text"],
                    }
                )  # fmt: skip
    return pd.DataFrame(rows, columns=EVIDENCE_COLUMNS)


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
    session_type: str = "psychotherapy",
) -> list[SessionResult]:
    """Analyze segmented sessions. Either evidence source can be switched off
    (`classifier=None`, `markers=False`), not both. `nlp`: a marker pipeline already
    loaded (batch workers load one and reuse it). `session_type` (psychotherapy,
    medication, team) picks the codebook pack and the packaged estimator."""
    if classifier is None and not markers:
        raise ValueError("switch on the markers, the classifier, or both")
    if session_type not in SESSION_TYPES:
        raise OptionError(f"session type '{session_type}': expected {', '.join(SESSION_TYPES)}")
    if not isinstance(estimator, Estimator):
        estimator = load_estimator(estimator, session_type)
    codes = None
    if markers:
        nlp = nlp or marker_pipeline(str(codebook) if codebook else None, pack=session_type)
        annotate_sessions(sessions, nlp=nlp)
        codes = codebook_of(nlp).ids
    if classifier is not None:
        if not isinstance(classifier, UtteranceClassifier):
            classifier = load_classifier(classifier, codebook=codebook)
        table = predict_table(sessions, classifier, codes, progress=progress)
    else:
        table = utterance_table(sessions, codes)
    sources = (["markers"] if markers else []) + (["classifier"] if classifier else [])
    all_codes = codes or classifier.codes
    marker_only = set(all_codes) - set(classifier.codes) if classifier else set()
    features = session_code_features(table, all_codes, sources, marker_only)
    features = features.set_index("session_id")
    results = []
    for session in sessions:
        part = table[table["session_id"] == session.session_id]
        evidence = utterance_evidence(part, all_codes)
        scored = score_session(part, estimator, resamples=resamples, evidence=evidence)
        style = {
            f"style_{k}": _tidy(v) for k, v in session_style(session).items() if k != "session_id"
        }
        feats = features.loc[session.session_id].to_dict() if len(part) else {}
        feats = {k: _tidy(v) for k, v in feats.items()}
        results.append(
            SessionResult(
                session=session, scores=scored.scores, warnings=session_warnings(session),
                features={**feats, **style}, utterances=part,
                evidence=top_evidence(part, scored.contributions),
                ruptures=rupture_episodes(part, evidence),
                markers=marker_table([session]) if markers else pd.DataFrame(),
                dyads=clinician_dyads(session, part, evidence, estimator, resamples),
                session_type=session_type,
            )
        )  # fmt: skip
    return results


def _tidy(value: Any) -> Any:
    """Counts as int, rates to 4 decimals: sessions.csv is read by people too."""
    if isinstance(value, float) and value == value:
        return int(value) if value.is_integer() and value > 1 else round(value, 4)
    return value


def analyze(session: Session, **options) -> SessionResult:
    """One segmented session; the options are those of `analyze_sessions`."""
    return analyze_sessions([session], **options)[0]
