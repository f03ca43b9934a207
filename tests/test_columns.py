"""The data dictionary (docs/COLUMNS.md) says what every column `code` writes means, and
stays in sync with transcript_alliance/column_docs.py."""

from __future__ import annotations

import pandas as pd
import pytest

import transcript_alliance as ta
from transcript_alliance.column_docs import TABLES, describe, render_markdown

from .conftest import ROOT, SAMPLES


def test_the_page_is_the_modules():
    page = (ROOT / "docs" / "COLUMNS.md").read_text(encoding="utf-8")
    assert page == render_markdown() + "\n", "run: python scripts/write_columns_doc.py"


@pytest.mark.parametrize(
    ("table", "column", "name"),
    [
        ("sessions.csv", "marker_rate_client_goal_consensus", "marker_rate_<role>_<code>"),
        ("sessions.csv", "classifier_rate_therapist_we_language", "classifier_rate_<role>_<code>"),
        ("sessions.csv", "bond_low", "<part>_low"),
        ("sessions.csv", "n_utterances", "n_utterances"),
        ("utterances.parquet", "p_side_effect_raised", "p_<code>"),
        ("program.csv", "total_slope_per_week", "<part>_slope_per_week"),
    ],
)
def test_families_are_matched_by_pattern(table, column, name):
    assert describe(table, column).name == name


def test_an_unknown_column_is_not_documented():
    assert describe("sessions.csv", "made_up_column") is None
    assert describe("sessions.csv", "marker_rate_observer_x") is None


@pytest.mark.slow
def test_every_column_code_writes_on_the_samples_is_documented(tmp_path):
    manifest = pd.read_csv(SAMPLES / "manifest.csv", dtype=str, keep_default_na=False)
    # one session of each type (a team session with program/week, a medication visit)
    manifest = manifest[manifest["session_id"].isin(["maya_02", "med_tom_02", "team_jamie_wk3"])]
    manifest["path"] = [str(SAMPLES / p) for p in manifest["path"]]
    manifest["site"] = "north"  # a lab's own column is kept and documented as such
    path = tmp_path / "manifest.csv"
    manifest.to_csv(path, index=False)
    out = tmp_path / "coded"
    summary = ta.code([], out, manifest=path, classifier="fast", resamples=50)
    assert not summary.failures
    sessions = pd.read_csv(out / "sessions.csv")
    assert {"date", "modality", "site", "program", "week"} <= set(sessions.columns)
    missing = []
    for table in TABLES:
        file = out / table
        if table == "errors.csv" or not file.exists():
            continue
        frame = pd.read_parquet(file) if file.suffix == ".parquet" else pd.read_csv(file)
        missing += [f"{table}: {c}" for c in frame.columns if describe(table, c) is None]
    assert missing == ["sessions.csv: site"], missing  # the catch-all <key> is by name only


@pytest.mark.parametrize(
    ("table", "contract"),
    [
        ("utterances.parquet", "UTTERANCE_COLUMNS"),
        ("markers.parquet", "MARKER_COLUMNS"),
        ("evidence.csv", "EVIDENCE_COLUMNS"),
        ("ruptures.csv", "RUPTURE_COLUMNS"),
        ("dyads.csv", "DYAD_COLUMNS"),
        ("errors.csv", "ERROR_COLUMNS"),
        ("sessions.csv", "MITI_COLUMNS"),
    ],
)
def test_every_contract_column_is_documented(table, contract):
    from transcript_alliance import schema

    columns = getattr(schema, contract)
    assert [c for c in columns if describe(table, c) is None] == []
