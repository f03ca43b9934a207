"""The table contracts (DESIGN.md, "Output of `code`"), declared once: each table's
columns, the constants they are built from, and the two tables built straight from
sessions (utterances, markers). Every module that writes or checks one of these tables
takes its columns from here."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from .session import Role, Session

# Bordin's three components, and the parts of a score: the WAI-SR total is their mean.
COMPONENTS = ("goal", "task", "bond")
PARTS = (*COMPONENTS, "total")
# The two sides of the alliance whose speech is counted (features, estimator, style);
# `Role` lists every role a speaker can have (other included).
SPEAKING_ROLES = (Role.THERAPIST, Role.CLIENT)
SPEAKING_ROLE_NAMES = tuple(role.value for role in SPEAKING_ROLES)  # as in tables
ROLE_NAMES = tuple(role.value for role in Role)  # therapist, client, other

UTTERANCE_COLUMNS = [
    "session_id",
    "turn",
    "utterance",
    "role",
    "speaker",
    "start",
    "end",
    "text",
    "time_interpolated",
    "start_char",
    "end_char",
    "n_words",
    "events",
    "client_id",
    "therapist_id",
    "session_number",
]
# The utterances behind each component's estimate (run/analysis.py).
EVIDENCE_COLUMNS = [
    "session_id",
    "component",
    "direction",
    "turn",
    "utterance",
    "role",
    "weight",
    "codes",
    "text",
]
MARKER_COLUMNS = [
    "session_id",
    "turn",
    "utterance",
    "role",
    "speaker",
    "code",
    "component",
    "source",
    "rule",
    "negated",
    "hedged",
    "start_char",
    "end_char",
    "text",
    "utterance_text",
]
RUPTURE_COLUMNS = ["session_id", "start_turn", "end_turn", "kind", "repaired", "evidence"]
# The MITI 4.2 session summary of the therapist's microskills (estimate/miti.py).
MITI_COLUMNS = [
    "miti_simple_reflections",
    "miti_complex_reflections",
    "miti_open_questions",
    "miti_closed_questions",
    "miti_reflections",
    "miti_questions",
    "miti_r_to_q",
    "miti_pct_complex_reflections",
    "miti_pct_open_questions",
    "miti_mi_adherent",
    "miti_mi_non_adherent",
    "miti_change_talk",
    "miti_sustain_talk",
    "miti_pct_change_talk",
    "miti_source",
]
# Each clinician's alliance with the client (comparison/dyads.py): scores and 90% intervals.
DYAD_COLUMNS = [
    "session_id",
    "client_id",
    "clinician",
    "therapist_id",
    "n_utterances",
    "n_client_utterances",
    *[f"{p}{s}" for p in PARTS for s in ("", "_low", "_high")],
    *MITI_COLUMNS,
]
ERROR_COLUMNS = ["path", "error"]  # errors.csv: the inputs that failed, and why
MANIFEST_COLUMNS = ["path", "session_id", "client_id", "therapist_id", "session_number", "date"]
# deidentify's entities.csv: what was replaced where (never the words replaced); `field`
# says where: `text` (a turn's text), `speaker` (a speaker label), `session_id`.
ENTITY_COLUMNS = [
    "session_id",
    "field",
    "turn",
    "kind",
    "pseudonym",
    "start_char",
    "end_char",
    "new_start_char",
    "new_end_char",
    "recognizer",
]

# The marker table's columns that come from the Marker itself.
_MARKER_FIELDS = MARKER_COLUMNS[MARKER_COLUMNS.index("code") : MARKER_COLUMNS.index("text") + 1]


def utterance_table(sessions: Iterable[Session], codes: list[str] | None = None) -> pd.DataFrame:
    """One row per utterance, in the column order of `UTTERANCE_COLUMNS`.

    Parameters
    ----------
    sessions
        Segmented sessions.
    codes
        With codes, an ``m_<code>`` column per code counting its marker matches that are
        not negated.

    Returns
    -------
    pandas.DataFrame
        `UTTERANCE_COLUMNS` (times in seconds, character offsets into the turn's text as
        read), then the ``m_<code>`` columns.
    """
    sessions = list(sessions)
    pairs = [(s, u) for s in sessions for u in s.utterances]
    # Built column by column: much cheaper than a dict per row for large sessions.
    columns: dict[str, Any] = {
        "session_id": [s.session_id for s, _ in pairs],
        "turn": [u.turn for _, u in pairs],
        "utterance": [u.index for _, u in pairs],
        "role": [u.role.value for _, u in pairs],
        "speaker": [u.speaker for _, u in pairs],
        "start": pd.array([u.start for _, u in pairs], dtype="Float64"),
        "end": pd.array([u.end for _, u in pairs], dtype="Float64"),
        "text": [u.text for _, u in pairs],
        "time_interpolated": [u.time_interpolated for _, u in pairs],
        "start_char": [u.start_char for _, u in pairs],
        "end_char": [u.end_char for _, u in pairs],
        "n_words": [u.n_words for _, u in pairs],
        "events": [";".join(e.kind for e in u.events) for _, u in pairs],
        "client_id": [s.client_id for s, _ in pairs],
        "therapist_id": [s.therapist_id for s, _ in pairs],
        "session_number": pd.array([s.session_number for s, _ in pairs], dtype="Int64"),
    }
    if codes:
        counts = {code: [0] * len(pairs) for code in codes}
        for row, (_, u) in enumerate(pairs):
            for m in u.markers:
                if not m.negated and m.code in counts:
                    counts[m.code][row] += 1
        columns.update({f"m_{code}": column for code, column in counts.items()})
    return pd.DataFrame(columns, columns=list(columns))


def marker_table(sessions: Iterable[Session]) -> pd.DataFrame:
    """One row per marker match (`MARKER_COLUMNS`), negated and hedged ones included, with
    the words that triggered it (offsets into the turn's text as read) and the utterance
    around them."""
    rows = [(s, u, m) for s in sessions for u in s.utterances for m in u.markers]
    if not rows:
        return pd.DataFrame(columns=MARKER_COLUMNS)
    # Built column by column, as utterance_table is.
    columns = {
        "session_id": [s.session_id for s, _, _ in rows],
        "turn": [u.turn for _, u, _ in rows],
        "utterance": [u.index for _, u, _ in rows],
        "role": [u.role.value for _, u, _ in rows],
        "speaker": [u.speaker for _, u, _ in rows],
        **{name: [getattr(m, name) for _, _, m in rows] for name in _MARKER_FIELDS},
        "utterance_text": [u.text for _, u, _ in rows],
    }
    return pd.DataFrame(columns, columns=MARKER_COLUMNS)
