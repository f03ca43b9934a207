"""Aggregate: the utterance table's per-utterance codes to per-session, per-role rates.

Two sources feed the same features, and either can be left out: the rule markers
(`m_<code>` counts: the share of a role's utterances with at least one non-negated match)
and the classifier (`p_<code>` probabilities: their mean over a role's utterances, the
expected share of utterances with the code)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..schema import SPEAKING_ROLE_NAMES

SOURCES = ("markers", "classifier")


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
    columns = {
        source: _present(utterances, prefixes[source][0], codes, source, marker_only)
        for source in sources
    }
    rows = []
    for session_id, group in utterances.groupby("session_id", sort=False):
        row: dict[str, object] = {"session_id": session_id}
        for role in SPEAKING_ROLE_NAMES:
            said = group[group["role"] == role]
            row[f"n_utterances_{role}"] = len(said)
            for source in sources:
                prefix, name = prefixes[source]
                means = _means(said, [prefix + code for code in columns[source]], source)
                for code, mean in zip(columns[source], means, strict=True):
                    row[f"{name}_{role}_{code}"] = mean
        rows.append(row)
    return pd.DataFrame(rows)


def _present(
    table: pd.DataFrame, prefix: str, codes: list[str], source: str, marker_only: set[str]
) -> list[str]:
    """The codes with a column for this source, in codebook order."""
    present = []
    for code in codes:
        if prefix + code in table:
            present.append(code)
        elif not (source == "classifier" and code in marker_only):  # a pack code: no classifier
            raise ValueError(f"the utterance table has no {prefix}{code} column")
    return present


def _means(said: pd.DataFrame, columns: list[str], source: str) -> list[float | None]:
    """Column means skipping gaps, markers counted once per utterance: each column summed
    on its own contiguous row, as `Series.mean` does (same digits), in one call for all."""
    if not len(said):
        return [None] * len(columns)
    values = np.ascontiguousarray(said[columns].to_numpy(dtype=float).T)
    if source == "markers":
        values = np.minimum(values, 1.0)
    counts = (~np.isnan(values)).sum(axis=1)
    with np.errstate(invalid="ignore"):  # a column of gaps only: NaN, as pandas gives
        return [float(mean) for mean in np.nansum(values, axis=1) / counts]
