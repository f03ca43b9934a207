"""De-identification: the NER model trained on the planted transcripts (deid/learned.py) and
the leave-sets-out folds of scripts/train_deid_ner.py (nothing is trained here)."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

import pytest

pytest.importorskip("presidio_analyzer")

from transcript_alliance.deid.engine import find_identifiers
from transcript_alliance.deid.learned import (
    active_model,
    learned_entities,
    load,
    plausible,
    shipped_model,
    using,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def trainer():
    """scripts/train_deid_ner.py as a module (it imports its neighbour evaluate_deid)."""
    path = ROOT / "scripts" / "train_deid_ner.py"
    spec = importlib.util.spec_from_file_location("train_deid_ner", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["train_deid_ner"] = module
    spec.loader.exec_module(module)
    return module


def test_the_model_ships_in_the_package_and_loads_from_there() -> None:
    folder = shipped_model()
    assert folder.parts[-3:] == ("deid", "models", "names_lower")
    assert (folder / "config.cfg").is_file() and (folder / "README.md").is_file()
    assert sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) < 10_000_000
    assert active_model() == folder
    nlp = load(str(folder))
    assert nlp.pipe_names == ["ner"]
    assert nlp.meta["name"] == "deid_names_lower"
    assert {"PERSON", "ORG", "GPE"} <= set(nlp.get_pipe("ner").labels)


def test_a_lower_case_name_the_rules_miss() -> None:
    text = "ranger keeps texting me about the rent"
    with using(None):
        assert find_identifiers([text]) == [[]]
    (hits,) = find_identifiers([text])
    assert [(text[h.start : h.end], h.kind, h.recognizer) for h in hits] == [
        ("ranger", "PERSON", "learned_ner")
    ]


def test_only_lower_case_turns_and_nothing_when_switched_off() -> None:
    lower, cased = "ranger keeps texting me about the rent", "Ranger keeps texting me"
    found = learned_entities([lower, cased, ""])
    assert [len(f) for f in found] == [1, 0, 0]
    with using(None):
        assert learned_entities([lower]) == [[]]


@pytest.mark.parametrize(
    ("span", "kind", "kept"),
    [
        ("appetite", "PERSON", False),  # a lone English word that names no one
        ("hunter", "PERSON", True),  # on the census first-name lists
        ("duluth", "LOCATION", True),  # a town in the gazetteer
        ("apaq", "PERSON", True),  # not an English word
        ("buddy", "PERSON", False),  # never a name (spoken._NEVER_NAMES)
        ("chase", "ORGANIZATION", False),  # a name, but a lone English word is no business
        ("premier health", "ORGANIZATION", True),  # two words
    ],
)
def test_plausible(span: str, kind: str, kept: bool) -> None:
    assert plausible(span, kind) is kept


def test_folds_leave_one_written_apart_set_out(trainer) -> None:
    files = sorted((ROOT / "data" / "deid" / "planted").glob("*.txt"))
    folds = trainer.folds(files, [6, 10])
    assert [n for n, _, _ in folds] == [6, 10]
    for number, training, test in folds:
        first = 34 + 5 * (number - 6)
        assert sorted(int(f.name[:2]) for f in test) == list(range(first, first + 5))
        assert not set(training) & set(test)
        assert sorted(training + test) == files
    with pytest.raises(KeyError):
        trainer.set_files(5, files)


def test_swapped_values_keep_their_kind_case_and_offsets(trainer) -> None:
    text = "i saw maya at the kroger on monday, maya was fine"
    spans = [(6, 10, "PERSON"), (18, 24, "ORGANIZATION"), (28, 34, "DATE"), (36, 40, "PERSON")]
    turn = trainer.Turn(text, spans)
    values = {"first": ["Lena"], "last": ["Ortiz"], "LOCATION": ["x"], "towns": ["y"]}
    values["ORGANIZATION"] = ["Blue Moon Diner"]
    copy = trainer.swapped(turn, values, random.Random(0))
    said = [(copy.text[s:e], k) for s, e, k in copy.spans]
    assert said == [
        ("lena", "PERSON"),
        ("blue moon diner", "ORGANIZATION"),
        ("monday", "DATE"),
        ("lena", "PERSON"),
    ]
    assert trainer.swapped(trainer.Turn("nothing here", [(0, 7, "DATE")]), values, None) is None


def test_a_word_after_a_possessive_is_no_name() -> None:
    from transcript_alliance.deid.learned import possessed

    text = "enjoy it in your golden years"
    start = text.index("golden")
    assert possessed(text, start, start + len("golden"))
    text = "we drove up to golden last week"
    start = text.index("golden")
    assert not possessed(text, start, start + len("golden"))
