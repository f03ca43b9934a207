"""Codebook patterns compiled into spaCy's Matcher, PhraseMatcher and DependencyMatcher,
with the utterance-level constraints (start, whole utterance, length) applied after."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from spacy.attrs import IS_PUNCT, IS_SPACE, SENT_START
from spacy.language import Language
from spacy.matcher import DependencyMatcher, PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from .anchors import AnchoredMatcher
from .codebook import Codebook, Pattern


@dataclass(frozen=True)
class RawMatch:
    """One rule's match in a Doc.

    Attributes
    ----------
    code, rule : str
        The code id and the pattern id.
    start, end : int
        Token offsets in the Doc (end exclusive).
    """

    code: str
    rule: str
    start: int  # token offsets in the utterance's Doc
    end: int


class CodebookMatcher:
    """All of a codebook's patterns, run together on one Doc.

    Token patterns go through an `AnchoredMatcher`, phrases through one PhraseMatcher per
    attribute, dependency patterns through a DependencyMatcher; called with the Doc's
    utterance bounds, it returns `RawMatch` es that stay inside an utterance and meet their
    pattern's constraints (utterance start, whole utterance, max words, question).

    Parameters
    ----------
    vocab : Vocab
    codebook : Codebook
    nlp : Language
        The pipeline, for the lemmas of phrase patterns compared on LEMMA.
    """

    def __init__(self, vocab: Vocab, codebook: Codebook, nlp: Language) -> None:
        self.matcher = AnchoredMatcher(vocab)
        self.order: dict[int, int] = {}  # rule -> its place in the codebook, for ties
        self.dependency = DependencyMatcher(vocab)
        self.phrases: dict[str, PhraseMatcher] = {}
        self.rules: dict[int, tuple[str, Pattern]] = {}
        self.has_dependency = self.has_token = False
        for code in codebook.codes:
            for pattern in code.patterns:
                key = f"{code.id}/{pattern.id}"
                self.rules[vocab.strings.add(key)] = (code.id, pattern)
                self.order[vocab.strings[key]] = len(self.order)
                if pattern.kind == "token" and (sequences := as_word_sequences(pattern.pattern)):
                    # A fixed-length pattern of plain lower-case words is a phrase list:
                    # the PhraseMatcher finds it at a fraction of the Matcher's cost.
                    matcher = self.phrases.setdefault("LOWER", PhraseMatcher(vocab, attr="LOWER"))
                    matcher.add(key, [Doc(vocab, words=words) for words in sequences])
                elif pattern.kind == "token":
                    self.matcher.add(key, expand_first_token(pattern.pattern))
                    self.has_token = True
                elif pattern.kind == "dependency":
                    self.dependency.add(key, [pattern.pattern])
                    self.has_dependency = True
                else:
                    matcher = self.phrases.setdefault(
                        pattern.attr, PhraseMatcher(vocab, attr=pattern.attr)
                    )
                    # LEMMA phrases are compared on the lemmas of the phrase as written,
                    # which the lemmatizer sets when the phrase runs through the pipeline.
                    make_doc = nlp if pattern.attr == "LEMMA" else nlp.make_doc
                    matcher.add(key, [make_doc(p) for p in pattern.phrases or []])

    def __call__(self, doc: Doc, bounds: list[tuple[int, int]] | None = None) -> list[RawMatch]:
        """Matches that lie within one utterance and meet their rule's constraints. The
        utterances of a Doc are its sentences when sentence starts are set (one Doc per
        turn, one sentence per utterance); otherwise the whole Doc is one utterance."""
        # The pipeline is built with every component the patterns need (annotate.py), so
        # the Matcher's per-call scan for missing annotation is skipped.
        bounds = bounds or utterance_bounds(doc)
        found = self.matcher(doc, bounds) if self.has_token else []
        for matcher in self.phrases.values():
            found += matcher(doc)
        if self.has_dependency:
            for match_id, tokens in self.dependency(doc):
                found.append((match_id, min(tokens), max(tokens) + 1))
        if not found:
            return []
        owner = [0] * len(doc)
        for number, (first, last) in enumerate(bounds):
            owner[first:last] = [number] * (last - first)
        shapes = _Shapes(doc, bounds)
        out = []
        for match_id, start, end in sorted(found, key=lambda m: (self.order[m[0]], m[1], m[2])):
            number = owner[start]
            if owner[end - 1] != number:
                continue  # crosses an utterance boundary
            code, pattern = self.rules[match_id]
            if _allowed(pattern, start, end, shapes, number):
                out.append(RawMatch(code, pattern.id, start, end))
        return _longest_per_code(out)


MAX_SEQUENCES = 5000


def as_word_sequences(pattern: list[dict]) -> list[list[str]] | None:
    """Every word sequence a pattern can match, when each token is a lower-case word or a
    set of them (`LOWER`, optionally `OP: "?"`) and there are at most MAX_SEQUENCES."""
    sequences: list[list[str]] = [[]]
    for token in pattern:
        op = token.get("OP")
        if set(token) - {"OP"} != {"LOWER"} or op not in (None, "?"):
            return None
        value = token["LOWER"]
        if isinstance(value, str):
            words = [value]
        elif isinstance(value, dict) and set(value) == {"IN"}:
            words = list(value["IN"])
        else:
            return None
        options = [[w] for w in words] + ([[]] if op == "?" else [])
        sequences = [s + o for s in sequences for o in options]
        if len(sequences) > MAX_SEQUENCES:
            return None
    sequences = [s for s in sequences if s]
    return sequences or None


def expand_first_token(pattern: list[dict]) -> list[list[dict]]:
    """A pattern whose first token is a required `{ATTR: {IN: [...]}}` becomes one pattern
    per value. Same matches; but spaCy's Matcher tests plain values in compiled code and
    IN sets in Python, at every token, so this keeps the per-token cost low. (Expanding
    later tokens too multiplies the patterns and was slower, measured.)"""
    first, rest = pattern[0], pattern[1:]
    if len(first) != 1 or "OP" in first:
        return [pattern]
    ((attr, value),) = first.items()
    if not (isinstance(value, dict) and set(value) == {"IN"}):
        return [pattern]
    return [[{attr: item}, *rest] for item in value["IN"]]


def utterance_bounds(doc: Doc) -> list[tuple[int, int]]:
    """(first token, end token) of each utterance: the sentences when set, else the Doc.

    Parameters
    ----------
    doc : Doc
        A turn's Doc with sentence starts set at utterance starts (`turn_docs`).

    Returns
    -------
    list of (int, int)
        Token offsets, end exclusive, in order.
    """
    if len(doc) and doc.has_annotation("SENT_START"):
        flags = doc.to_array(SENT_START).tolist()
        starts = [0, *(i for i in range(1, len(flags)) if flags[i] == 1)]
        return list(zip(starts, [*starts[1:], len(doc)], strict=True))
    return [(0, len(doc))]


class _Shapes:
    """(words, first word token, end of last word token) of each utterance, worked out
    only when a rule with an utterance constraint asks."""

    def __init__(self, doc: Doc, bounds: list[tuple[int, int]]) -> None:
        self.doc, self.bounds = doc, bounds
        self.shapes: list[tuple[int, int, int]] | None = None

    def __getitem__(self, number: int) -> tuple[int, int, int]:
        if self.shapes is None:
            flags = self.doc.to_array([IS_PUNCT, IS_SPACE]).tolist()
            words = [i for i, (punct, space) in enumerate(flags) if not (punct or space)]
            self.shapes = []
            for first, last in self.bounds:
                mine = words[bisect_left(words, first) : bisect_left(words, last)]
                self.shapes.append(
                    (len(mine), mine[0], mine[-1] + 1) if mine else (0, first, first)
                )
        return self.shapes[number]

    def is_question(self, number: int) -> bool:
        """Whether the utterance's last non-space token is a question mark."""
        first, last = self.bounds[number]
        for i in range(last - 1, first - 1, -1):
            token = self.doc[i]
            if not token.is_space:
                return "?" in token.text
        return False


def _allowed(pattern: Pattern, start: int, end: int, shapes: _Shapes, number: int) -> bool:
    if pattern.question is not None and shapes.is_question(number) is not pattern.question:
        return False
    if pattern.max_words is None and not (pattern.utterance_start or pattern.whole_utterance):
        return True
    words, first_word, end_word = shapes[number]
    if pattern.max_words is not None and words > pattern.max_words:
        return False
    if pattern.utterance_start and start > first_word:
        return False
    return not pattern.whole_utterance or (start <= first_word and end >= end_word)


def _longest_per_code(matches: list[RawMatch]) -> list[RawMatch]:
    """Overlapping matches of one code collapse to the longest (then earliest) one, so a
    phrase is counted once however many rules catch it. `matches` come in codebook order
    (see `CodebookMatcher.__call__`), and the sort is stable: on a tie, the rule first in
    the codebook is the one reported."""
    kept: list[RawMatch] = []
    for m in sorted(matches, key=lambda m: (m.code, -(m.end - m.start), m.start)):
        if not any(k.code == m.code and k.start < m.end and m.start < k.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: (m.start, m.code))
