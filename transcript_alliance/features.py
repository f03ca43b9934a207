"""Aggregate: the utterance table's per-utterance codes to per-session, per-role rates.

Two sources feed the same features, and either can be left out: the rule markers
(`m_<code>` counts: the share of a role's utterances with at least one non-negated match)
and the classifier (`p_<code>` probabilities: their mean over a role's utterances, the
expected share of utterances with the code)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

SOURCES = ("markers", "classifier")
ROLES = ("therapist", "client")


def session_code_features(
    utterances: pd.DataFrame,
    codes: list[str],
    sources: Iterable[str] = SOURCES,
    marker_only: Iterable[str] = (),
) -> pd.DataFrame:
    """One row per session: `n_utterances_<role>`, then for each source, role and code
    `marker_rate_<role>_<code>` and/or `classifier_rate_<role>_<code>`. `marker_only`:
    codes (a session type's pack) that have markers but no classifier column."""
    marker_only = set(marker_only)
    sources = list(sources)
    unknown = set(sources) - set(SOURCES)
    if unknown or not sources:
        raise ValueError(f"sources: expected one or both of {', '.join(SOURCES)}")
    prefixes = {"markers": ("m_", "marker_rate"), "classifier": ("p_", "classifier_rate")}
    rows = []
    for session_id, group in utterances.groupby("session_id", sort=False):
        row: dict[str, object] = {"session_id": session_id}
        for role in ROLES:
            said = group[group["role"] == role]
            row[f"n_utterances_{role}"] = len(said)
            for source in sources:
                column, name = prefixes[source]
                for code in codes:
                    values = said.get(f"{column}{code}")
                    if values is None and source == "classifier" and code in marker_only:
                        continue  # a pack code the classifier was not trained on
                    if values is None:
                        raise ValueError(f"the utterance table has no {column}{code} column")
                    hit = values.clip(upper=1) if source == "markers" else values
                    row[f"{name}_{role}_{code}"] = float(hit.mean()) if len(said) else None
        rows.append(row)
    return pd.DataFrame(rows)
