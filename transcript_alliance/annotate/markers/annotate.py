"""Run the marker pipeline over segmented sessions: each utterance gets its codebook
matches (filtered by who may say each code) and the token statistics the style measures
need, in one `nlp.pipe` pass with only the spaCy components the codebook needs."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import accumulate
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from ...errors import OptionError
from ...nlp import load_spacy, model_name
from ...segment.utterances import turn_offsets
from ...session import Marker, Role, Session, Utterance
from ...session_types import session_type as get_session_type
from . import component as _registers_factory  # noqa: F401  (alliance_markers)
from .codebook import Codebook, Speaker
from .function_words import token_stats
from .mirror import apply_mirrors

# POS tags feed the function-word categories of language style matching.
STYLE_NEEDS = {"tok2vec", "tagger", "attribute_ruler"}


@lru_cache(maxsize=4)
def marker_pipeline(
    codebook_path: str | None = None,
    spacy_model: str | None = None,
    session_type: str | None = None,
) -> Language:
    """The spaCy pipeline for markers and style: the components the codebook's patterns and
    the style measures need, nothing else, then `alliance_markers` (with the codes the
    session type adds, e.g. `medication`'s; None: psychotherapy).

    Raises
    ------
    OptionError
        An unknown session type, or a codebook needing components the model lacks.
    """
    name = spacy_model or model_name()
    session_type = get_session_type(session_type).name  # checked; a name (enum or str)
    nlp = load_spacy(name)
    # The component loads (and validates) the codebook once; its needs pick the rest.
    nlp.add_pipe(
        "alliance_markers", config={"codebook_path": codebook_path, "session_type": session_type}
    )
    needed = codebook_of(nlp).needs() | STYLE_NEEDS
    missing = needed - set(nlp.component_names)
    if missing:
        raise OptionError(
            f"the codebook needs spaCy components {', '.join(sorted(missing))}, which "
            f"pipeline '{name}' does not have"
        )
    for pipe in needed & set(nlp.disabled):
        nlp.enable_pipe(pipe)
    nlp.select_pipes(enable=[p for p in nlp.component_names if p in needed | {"alliance_markers"}])
    return nlp


def codebook_of(nlp: Language) -> Codebook:
    """The codebook that a marker pipeline's `alliance_markers` component loaded.

    Parameters
    ----------
    nlp : Language
        A pipeline from `marker_pipeline`.

    Returns
    -------
    Codebook

    Raises
    ------
    KeyError
        The pipeline has no `alliance_markers` component.
    """
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
    """Fill `utterance.markers` and `utterance.tokens` for every utterance.

    Parameters
    ----------
    sessions : iterable of Session
        Segmented sessions (utterances filled), roles assigned.
    codebook : str or Path, optional
        A user codebook YAML; the packaged one when None.
    nlp : Language, optional
        A pipeline from `marker_pipeline`; built (and cached) from `codebook` when None.

    Returns
    -------
    list of Session
        The same sessions, changed in place: each utterance's markers (code, component,
        rule, negated, hedged, character offsets into the turn's text) for codes whose
        speaker fits the utterance's role, reflection codes kept by their overlap with the
        previous turn (`Mirror`), and its token statistics (words, function-word counts,
        content lemmas) for the style measures.

    Raises
    ------
    OptionError
        A codebook needing spaCy components the model lacks.
    InputError
        A user codebook that is not valid.
    """
    sessions = list(sessions)
    nlp = nlp or marker_pipeline(str(codebook) if codebook else None)
    book = codebook_of(nlp)
    speakers = {c.id: c.speaker for c in book.codes}
    components = {c.id: c.component.value for c in book.codes}
    turns = {id(u): s.turns[u.turn] for s in sessions for u in s.utterances}
    # Streamed: each Doc (with its tensors) is dropped once its utterances are filled.
    # Holding every Doc of the sessions until the end cost several % of the spaCy time.
    for doc, utterances in nlp.pipe(turn_docs(nlp, sessions), batch_size=256, as_tuples=True):
        offsets = list(accumulate((len(u.text) + 1 for u in utterances[:-1]), initial=0))
        found = _matches_by_utterance(doc, offsets)
        for utterance, stats, matches, offset in zip(utterances, token_stats(doc), found, offsets):
            turn = turns[id(utterance)]
            utterance.markers = [
                _marker(match, components[match[2]], turn, utterance, offset)
                for match in matches
                if _speaker_fits(speakers[match[2]], utterance.role)
            ]
            utterance.tokens = stats
    apply_mirrors(sessions, book)
    return sessions


def _speaker_fits(speaker: Speaker, role: Role) -> bool:
    return speaker is Speaker.EITHER or speaker.value == role.value


def _matches_by_utterance(doc: Doc, offsets: list[int]) -> list[list[tuple]]:
    """The component's matches, read from `doc._.alliance_flags` (cheaper than the spans'
    extension getters), grouped by utterance (`offsets`: where each utterance starts in the
    Doc's text): (start_char, end_char, code, rule, negated, hedged), offsets into the Doc."""
    grouped: list[list[tuple]] = [[] for _ in offsets]
    for (start, end, code), (rule, negated, hedged) in sorted((doc._.alliance_flags or {}).items()):
        first, last = doc[start].idx, doc[end - 1]
        match = (first, last.idx + len(last), code, rule, negated, hedged)
        grouped[bisect_right(offsets, first) - 1].append(match)
    return grouped


def _marker(match: tuple, component: str, turn, utterance: Utterance, offset: int) -> Marker:
    start_char, end_char, code, rule, negated, hedged = match
    start, end = turn_offsets(turn, utterance, start_char - offset, end_char - offset)
    text = utterance.text[start_char - offset : end_char - offset]
    return Marker(
        code=code,
        component=component,
        rule=rule,
        text=text,
        start_char=start,
        end_char=end,
        negated=bool(negated),
        hedged=bool(hedged),
    )
