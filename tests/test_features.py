"""Session features from markers and classifier together, or either alone."""

from __future__ import annotations

import pandas as pd
import pytest

from transcript_alliance.estimate.features import session_code_features


@pytest.fixture
def table():
    return pd.DataFrame(
        {
            "session_id": ["a", "a", "a", "b"],
            "role": ["therapist", "client", "client", "client"],
            "m_repair": [2, 0, 0, 0],
            "p_repair": [0.9, 0.1, 0.3, 0.0],
        }
    )


def test_both_sources_give_rates_per_role(table):
    row = session_code_features(table, ["repair"]).set_index("session_id").loc["a"]
    assert row["marker_rate_therapist_repair"] == 1.0  # two matches in one utterance: 1
    assert row["classifier_rate_client_repair"] == pytest.approx(0.2)
    assert row["n_utterances_client"] == 2


def test_either_source_can_be_switched_off(table):
    markers_only = session_code_features(table.drop(columns="p_repair"), ["repair"], ["markers"])
    assert not any(c.startswith("classifier_") for c in markers_only.columns)
    classifier_only = session_code_features(table, ["repair"], ["classifier"])
    assert not any(c.startswith("marker_") for c in classifier_only.columns)
    assert pd.isna(classifier_only.loc[1, "classifier_rate_therapist_repair"])  # no therapist


def test_a_missing_column_is_named(table):
    with pytest.raises(ValueError, match="p_repair"):
        session_code_features(table.drop(columns="p_repair"), ["repair"])
