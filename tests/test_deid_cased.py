"""De-identification: the NER model on case-restored copies of lower-case turns."""

from __future__ import annotations

import pytest

pytest.importorskip("presidio_analyzer")

from transcript_alliance.deid.cased import (
    cased_entities,
    is_lower_case,
    keep,
    restore_case,
    trim,
)
from transcript_alliance.deid.engine import find_identifiers


def test_lower_case_turns_only() -> None:
    assert is_lower_case("i think so, yeah")
    assert is_lower_case("I think so")  # a lone I is what recognisers write
    assert not is_lower_case("Maya said so")
    assert restore_case("We saw Maya at Walgreens") is None


def test_restored_copy_keeps_offsets_and_raises_names_not_grammar() -> None:
    text = "i picked up my meds at the walgreens, she's fine"
    restored = restore_case(text)
    assert restored is not None and len(restored) == len(text)
    assert restored.casefold() == text.casefold()
    assert restored.startswith("I picked up my ")  # verbs and stop words stay lower
    assert "Walgreens" in restored  # not an English word
    assert "she's" in restored  # a contraction of a stop word
    assert "Meds" in restore_case("meds")  # a noun WordNet knows only as a noun


def test_trim_drops_stop_words_at_the_ends() -> None:
    text = "she said fine he's okay"
    start = text.index("fine")
    assert trim(text, start, len("she said fine he's")) == (start, start + 4)
    assert trim(text, 0, 3) is None  # only a stop word


@pytest.mark.parametrize(
    ("span", "label", "kept"),
    [
        ("walgreens", "ORG", True),  # not English
        ("denver health", "ORG", True),  # two words, none a stop word
        ("hospital", "ORG", False),  # one English noun
        ("carol", "PERSON", True),  # a common first name as a person
        ("carol", "ORG", False),
        ("coffee", "PERSON", False),
    ],
)
def test_keep(span: str, label: str, kept: bool) -> None:
    assert keep(span, label) is kept


def test_cased_entities_find_lower_case_organisations() -> None:
    texts = [
        "my appointment at denver health got moved to next week",
        "she went to carnegie mellon for two years",
        "we went to the hospital and had coffee",
        "My appointment at denver health got moved",  # capitals: left to the plain NER
    ]
    found = cased_entities(texts)
    spans = [
        [(t[f.start : f.end], f.kind, f.recognizer) for f in hits] for t, hits in zip(texts, found)
    ]
    assert spans[0] == [("denver health", "ORGANIZATION", "cased_ner")]
    assert spans[1] == [("carnegie mellon", "ORGANIZATION", "cased_ner")]
    assert spans[2] == [] and spans[3] == []


def test_find_identifiers_widens_but_keeps_persons() -> None:
    texts = [
        "my appointment at denver health got moved to next week",
        "blurry. my sister grace flew in from phoenix",
    ]
    widened, sister = find_identifiers(texts)
    assert [(texts[0][f.start : f.end], f.kind) for f in widened] == [
        ("denver health", "ORGANIZATION")
    ]
    kinds = {texts[1][f.start : f.end]: f.kind for f in sister}
    assert "sister grace" not in kinds  # the case-restored ORG does not swallow a person
    assert any(f.kind == "PERSON" and texts[1][f.start : f.end].endswith("grace") for f in sister)
