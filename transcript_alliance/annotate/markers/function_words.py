"""Token statistics for the style measures, per utterance: function-word counts in nine
categories (approximating the LIWC categories Ireland & Pennebaker, 2010, used for language
style matching, with spaCy's tags and short word lists) and content lemmas for lexical
alignment. Read from one `Doc.to_array` call per turn: no Token objects are made."""

from __future__ import annotations

from spacy.attrs import IS_PUNCT, IS_SPACE, IS_STOP, LEMMA, LOWER, POS, SENT_START
from spacy.strings import get_string_id
from spacy.symbols import ADJ, ADP, ADV, AUX, CCONJ, NOUN, PRON, PROPN, SCONJ, VERB
from spacy.tokens import Doc

from ...session import TokenStats

ARTICLES = {"a", "an", "the"}
NEGATIONS = {
    "not",
    "n't",
    "no",
    "never",
    "neither",
    "nor",
    "none",
    "nobody",
    "nothing",
    "nowhere",
    "cannot",
}
QUANTIFIERS = {
    "all",
    "some",
    "any",
    "many",
    "much",
    "more",
    "most",
    "few",
    "lot",
    "lots",
    "every",
    "each",
    "several",
    "enough",
    "less",
    "least",
    "both",
    "half",
}
PERSONAL_PRONOUNS = {
    "i",
    "me",
    "my",
    "mine",
    "myself",
    "we",
    "us",
    "our",
    "ours",
    "ourselves",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
    "he",
    "him",
    "his",
    "himself",
    "she",
    "her",
    "hers",
    "herself",
    "they",
    "them",
    "their",
    "theirs",
    "themselves",
}

_ids = lambda words: {get_string_id(w) for w in words}  # noqa: E731
_PERSONAL, _ARTICLES, _NEGATIONS, _QUANTIFIERS = map(
    _ids, (PERSONAL_PRONOUNS, ARTICLES, NEGATIONS, QUANTIFIERS)
)
_CONTENT_POS = {NOUN, VERB, ADJ, ADV, PROPN}
_ATTRS = [SENT_START, LOWER, POS, IS_PUNCT, IS_SPACE, IS_STOP, LEMMA]
# The categories a word counts toward by its form, and the one a tag adds (at most one).
_BY_WORD: dict[int, tuple[str, ...]] = {}
for _name, _words in (
    ("personal_pronouns", _PERSONAL),
    ("articles", _ARTICLES),
    ("negations", _NEGATIONS),
    ("quantifiers", _QUANTIFIERS),
):
    for _word in _words:
        _BY_WORD[_word] = (*_BY_WORD.get(_word, ()), _name)
_BY_POS = {
    CCONJ: "conjunctions",
    SCONJ: "conjunctions",
    ADP: "prepositions",
    AUX: "auxiliary_verbs",
    ADV: "adverbs",
}


def token_stats(doc: Doc) -> list[TokenStats]:
    """One TokenStats per utterance of `doc` (its sentences when sentence starts are set,
    else the whole Doc). (Dictionary lookups per token rather than a chain of tests: this
    runs over every word of a corpus.)"""
    rows = doc.to_array(_ATTRS).tolist()
    strings = doc.vocab.strings
    out = []
    counts: dict[str, int] = {}
    content: set[str] = set()
    words = 0
    for number, (start, lower, pos, punct, space, stop, lemma) in enumerate(rows):
        if start == 1 and number:  # a new utterance begins
            out.append(TokenStats(words, counts, frozenset(content)))
            counts, content, words = {}, set(), 0
        if punct or space:
            continue
        words += 1
        for name in _BY_WORD.get(lower, ()):
            counts[name] = counts.get(name, 0) + 1
        if pos == PRON and lower not in _PERSONAL:
            counts["impersonal_pronouns"] = counts.get("impersonal_pronouns", 0) + 1
        if (name := _BY_POS.get(pos)) is not None:
            counts[name] = counts.get(name, 0) + 1
        if pos in _CONTENT_POS and not stop:
            content.add(strings[lemma].lower())
    out.append(TokenStats(words, counts, frozenset(content)))
    return out
