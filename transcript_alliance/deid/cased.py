"""The NER model on a case-restored copy of lower-case turns (speech recognition output).

spaCy's English NER leans on capitals: on `my manager at the ups hub hunter` it finds
little. A turn written without any capital (a lone `I` aside) is copied with the first
letter of some words raised, offsets unchanged, and the model's PERSON, ORG, GPE, LOC and
FAC entities on that copy become hits on the original. A word is raised when it is not
ordinary English (`lexicon.is_english`: not in WordNet, not a stop word or filler), when
it is one of the commonest census first names, or when WordNet knows it only as a noun
(`hospital`, `depot`: words that head names). The statistical model then decides, from
the context it was trained on, which raised words form a name and of what kind.

Raising every noun makes the model call lone nouns names (`Hospital`, `Coffee`), so an
entity, without stop words at its ends (`trim`), is kept only when it holds a word that
is not English (`walgreens`), or two or more words none of which is a stop word (`denver
health`, `carnegie mellon`), or when it is a PERSON made of one common first name
(`madison`, `carol`). Turns with capitals are left to the ordinary NER run.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from spacy.lang.en.stop_words import STOP_WORDS

from .found import Found
from .lexicon import in_wordnet, is_english, name_lists

if TYPE_CHECKING:
    from spacy.language import Language

LABELS = {"PERSON": "PERSON", "ORG": "ORGANIZATION", "GPE": "LOCATION", "LOC": "LOCATION"}
LABELS["FAC"] = "LOCATION"
SCORE = 0.5
_WORD = re.compile(r"[^\W\d_][^\W\d_'’-]*(?:['’-][^\W\d_]+)*")
_CAPITAL = re.compile(r"[A-Z]")
_LONE_I = re.compile(r"\bI\b")


def is_lower_case(text: str) -> bool:
    """Whether a turn has no capital letter but a lone `I` (speech recogniser style).

    Parameters
    ----------
    text : str

    Returns
    -------
    bool
    """
    return _CAPITAL.search(_LONE_I.sub("", text)) is None


def _raised(word: str) -> bool:
    w = word.casefold()
    if _stop(w):
        return False
    if not is_english(w) or w in name_lists().common_first:
        return True
    return len(w) > 2 and w.isalpha() and not in_wordnet(w, ("verb", "adj", "adv"))


def restore_case(text: str) -> str | None:
    """A copy of a lower-case turn with names' likely first letters raised (see the module
    docstring); same length, so offsets carry over.

    Parameters
    ----------
    text : str
        One turn.

    Returns
    -------
    str or None
        None where the turn has capitals of its own (it is left to the ordinary NER).
    """
    if not is_lower_case(text):
        return None

    def fix(m: re.Match) -> str:
        word = m.group()
        if word == "i":
            return "I"
        up = word[0].upper()
        return up + word[1:] if len(up) == 1 and _raised(word) else word

    return _WORD.sub(fix, text)


def keep(span: str, label: str) -> bool:
    """Whether an entity found on the restored copy is kept (see the module docstring).

    Parameters
    ----------
    span : str
        The entity's text in the original (lower-case) turn.
    label : str
        The spaCy label (PERSON, ORG, GPE, LOC, FAC).

    Returns
    -------
    bool
    """
    words = [w.casefold() for w in _WORD.findall(span)]
    if not words:
        return False
    if any(not is_english(w) for w in words):
        return True
    if len(words) >= 2 and not any(_stop(w) for w in words):
        return True
    return label == "PERSON" and len(words) == 1 and words[0] in name_lists().common_first


_DETERMINER = re.compile(r"\b(?:the|a|an|our|my|your|his|her|their|this|that)\s$", re.I)


def generic(text: str, start: int, end: int) -> bool:
    """Whether an entity of English words only is a common noun phrase after a determiner
    ('our psychiatry clinic', 'the probation office'): no word in it is proper-name-like
    (`spoken._name_like`: a town, a name on the census lists, a word that is not English).

    Parameters
    ----------
    text : str
        The turn.
    start, end : int
        The entity's character offsets (trimmed).

    Returns
    -------
    bool
    """
    from .spoken import _name_like

    words = [w.casefold() for w in _WORD.findall(text[start:end])]
    if len(words) < 2 or not all(is_english(w) for w in words):
        return False
    return bool(_DETERMINER.search(text[:start])) and not _name_like(text, start, end)


# Fixed phrases that open with a word that is also a first name: said as words, not names
# ("mark my words" was taken for a Mark by the NER on the restored copy, then replaced in
# every turn of the client's sessions).
_IDIOM = re.compile(
    r"(?:mark my words|mark you|will do|will be|sue me|bill me|rob me|frank with|"
    r"hope so|hope not|grace period|pat on the back|rich in|sandy beach)\b",
    re.I,
)


def idiom(text: str, start: int, end: int) -> bool:
    """Whether a one-word entity opens a fixed phrase in which it is a word, not a name
    ('mark my words', 'hope so', 'will do').

    Parameters
    ----------
    text : str
        The turn.
    start, end : int
        The entity's character offsets (trimmed).

    Returns
    -------
    bool
    """
    return len(_WORD.findall(text[start:end])) == 1 and bool(_IDIOM.match(text, start))


def _stop(word: str) -> bool:
    """A stop word, with a contraction's or possessive's ending dropped (`he's`, `we'd`)."""
    return re.split(r"['’]", word.casefold())[0] in STOP_WORDS


def trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """An entity's span without stop words at either end (`fine he's` -> `fine`, `the
    walgreens` -> `walgreens`): a stop word kept in a person's name would be taken for a
    name part and replaced wherever it is said.

    Parameters
    ----------
    text : str
        The turn.
    start, end : int
        The entity's character offsets.

    Returns
    -------
    tuple of int or None
        The trimmed offsets; None where nothing but stop words is left.
    """
    words = [m for m in _WORD.finditer(text, start, end) if not _stop(m.group())]
    if not words:
        return None
    first = next(m for m in _WORD.finditer(text, start, end) if not _stop(m.group()))
    return first.start(), max(m.end() for m in words)


@lru_cache(maxsize=2)
def _ner(model: str) -> Language:
    """The pipeline's entity recognizer alone (a copy of its own: Presidio's runs every
    component)."""
    from ..nlp import load_spacy

    nlp = load_spacy(model)
    nlp.select_pipes(enable=[p for p in ("tok2vec", "ner") if p in nlp.pipe_names])
    return nlp


def cased_entities(texts: list[str], model: str | None = None) -> list[list[Found]]:
    """Names, places and organisations the NER model finds on case-restored copies of the
    lower-case turns among `texts`.

    Parameters
    ----------
    texts : list of str
        Turn texts.
    model : str, optional
        The spaCy pipeline (default: the toolkit's, `nlp.model_name()`).

    Returns
    -------
    list of list of Found
        Per text (empty for turns with capitals), hits with recognizer ``cased_ner`` and
        score `SCORE`, character offsets into the original text.
    """
    from ..nlp import model_name

    restored = [restore_case(t) for t in texts]
    todo = [i for i, r in enumerate(restored) if r and r.strip()]
    out: list[list[Found]] = [[] for _ in texts]
    if not todo:
        return out
    nlp = _ner(model or model_name())
    docs = nlp.pipe([restored[i] for i in todo], batch_size=64)
    for i, doc in zip(todo, docs):
        for ent in doc.ents:
            kind = LABELS.get(ent.label_)
            span = trim(texts[i], ent.start_char, ent.end_char) if kind else None
            if (
                span
                and keep(texts[i][span[0] : span[1]], ent.label_)
                and not generic(texts[i], *span)
                and not idiom(texts[i], *span)
            ):
                out[i].append(Found(*span, kind, "cased_ner", SCORE))
    return out
