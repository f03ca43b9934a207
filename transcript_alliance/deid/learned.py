"""A statistical NER model trained on the project's own planted transcripts, run on
lower-case turns (speech recognition output) as one more finder.

The rules and the general-purpose spaCy model miss names said in lower case that are
ordinary words (`hope`, `will`) and organisations named by words or brands (`the kroger on
brown street`). The model in ``models/names_lower`` is en_core_web_sm's entity recognizer
fine-tuned on `data/deid/planted/` only (the files as written and lower-cased copies,
names swapped for others from the census lists), by ``scripts/train_deid_ner.py``; its
model card gives the training command and the leave-sets-out figures that decided its
use. Its PERSON, ORG and GPE/LOC/FAC entities become PERSON, ORGANIZATION and LOCATION
hits, recognizer ``learned_ner``. It is loaded from the package folder only (offline),
once per process, the first time a lower-case turn is met.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from .cased import _WORD, generic, idiom, is_lower_case, trim
from .found import Found

if TYPE_CHECKING:
    from spacy.language import Language

LABELS = {"PERSON": "PERSON", "ORG": "ORGANIZATION", "GPE": "LOCATION", "LOC": "LOCATION"}
LABELS["FAC"] = "LOCATION"
SCORE = 0.45  # below the case-restored NER's 0.5: where both find a span, theirs wins
RECOGNIZER = "learned_ner"


def shipped_model() -> Path:
    """The folder of the model shipped with the package (``deid/models/names_lower``).

    Returns
    -------
    Path
        It may be missing in a source tree without the model; `learned_entities` then
        finds nothing.
    """
    return Path(str(files(__package__).joinpath("models", "names_lower")))


# Which model the finder runs: the shipped one unless a caller says otherwise (the
# leave-sets-out evaluation swaps in one model per fold, or None for rules alone).
_MODEL: ContextVar[Path | None] = ContextVar("learned_ner_model", default=None)
_SET: ContextVar[bool] = ContextVar("learned_ner_model_set", default=False)


@contextmanager
def using(model: Path | None) -> Iterator[None]:
    """Run the learned finder with another model folder, or not at all (None), inside the
    block.

    Parameters
    ----------
    model : Path or None
        A spaCy pipeline folder with an ``ner`` component; None switches the finder off.

    Yields
    ------
    None
    """
    token, flag = _MODEL.set(model), _SET.set(True)
    try:
        yield
    finally:
        _MODEL.reset(token)
        _SET.reset(flag)


def active_model() -> Path | None:
    """The model folder the finder runs now: the one given to `using`, else the shipped
    one where it exists, else None.

    Returns
    -------
    Path or None
    """
    if _SET.get():
        return _MODEL.get()
    path = shipped_model()
    return path if (path / "config.cfg").is_file() else None


@lru_cache(maxsize=2)
def load(path: str) -> Language:
    """The pipeline in a local folder, loaded once per process (`nlp.load_spacy` of a path:
    nothing is downloaded, no other package's spaCy plugins are imported).

    Parameters
    ----------
    path : str
        The folder.

    Returns
    -------
    spacy.language.Language
    """
    from ..nlp import load_spacy

    return load_spacy(path)


def plausible(span: str, kind: str) -> bool:
    """Whether an entity the model found can be a name: two words or more, or one word
    that is not English (`apaq`), or, for a person or a place, a first name or a common
    surname on the census lists (`hunter`, `wren`) or a town, state or country
    (`duluth`); never a word that is never a name (`spoken._NEVER_NAMES`: 'buddy'). The
    model calls lone nouns names ('appetite', 'trauma', 'docket'); this is the rule that
    `cased.keep` applies, with the name lists and the gazetteer in place of the commonest
    first names. A lone English word is no organisation ('chase the feeling').

    Parameters
    ----------
    span : str
        The entity's text (trimmed).
    kind : str
        PERSON, LOCATION or ORGANIZATION.

    Returns
    -------
    bool
    """
    from .lexicon import is_english, name_lists
    from .spoken import _NEVER_NAMES, fold, place_names

    words = [w.casefold() for w in _WORD.findall(span)]
    if len(words) != 1:
        return len(words) > 1
    (word,) = words
    if word in _NEVER_NAMES:
        return False
    if not is_english(word):
        return True
    lists = name_lists()
    return kind != "ORGANIZATION" and (
        word in lists.first or word in lists.common_last or fold(word) in place_names()
    )


def learned_entities(texts: list[str], model: Path | None = None) -> list[list[Found]]:
    """Names, places and organisations the learned model finds in the lower-case turns
    among `texts`.

    Parameters
    ----------
    texts : list of str
        Turn texts.
    model : Path, optional
        The model folder; `active_model()` when None.

    Returns
    -------
    list of list of Found
        Per text (empty for turns with capitals, and for all where no model is active),
        hits with recognizer ``learned_ner`` and score `SCORE`, trimmed of stop words at
        their ends, without common noun phrases ('the probation office'), idioms ('hope
        so') and lone words that name nothing (`plausible`).
    """
    out: list[list[Found]] = [[] for _ in texts]
    model = model or active_model()
    todo = [i for i, t in enumerate(texts) if t.strip() and is_lower_case(t)]
    if model is None or not todo:
        return out
    nlp = load(str(model))
    for i, doc in zip(todo, nlp.pipe([texts[i] for i in todo], batch_size=64)):
        for ent in doc.ents:
            kind = LABELS.get(ent.label_)
            span = trim(texts[i], ent.start_char, ent.end_char) if kind else None
            if (
                span
                and plausible(texts[i][span[0] : span[1]], kind)
                and not generic(texts[i], *span)
                and not idiom(texts[i], *span)
                and not possessed(texts[i], *span)
            ):
                out[i].append(Found(*span, kind, RECOGNIZER, SCORE))
    return out


def possessed(text: str, start: int, end: int) -> bool:
    """Whether a one-word entity that is an English word follows a possessive determiner
    ('your golden years': `golden` is a town too), so it is said as a word.

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
    from .lexicon import is_english
    from .spoken import POSSESSIVES

    words = _WORD.findall(text[start:end])
    before = _WORD.findall(text[:start])[-1:]  # English names take no possessive
    return (
        len(words) == 1
        and is_english(words[0])
        and bool(before)
        and before[0].casefold() in POSSESSIVES
    )
