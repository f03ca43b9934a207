"""Scoring with loaded models: markers and classifier on every utterance, then session
features, Goal/Task/Bond/Total with intervals and evidence, and rupture episodes.

The models come from `run.pipeline.Pipeline`, which owns the wiring of a session type;
`run.analysis.analyze_sessions` is the public entry point."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from spacy.language import Language

from ..annotate.classifier import UtteranceClassifier, predict_table
from ..annotate.markers import annotate_sessions
from ..annotate.markers.annotate import codebook_of
from ..annotate.style import session_style
from ..comparison.dyads import DYAD_COLUMNS, clinician_dyads
from ..errors import path_text
from ..estimate.estimator import (
    COMPONENTS,
    Estimator,
    codes_text,
    score_session,
    utterance_evidence,
)
from ..estimate.features import session_code_features
from ..estimate.miti import miti_summary
from ..estimate.ruptures import rupture_episodes
from ..schema import EVIDENCE_COLUMNS, marker_table, utterance_table
from ..session import Session
from ..warning_codes import warning_codes

# Below these a session is still scored, with a warning to hold its scores loosely.
SHORT_SESSION_UTTERANCES, SHORT_SESSION_WORDS = 40, 300
MIN_CLIENT_SHARE, MIN_ROLE_CONFIDENCE = 0.15, 0.7
EVIDENCE_PER_SIDE = 3
# The least |signed evidence| (the estimator's evidence units: evidence 0-1 x the term's
# weight, summed over the component's terms) for an utterance to be quoted as raising or
# lowering a score: below it the utterance barely moved it (docs/REPORT.md).
MIN_EVIDENCE_WEIGHT = 0.1
# Session metadata that is the reader's bookkeeping or has its own column, not a column
# of sessions.csv; every other scalar (a manifest's modality, a file's title) is kept.
READER_METADATA = frozenset(
    {
        "layout",
        "speaker_roles",
        "speaker_names",
        "direct_messages",
        "header_row",
        "unpunctuated",
        "roles",
        "clinicians",
        "title",
        "session_type",
        "session_id",
        "client_id",
        "therapist_id",
        "session_number",
        "date",
        "path",
    }
)


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
    ending_turns: int = 6  # the scoring estimator's: how many last turns are the ending

    def row(self) -> dict[str, Any]:
        """The session's row of `sessions.csv`: ids, the manifest's (or file's) date and
        other columns (modality, program, week, ...), counts, scores, warnings (as codes,
        `warning_codes`: no text, labels or ids), features."""
        s = self.session
        program = {
            k: s.metadata[k] for k in ("program", "week") if s.metadata.get(k) not in (None, "")
        }
        kept = {
            k: v
            for k, v in s.metadata.items()
            if k not in READER_METADATA
            and k not in program
            and isinstance(v, str | int | float)
            and v != ""
        }
        return {
            "session_id": s.session_id,
            "path": _input_path(s),
            "client_id": s.client_id,
            "therapist_id": s.therapist_id,
            "session_number": s.session_number,
            "date": s.date,
            "session_type": self.session_type,
            **program,
            **kept,
            "n_utterances": len(s.utterances),
            "n_words": sum(u.n_words for u in s.utterances),
            **{k: v for k, v in self.scores.items() if not k.endswith("_change")},
            "warnings": "; ".join(warning_codes(self.warnings)),
            **{k: v for k, v in self.scores.items() if k.endswith("_change")},
            **self.features,
        }


def _input_path(session: Session) -> str:
    """sessions.csv's `path`: the file relative to the inputs' common folder (see
    `read.inputs.unique_session_ids`); empty once pseudonymised (a folder or file name
    often holds the client's name, and `redact` drops it with the source path)."""
    if session.metadata.get("path"):
        return str(session.metadata["path"])
    return path_text(session.source_path.name) if session.source_path else ""


def session_warnings(session: Session) -> list[str]:
    """The reasons a reader should hold a session's scores loosely, in the order said:
    every warning of reading and segmenting the session (`Session.warnings`: roles or
    encoding guessed, lines left out, ...), then the scoring's own (too short, roles
    uncertain, little client speech), so that sessions.csv's `warnings` codes them all."""
    warnings = []
    words = sum(u.n_words for u in session.utterances)
    if len(session.utterances) < SHORT_SESSION_UTTERANCES or words < SHORT_SESSION_WORDS:
        warnings.append(
            f"too short to judge ({len(session.utterances)} utterances, {words} words; "
            f"fewer than {SHORT_SESSION_UTTERANCES} or {SHORT_SESSION_WORDS})"
        )
    unsure = [n for n, info in session.speakers.items() if info.confidence < MIN_ROLE_CONFIDENCE]
    if unsure:
        warnings.append(f"roles uncertain for {', '.join(unsure)}: check with `inspect` or `roles`")
    client_words = sum(u.n_words for u in session.utterances if u.role.value == "client")
    if not client_words:
        warnings.append("no client speech: client codes cannot be counted")
    elif words and client_words / words < MIN_CLIENT_SHARE:
        warnings.append(f"little client speech ({client_words / words:.0%} of words)")
    if not any(u.n_words for u in session.utterances if u.role.value == "therapist"):
        warnings.append("no therapist speech: therapist codes cannot be counted")
    return list(dict.fromkeys([*session.warnings, *warnings]))  # reading's first


def top_evidence(
    table: pd.DataFrame,
    contributions: pd.DataFrame,
    parts: dict[str, pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """The utterances that raised and lowered each component most: up to
    `EVIDENCE_PER_SIDE` a side, each with |weight| of at least `MIN_EVIDENCE_WEIGHT` (an
    utterance that barely moved the score is no evidence of it; a side may be empty).

    Parameters
    ----------
    table : pd.DataFrame
        One session's utterance table.
    contributions : pd.DataFrame
        Utterances x components, signed evidence (`estimate.contributions`).
    parts : dict[str, pd.DataFrame], optional
        Component to utterances x codes (`estimate.code_contributions`): each row's
        `codes` names the codes behind its weight (`estimate.codes_text`); "" without.

    Returns
    -------
    pd.DataFrame
        `EVIDENCE_COLUMNS`, one row per quoted utterance and component.
    """
    rows = []
    for component in COMPONENTS:
        values = contributions[component]
        by_code = (parts or {}).get(component)
        for direction, picked in (
            ("raised", values[values >= MIN_EVIDENCE_WEIGHT].nlargest(EVIDENCE_PER_SIDE)),
            ("lowered", values[values <= -MIN_EVIDENCE_WEIGHT].nsmallest(EVIDENCE_PER_SIDE)),
        ):
            for i, value in picked.items():
                rows.append(
                    {
                        "session_id": table.at[i, "session_id"],
                        "component": component,
                        "direction": direction,
                        "turn": int(table.at[i, "turn"]),
                        "utterance": int(table.at[i, "utterance"]),
                        "role": table.at[i, "role"],
                        "weight": round(float(value), 3),
                        "codes": codes_text(by_code.loc[i]) if by_code is not None else "",
                        "text": table.at[i, "text"],
                    }
                )
    return pd.DataFrame(rows, columns=EVIDENCE_COLUMNS)


def utterance_evidence_table(
    sessions: list[Session],
    *,
    nlp: Language | None,
    classifier: UtteranceClassifier | None,
    progress=None,
) -> tuple[pd.DataFrame, list[str]]:
    """The utterance table with the evidence columns (`m_<code>` from the marker pipeline
    `nlp`, `p_<code>` from `classifier`; either may be None, not both) and every code."""
    codes = None
    if nlp is not None:
        annotate_sessions(sessions, nlp=nlp)
        codes = codebook_of(nlp).ids
    if classifier is not None:
        table = predict_table(sessions, classifier, codes, progress=progress)
    else:
        table = utterance_table(sessions, codes)
    return table, list(codes or classifier.codes)


def score_sessions(
    sessions: list[Session],
    *,
    nlp: Language | None,
    classifier: UtteranceClassifier | None,
    estimator: Estimator,
    resamples: int,
    session_type: str,
    progress=None,
) -> list[SessionResult]:
    """Score segmented sessions of one type with loaded models (see `run.pipeline.Pipeline`,
    which loads them): `nlp` the marker pipeline (None: no markers), `classifier` (None:
    none), `estimator` the type's weights. One `SessionResult` per session, in order."""
    table, all_codes = utterance_evidence_table(
        sessions, nlp=nlp, classifier=classifier, progress=progress
    )
    sources = (["markers"] if nlp is not None else []) + (["classifier"] if classifier else [])
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
                session=session,
                scores=scored.scores,
                warnings=session_warnings(session),
                features={**feats, **style, **miti_summary(part)},
                utterances=part,
                evidence=top_evidence(part, scored.contributions, scored.parts),
                ruptures=rupture_episodes(part, evidence),
                markers=marker_table([session]) if nlp is not None else pd.DataFrame(),
                dyads=clinician_dyads(session, part, evidence, estimator, resamples),
                session_type=session_type,
                ending_turns=estimator.ending_turns,
            )
        )
    return results


def _tidy(value: Any) -> Any:
    """Counts as int, rates to 4 decimals: sessions.csv is read by people too."""
    if isinstance(value, float) and value == value:
        return int(value) if value.is_integer() and value > 1 else round(value, 4)
    return value
