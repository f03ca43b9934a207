"""Negation and hedging scope in the manner of ConText (Harkema et al., 2009; medspaCy):
a cue before a match, inside the same clause and a few tokens away, modifies it; a
terminator ("but", "though", a semicolon) ends the scope. "I don't agree" is not agreement;
"I guess that could work" is hedged endorsement. The cue lists are data
(`context.yaml` beside this file, validated on load), short on purpose."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from ...io import packaged_yaml

Cue = tuple[str, ...]  # lower-cased token texts, matched in sequence


class ContextCues(BaseModel):
    """The contents of `context.yaml`: the negation and hedging cue lists (ConText;
    Harkema et al., 2009), validated on load; unknown keys refused.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    negation: frozenset[str] = Field(description="one-token cues that negate what follows")
    hedges: tuple[Cue, ...] = Field(description="cues that hedge what follows")
    pseudo_negations: tuple[Cue, ...] = Field(description="negation look-alikes, not cues")
    terminators: frozenset[str] = Field(description="tokens that end a cue's scope")
    window: int = Field(ge=1, le=20, description="tokens before a match a cue may stand in")


CUES = packaged_yaml(__package__, "context.yaml", ContextCues)
NEGATION_CUES = CUES.negation
HEDGE_CUES = list(CUES.hedges)
PSEUDO_NEGATIONS = list(CUES.pseudo_negations)
TERMINATORS = CUES.terminators
WINDOW = CUES.window


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
