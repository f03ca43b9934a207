"""Each clinician's alliance with the client in a session with several clinicians
(co-therapists, a team meeting, a family session with two clinicians).

A dyad is one clinician and the client: the clinician's own utterances and the client's
utterances in the turns that answer that clinician (the client turns after the
clinician's turn, until another clinician speaks). Each dyad is scored with the session's
estimator, intervals by bootstrap over the dyad's turns, so a clinician who spoke little
gets a wide interval. Each dyad also gets the MITI-style measures of its utterances
(estimate/miti.py): the clinician's reflections, questions and so on, and the change talk
of the client turns that answer that clinician.

Who the clinician is: `clinician` is the speaker label as the transcript has it (after
`--redact`, its pseudonym); `therapist_id` is the manifest's id for that clinician: from the
session's `clinicians` map where the manifest has one (`"Dr. Reyes=T11,Ms. Burke=T12"`, for
team sessions), else the session's `therapist_id` when the session has one clinician, else
empty."""

from __future__ import annotations

import pandas as pd

from ..errors import InputError
from ..estimate.estimator import Estimator, score_session
from ..estimate.miti import miti_summary
from ..schema import DYAD_COLUMNS
from ..session import Role, Session


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


def clinician_ids(session: Session, clinicians: list[str]) -> dict[str, str | None]:
    """Each clinician's id (see the module's docstring), by speaker label.

    Raises
    ------
    InputError
        When the session's `clinicians` map is not `label=id` pairs separated by commas.
    """
    raw = str(session.metadata.get("clinicians") or "").strip()
    named: dict[str, str] = {}
    for pair in filter(None, (p.strip() for p in raw.split(","))):
        label, sep, ident = pair.partition("=")
        if not sep or not label.strip() or not ident.strip():
            raise InputError(
                session.source_path or session.session_id,
                f"clinicians map entry '{pair}'; expected label=id pairs such as "
                "'Dr. Reyes=T11,Ms. Burke=T12'",
            )
        named[label.strip().casefold()] = ident.strip()
    single = session.therapist_id if len(clinicians) == 1 else None
    return {c: named.get(c.casefold(), single) for c in clinicians}


def clinician_dyads(
    session: Session,
    table: pd.DataFrame,
    evidence: pd.DataFrame,
    estimator: Estimator,
    resamples: int = 500,
) -> pd.DataFrame:
    """Each clinician's alliance with the client in one session (see the module's docstring).

    Parameters
    ----------
    session : Session
        The coded session, roles assigned.
    table : DataFrame
        The session's utterance table (`UTTERANCE_COLUMNS` plus the estimator's
        features), one row per utterance.
    evidence : DataFrame
        The per-utterance evidence rows aligned with `table`.
    estimator : Estimator
        The session type's estimator.
    resamples : int
        Bootstrap resamples over the dyad's turns for the intervals.

    Returns
    -------
    DataFrame
        `DYAD_COLUMNS`, one row per clinician in order of first speaking: session_id,
        client_id, clinician (speaker label), therapist_id, n_utterances,
        n_client_utterances, goal/task/bond/total with _low and _high (1-5 WAI-SR metric,
        bootstrap interval), and the MITI columns.

    Raises
    ------
    InputError
        The session's `clinicians` map is not label=id pairs.
    """
    owner = answered_clinician(session)
    clinicians = list(dict.fromkeys(t.speaker for t in session.turns if t.role is Role.THERAPIST))
    ids = clinician_ids(session, clinicians)
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
                "session_id": session.session_id,
                "client_id": session.client_id,
                "clinician": clinician,
                "therapist_id": ids[clinician],
                "n_utterances": len(part),
                "n_client_utterances": int((part["role"] == "client").sum()),
                **{k: v for k, v in scores.scores.items() if not k.endswith("_change")},
                **miti_summary(part),
            }
        )
    return pd.DataFrame(rows, columns=DYAD_COLUMNS)
