"""Each clinician's alliance with the client in a session with several clinicians
(co-therapists, a team meeting, a family session with two clinicians).

A dyad is one clinician and the client: the clinician's own utterances and the client's
utterances in the turns that answer that clinician (the client turns after the
clinician's turn, until another clinician speaks). Each dyad is scored with the session's
estimator, intervals by bootstrap over the dyad's turns, so a clinician who spoke little
gets a wide interval."""

from __future__ import annotations

import pandas as pd

from ..estimate.estimator import PARTS, Estimator, score_session
from ..session import Role, Session

DYAD_COLUMNS = [
    "session_id", "client_id", "clinician", "n_utterances", "n_client_utterances",
    *[f"{p}{s}" for p in PARTS for s in ("", "_low", "_high")],
]  # fmt: skip


def answered_clinician(session: Session) -> dict[int, str | None]:
    """For each turn, the clinician it belongs to: the speaker for a clinician's turn,
    the last clinician who spoke before it for anyone else's."""
    owner: dict[int, str | None] = {}
    last = None
    for turn in session.turns:
        if turn.role is Role.THERAPIST:
            last = turn.speaker
        owner[turn.index] = last
    return owner


def clinician_dyads(
    session: Session,
    table: pd.DataFrame,
    evidence: pd.DataFrame,
    estimator: Estimator,
    resamples: int = 500,
) -> pd.DataFrame:
    """One row per clinician (in order of first speaking) for one session's utterances."""
    owner = answered_clinician(session)
    clinicians = list(dict.fromkeys(t.speaker for t in session.turns if t.role is Role.THERAPIST))
    turn_owner = table["turn"].map(owner)
    rows = []
    for clinician in clinicians:
        mine = (turn_owner == clinician) & (
            ((table["role"] == "therapist") & (table["speaker"] == clinician))
            | (table["role"] == "client")
        )
        part = table[mine]
        scores = score_session(part, estimator, resamples=resamples, evidence=evidence[mine])
        rows.append(
            {
                "session_id": session.session_id, "client_id": session.client_id,
                "clinician": clinician, "n_utterances": len(part),
                "n_client_utterances": int((part["role"] == "client").sum()),
                **{k: v for k, v in scores.scores.items() if not k.endswith("_change")},
            }
        )  # fmt: skip
    return pd.DataFrame(rows, columns=DYAD_COLUMNS)
