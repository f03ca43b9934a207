"""The medication pack: its codes' own examples, and that it loads only for its type."""

from __future__ import annotations

from functools import lru_cache

import pytest

from transcript_alliance.annotate.markers import load_codebook, marker_pipeline

BASE = load_codebook()
BOOK = load_codebook(session_type="medication")
PACK = [c for c in BOOK.codes if c.id not in BASE.ids]


@lru_cache(maxsize=1)
def _nlp():
    return marker_pipeline(session_type="medication")


def _positive(text: str, code: str) -> bool:
    doc = _nlp()(text)
    return any(s.label_ == code and not s._.alliance_negated for s in doc.spans["alliance"])


EXAMPLES = [(c.id, e, True) for c in PACK for e in c.examples.positive] + [
    (c.id, e, False) for c in PACK for e in c.examples.negative
]


@pytest.mark.parametrize(("code", "text", "expected"), EXAMPLES)
def test_pack_examples(code, text, expected):
    assert _positive(text, code) is expected


def test_pack_adds_codes_and_names_itself_in_the_version():
    assert len(PACK) >= 7
    assert BOOK.version == f"{BASE.version}+medication-1.0.0"
    for code in PACK:
        assert len(code.examples.positive) >= 3 and len(code.examples.negative) >= 1
    assert load_codebook(session_type="psychotherapy").ids == BASE.ids  # no pack: the default


def test_medication_codebook_doc_is_current():
    from transcript_alliance.annotate.markers.export import codebook_markdown

    from .conftest import ROOT

    assert (ROOT / "docs" / "CODEBOOK_MEDICATION.md").read_text() == codebook_markdown(BOOK), (
        "docs/CODEBOOK_MEDICATION.md is stale: run transcript-alliance codebook export "
        "--format md --session-type medication --out docs/CODEBOOK_MEDICATION.md"
    )


def test_markers_command_takes_the_session_type(run_cli, tmp_path):
    from .conftest import SAMPLES

    out = tmp_path / "u.csv"
    visit = SAMPLES / "sessions" / "med_alicia_03.txt"
    result = run_cli("markers", visit, "--session-type", "medication", "--out", out)
    assert result.code == 0, result.err
    import pandas as pd

    table = pd.read_csv(out)
    assert table["m_side_effect_dismissed"].sum() >= 2
    plain = run_cli("markers", visit, "--out", tmp_path / "p.csv")
    assert plain.code == 0 and "m_side_effect_dismissed" not in pd.read_csv(tmp_path / "p.csv")
