"""Run the marker pipeline over segmented sessions: each utterance gets its codebook
matches (filtered by who may say each code) and the token statistics the style measures
need, in one `nlp.pipe` pass with only the spaCy components the codebook needs."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from ..errors import OptionError
from ..nlp import model_name
from ..segment import turn_offsets
from ..session import Marker, Role, Session, TokenStats, Utterance
from . import component as _registers_factory  # noqa: F401  (alliance_markers)
from .codebook import Codebook, Speaker, load_codebook

# POS tags feed the function-word categories of language style matching.
STYLE_NEEDS = {"tok2vec", "tagger", "attribute_ruler"}
_CONTENT_POS = {"NOUN", "VERB", "ADJ", "ADV", "PROPN"}
_ARTICLES = {"a", "an", "the"}
_NEGATIONS = {
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
_QUANTIFIERS = {"all", "some", "any", "many", "much", "more", "most", "few", "lot", "lots",
                "every", "each", "several", "enough", "less", "least", "both", "half"}  # fmt: skip
_PERSONAL = {"i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves", "you",
             "your", "yours", "yourself", "yourselves", "he", "him", "his", "himself", "she",
             "her", "hers", "herself", "they", "them", "their", "theirs", "themselves"}  # fmt: skip


@lru_cache(maxsize=4)
def marker_pipeline(codebook_path: str | None = None, spacy_model: str | None = None) -> Language:
    """The spaCy pipeline for markers and style: the components the codebook's patterns and
    the style measures need, nothing else, then `alliance_markers`."""
    codebook = load_codebook(codebook_path)
    name = spacy_model or model_name()
    try:
        nlp = spacy.load(name)
    except OSError:
        raise OptionError(f"spaCy pipeline '{name}' is not installed") from None
    needed = codebook.needs() | STYLE_NEEDS
    missing = needed - set(nlp.component_names)
    if missing:
        raise OptionError(
            f"the codebook needs spaCy components {', '.join(sorted(missing))}, which "
            f"pipeline '{name}' does not have"
        )
    for pipe in needed & set(nlp.disabled):
        nlp.enable_pipe(pipe)
    nlp.select_pipes(enable=[p for p in nlp.component_names if p in needed])
    nlp.add_pipe("alliance_markers", config={"codebook_path": codebook_path})
    return nlp


def codebook_of(nlp: Language) -> Codebook:
    return nlp.get_pipe("alliance_markers").codebook


def turn_docs(nlp: Language, sessions: list[Session]) -> Iterator[tuple[Doc, list[Utterance]]]:
    """One Doc per turn, the turn's utterances joined by spaces, each utterance a sentence
    (sentence starts set here, so no sentence splitter runs). Fewer, longer Docs cost spaCy
    and the matchers much less than one Doc per utterance, and the tagger sees the turn."""
    for session in sessions:
        by_turn: dict[int, list[Utterance]] = {}
        for utterance in session.utterances:
            by_turn.setdefault(utterance.turn, []).append(utterance)
        for utterances in by_turn.values():
            starts, position = set(), 0
            for utterance in utterances:
                starts.add(position)
                position += len(utterance.text) + 1
            doc = nlp.make_doc(" ".join(u.text for u in utterances))
            for token in doc:
                token.is_sent_start = token.idx in starts
            yield doc, utterances


def annotate_sessions(
    sessions: Iterable[Session], codebook: str | Path | None = None, nlp: Language | None = None
) -> list[Session]:
    """Fill `utterance.markers` and `utterance.tokens` for every utterance."""
    sessions = list(sessions)
    nlp = nlp or marker_pipeline(str(codebook) if codebook else None)
    book = codebook_of(nlp)
    speakers = {c.id: c.speaker for c in book.codes}
    components = {c.id: c.component.value for c in book.codes}
    pairs = list(turn_docs(nlp, sessions))
    turns = {id(u): s.turns[u.turn] for s in sessions for u in s.utterances}
    docs = nlp.pipe((doc for doc, _ in pairs), batch_size=256)
    for (_, utterances), doc in zip(pairs, docs):
        sentences = list(doc.sents)
        spans = doc.spans["alliance"]
        offset = 0
        for utterance, sentence in zip(utterances, sentences):
            turn = turns[id(utterance)]
            utterance.markers = [
                _marker(span, components[span.label_], turn, utterance, offset)
                for span in spans
                if sentence.start <= span.start < sentence.end
                and _speaker_fits(speakers[span.label_], utterance.role)
            ]
            utterance.tokens = token_stats(sentence)
            offset += len(utterance.text) + 1
    return sessions


def _speaker_fits(speaker: Speaker, role: Role) -> bool:
    return speaker is Speaker.EITHER or speaker.value == role.value


def _marker(span, component: str, turn, utterance: Utterance, offset: int) -> Marker:
    start, end = turn_offsets(turn, utterance, span.start_char - offset, span.end_char - offset)
    return Marker(
        code=span.label_, component=component, rule=span._.alliance_rule, text=span.text,
        start_char=start, end_char=end, negated=bool(span._.alliance_negated),
        hedged=bool(span._.alliance_hedged),
    )  # fmt: skip


def token_stats(doc: Doc | Span) -> TokenStats:
    """Function-word counts by category (approximating the nine LIWC categories used for
    language style matching by Ireland & Pennebaker, 2010) and content lemmas."""
    counts: Counter[str] = Counter()
    content = set()
    words = 0
    for token in doc:
        if token.is_punct or token.is_space:
            continue
        words += 1
        lower = token.lower_
        if lower in _PERSONAL:
            counts["personal_pronouns"] += 1
        elif token.pos_ == "PRON":
            counts["impersonal_pronouns"] += 1
        if lower in _ARTICLES:
            counts["articles"] += 1
        if token.pos_ in {"CCONJ", "SCONJ"}:
            counts["conjunctions"] += 1
        if token.pos_ == "ADP":
            counts["prepositions"] += 1
        if token.pos_ == "AUX":
            counts["auxiliary_verbs"] += 1
        if token.pos_ == "ADV":
            counts["adverbs"] += 1
        if lower in _NEGATIONS:
            counts["negations"] += 1
        if lower in _QUANTIFIERS:
            counts["quantifiers"] += 1
        if token.pos_ in _CONTENT_POS and not token.is_stop:
            content.add(token.lemma_.lower())
    return TokenStats(words, dict(counts), frozenset(content))
