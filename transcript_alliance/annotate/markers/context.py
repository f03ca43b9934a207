"""Negation and hedging scope in the manner of ConText (Harkema et al., 2009; medspaCy):
a cue before a match, inside the same clause and a few tokens away, modifies it; a
terminator ("but", "though", a semicolon) ends the scope. "I don't agree" is not agreement;
"I guess that could work" is hedged endorsement. Cue lists are data here, short on purpose."""

from __future__ import annotations

from collections.abc import Sequence

NEGATION_CUES = {
    "not",
    "n't",
    "never",
    "no",
    "nothing",
    "hardly",
    "nobody",
    "nowhere",
    "neither",
    "nor",
    "cannot",
}
# Multi-word cues are matched on lower-cased token sequences.
HEDGE_CUES = [
    ("i", "guess"), ("i", "suppose"), ("maybe",), ("perhaps",), ("probably",), ("kind", "of"),
    ("sort", "of"), ("kinda",), ("sorta",), ("might",), ("possibly",), ("i", "think"),
    ("not", "sure"), ("i", "do", "n't", "know", "if"), ("could", "be"),
]  # fmt: skip
PSEUDO_NEGATIONS = [
    ("no", "doubt"), ("not", "only"), ("no", "problem"), ("not", "bad"), ("no", "wonder"),
    ("not", "a", "grade"), ("not", "failure"), ("no", "matter"),
]  # fmt: skip
TERMINATORS = {"but", "though", "although", "however", "yet", ";", "except"}
WINDOW = 6  # tokens before the match that a cue may stand in


def scope_flags(
    words: Sequence[str], start: int, end: int, negatable: bool, floor: int = 0
) -> tuple[bool, bool]:
    """(negated, hedged) for the match words[start:end], `words` being a Doc's lower-case
    token texts; cues are looked for back to `floor` (the utterance's first token) at most."""
    left = start
    while left > floor and start - left < WINDOW and words[left - 1] not in TERMINATORS:
        left -= 1
    before, inside = words[left:start], words[start:end]
    negated = negatable and (_has_negation(before) or _has_negation(inside))
    hedged = _has_sequence(before, HEDGE_CUES) or _has_sequence(inside, HEDGE_CUES)
    return negated, hedged


def _has_negation(words: Sequence[str]) -> bool:
    for i, word in enumerate(words):
        if word not in NEGATION_CUES:
            continue
        if word == "no" and words[i + 1 : i + 2] == [","]:
            continue  # "No, that makes sense": an interjection, not a negation of what follows
        if not any(tuple(words[i : i + len(p)]) == p for p in PSEUDO_NEGATIONS):
            return True
    return False


_HEDGE_STARTS = {cue[0] for cue in HEDGE_CUES}


def _has_sequence(words: Sequence[str], cues: list[tuple[str, ...]]) -> bool:
    return any(
        tuple(words[i : i + len(c)]) == c
        for i, word in enumerate(words)
        if word in _HEDGE_STARTS
        for c in cues
        if c[0] == word
    )
