"""Token patterns grouped by the word their first token must be, so that spaCy's Matcher
runs only where that word occurs, on the stretch of the utterance a match could cover, and
only when the rest of the utterance holds the other words one of the patterns requires.

spaCy's Matcher starts every pattern at every token and pays for each state in Python
(building Token objects, set predicates), so its cost grows with tokens x patterns. Most
codebook patterns begin with a fixed word ("we", "i", "that"...) and require a few others
later, and a pattern cannot match where those words are absent: looking the words up in
one `Doc.to_array` call and running each first word's few patterns from there gives the
same matches at a fraction of the cost (bench/bench_markers.py). Patterns without such a
first word run on the whole Doc as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.attrs import LEMMA, LOWER, NORM, ORTH
from spacy.matcher import Matcher
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.vocab import Vocab

# Pattern keys that name a token's word, and the attribute each compares.
WORD_ATTRS = {"LOWER": LOWER, "ORTH": ORTH, "TEXT": ORTH, "LEMMA": LEMMA, "NORM": NORM}
# Operators that consume at most one token, so a pattern made of them has a bounded length.
BOUNDED_OPS = {None, "?", "!"}
# Operators under which the token must be present at least once.
REQUIRED_OPS = {None, "+"}

Anchor = tuple[int, int]  # (attribute id, the word's string id)
Need = tuple[int, frozenset[int]]  # one of these words, on this attribute, must occur
Match = tuple[int, int, int]  # (match id, start token, end token), as spaCy's Matcher gives


def _upper(token: dict) -> dict:
    return {key.upper(): value for key, value in token.items()}


def words_of(token: dict) -> Need | None:
    """The words a token must be one of, on the first word attribute it names.

    Parameters
    ----------
    token : dict
        One token of a spaCy Matcher pattern, keys upper-cased (``{"LOWER": "agree"}``,
        ``{"LEMMA": {"IN": [...]}}``).

    Returns
    -------
    (int, frozenset of int) or None
        The attribute id and the words' string ids; None when the token names no plain
        word on `WORD_ATTRS` (a regex, a POS, ...).
    """
    for name, attr in WORD_ATTRS.items():
        value = token.get(name)
        if isinstance(value, str):
            return attr, frozenset({get_string_id(value)})
        if isinstance(value, dict) and set(value) == {"IN"}:
            return attr, frozenset(get_string_id(v) for v in value["IN"])
    return None


def anchor_of(pattern: list[dict]) -> Anchor | None:
    """(attribute, word) that the pattern's first token must have: a required token with
    one plain word on one of WORD_ATTRS."""
    first = _upper(pattern[0])
    need = words_of(first) if first.get("OP") is None else None
    if need is None or len(need[1]) != 1:
        return None
    attr, (word,) = need
    return attr, word


def _is_need(token: dict) -> bool:
    return token.get("OP") in REQUIRED_OPS and words_of(token) is not None


def needs_of(pattern: list[dict]) -> list[Need]:
    """What the pattern's later required tokens need present in the utterance, in order.

    Parameters
    ----------
    pattern : list of dict
        A spaCy Matcher pattern.

    Returns
    -------
    list of (int, frozenset of int)
        (attribute id, word string ids) per required token after the first that names
        words; a match is impossible in an utterance lacking any of them.
    """
    tokens = [_upper(token) for token in pattern[1:]]
    needs = [words_of(t) for t in tokens if t.get("OP") in REQUIRED_OPS]
    return [need for need in needs if need is not None]


def reach_of(pattern: list[dict]) -> int | None:
    """Most tokens the pattern can cover; None when an operator makes it unbounded.

    Parameters
    ----------
    pattern : list of dict
        A spaCy Matcher pattern.

    Returns
    -------
    int or None
        The pattern's length when every operator is bounded (`BOUNDED_OPS`), else None.
    """
    ops = [_upper(token).get("OP") for token in pattern]
    return len(pattern) if all(op in BOUNDED_OPS for op in ops) else None


def tail_of(pattern: list[dict]) -> int | None:
    """Most tokens a match can cover after its last needed word (None: unbounded, or no
    needed word): a match ends at most that far past the word's last occurrence."""
    tokens = [_upper(token) for token in pattern]
    last = max((i for i in range(1, len(tokens)) if _is_need(tokens[i])), default=None)
    if last is None or any(t.get("OP") not in BOUNDED_OPS for t in tokens[last + 1 :]):
        return None
    return len(tokens) - last - 1


