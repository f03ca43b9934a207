"""Codebook patterns compiled into spaCy's Matcher, PhraseMatcher and DependencyMatcher,
with the utterance-level constraints (start, whole utterance, length) applied after."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.matcher import DependencyMatcher, Matcher, PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from .codebook import Codebook, Pattern


@dataclass(frozen=True)
class RawMatch:
    code: str
    rule: str
    start: int  # token offsets in the utterance's Doc
    end: int


@lru_cache(maxsize=1)
def _scratch() -> Language:
    return spacy.blank("en")


def compile_pattern(code_id: str, pattern: Pattern) -> None:
    """Raise if spaCy rejects the pattern (used to validate a codebook on load)."""
    nlp = _scratch()
    vocab = nlp.vocab
    key = f"{code_id}/{pattern.id}"
    if pattern.kind == "token":
        Matcher(vocab, validate=True).add(key, [pattern.pattern])
    elif pattern.kind == "dependency":
        DependencyMatcher(vocab, validate=True).add(key, [pattern.pattern])
    else:
        matcher = PhraseMatcher(vocab, attr=pattern.attr if pattern.attr != "LEMMA" else "LOWER")
        matcher.add(key, [nlp.make_doc(p) for p in pattern.phrases or []])


class CodebookMatcher:
    """All of a codebook's patterns, run together on one utterance Doc."""

    def __init__(self, vocab: Vocab, codebook: Codebook, nlp: Language) -> None:
        self.matcher = Matcher(vocab)
        self.dependency = DependencyMatcher(vocab)
        self.phrases: dict[str, PhraseMatcher] = {}
        self.rules: dict[int, tuple[str, Pattern]] = {}
        self.has_dependency = self.has_token = False
        for code in codebook.codes:
            for pattern in code.patterns:
                key = f"{code.id}/{pattern.id}"
                self.rules[vocab.strings.add(key)] = (code.id, pattern)
                if pattern.kind == "token":
                    self.matcher.add(key, [pattern.pattern])
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

    def __call__(self, doc: Doc) -> list[RawMatch]:
        found = list(self.matcher(doc)) if self.has_token else []
        for matcher in self.phrases.values():
            found += matcher(doc)
        if self.has_dependency:
            for match_id, tokens in self.dependency(doc):
                found.append((match_id, min(tokens), max(tokens) + 1))
        words = sum(1 for t in doc if not t.is_punct and not t.is_space)
        out = []
        for match_id, start, end in found:
            code, pattern = self.rules[match_id]
            if _allowed(doc, pattern, start, end, words):
                out.append(RawMatch(code, pattern.id, start, end))
        return _longest_per_code(out)


def _allowed(doc: Doc, pattern: Pattern, start: int, end: int, words: int) -> bool:
    if pattern.max_words is not None and words > pattern.max_words:
        return False
    first = next((t.i for t in doc if not t.is_punct and not t.is_space), 0)
    if pattern.utterance_start and start > first:
        return False
    if pattern.whole_utterance:
        rest = [t for t in doc if not (start <= t.i < end)]
        return all(t.is_punct or t.is_space for t in rest)
    return True


def _longest_per_code(matches: list[RawMatch]) -> list[RawMatch]:
    """Overlapping matches of one code collapse to the longest (then earliest) one, so a
    phrase is counted once however many rules catch it."""
    kept: list[RawMatch] = []
    for m in sorted(matches, key=lambda m: (m.code, -(m.end - m.start), m.start)):
        if not any(k.code == m.code and k.start < m.end and m.start < k.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: (m.start, m.code))