@dataclass
class _Group:
    """The patterns that start with one word: for each, the words it needs later in the
    utterance, how far past the last of them a match can reach, and its longest span."""

    matcher: Matcher
    patterns: list[tuple[list[Need], int | None, int | None]] = field(default_factory=list)

    def stop(self, last_seen: dict[int, dict[int, int]], start: int, end: int) -> int | None:
        """Where a match of this group starting at `start` must end by, or None where no
        pattern has every word it needs later in the utterance (which ends at `end`).
        `last_seen` maps attribute -> word -> its last position in the utterance. (Loops,
        not generators: this runs at every occurrence of the first word.)"""
        best = None
        for needs, tail, reach in self.patterns:
            furthest = -1
            for attr, words in needs:
                seen = last_seen[attr]
                furthest = -1
                for word in words:
                    position = seen.get(word, -1)
                    if position > furthest:
                        furthest = position
                if furthest <= start:
                    break  # this need is not met
            else:
                bound = end if reach is None else min(end, start + reach)
                if needs and tail is not None:
                    bound = min(bound, furthest + 1 + tail)
                if bound >= end:
                    return end
                best = bound if best is None else max(best, bound)
        return best


class AnchoredMatcher:
    """A spaCy Matcher split by first word; called with the Doc's utterance bounds, it
    returns what one Matcher over the Doc would, less matches that cross an utterance
    boundary (which the codebook drops anyway) for the anchored patterns."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self.groups: dict[Anchor, _Group] = {}
        self.unanchored = Matcher(vocab)
        self.attrs: list[int] = []
        self.anchors: list[set[int]] = []

    def add(self, key: str, patterns: list[list[dict]]) -> None:
        """Add patterns under one key, grouped by their first word where they have one.

        Parameters
        ----------
        key : str
            The match key (``code/pattern``), as for `spacy.matcher.Matcher.add`.
        patterns : list of list of dict
            spaCy Matcher patterns; those without an anchor go to one plain Matcher.
        """
        for pattern in patterns:
            anchor = anchor_of(pattern)
            if anchor is None:
                self.unanchored.add(key, [pattern])
                continue
            group = self.groups.setdefault(anchor, _Group(Matcher(self.vocab)))
            group.matcher.add(key, [pattern])
            group.patterns.append((needs_of(pattern), tail_of(pattern), reach_of(pattern)))
        needed = {
            attr
            for group in self.groups.values()
            for needs, _, _ in group.patterns
            for attr, _ in needs
        }
        self.attrs = sorted({attr for attr, _ in self.groups} | needed)
        self.anchors = [{word for attr, word in self.groups if attr == a} for a in self.attrs]

    def __len__(self) -> int:
        return len(self.unanchored) + sum(len(g.matcher) for g in self.groups.values())

    def __call__(self, doc: Doc, bounds: list[tuple[int, int]]) -> list[Match]:
        found: set[Match] = set()
        if len(self.unanchored):
            found.update(self.unanchored(doc, allow_missing=True))
        if not self.groups or not len(doc):
            return sorted(found)
        # Plain Python over token lists: faster than numpy's set tests on short Docs.
        columns = doc.to_array(self.attrs).reshape(len(doc), len(self.attrs)).T.tolist()
        for first, last in bounds:
            rows = [column[first:last] for column in columns]
            hits = [
                (first + k, (attr, word))
                for attr, row, anchors in zip(self.attrs, rows, self.anchors, strict=True)
                if not anchors.isdisjoint(row)
                for k, word in enumerate(row)
                if word in anchors
            ]
            if not hits:
                continue
            # Each word's last position in the utterance (dict() keeps the last of a key).
            last_seen = {
                attr: dict(zip(row, range(first, last), strict=True))
                for attr, row in zip(self.attrs, rows, strict=True)
            }
            for i, anchor in hits:
                group = self.groups[anchor]
                stop = group.stop(last_seen, i, last)
                if stop is None:
                    continue
                for match_id, start, end in group.matcher(doc[i:stop], allow_missing=True):
                    if start == 0:  # later starts are found from their own first word
                        found.add((match_id, i, i + end))
        return sorted(found)
