"""The `alliance_markers` spaCy component: runs the codebook's patterns on each Doc and
keeps the matches in `doc.spans["alliance"]`, each span labelled with its code and
carrying its rule and ConText-style negated/hedged flags as extension attributes."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator

from spacy.attrs import LOWER
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from .codebook import Codebook, load_codebook
from .context import scope_flags
from .matching import CodebookMatcher, utterance_bounds

SPANS_KEY = "alliance"

# Span extension values are stored per character span, so two codes matching the same
# words would overwrite each other's values; the flags live on the Doc, keyed by
# (start, end, code), and the span attributes read them through getters.
if not Doc.has_extension("alliance_flags"):
    Doc.set_extension("alliance_flags", default=None)


def _flag(index: int):
    def getter(span: Span):
        flags = span.doc._.alliance_flags or {}
        return flags.get((span.start, span.end, span.label_), (None, None, None))[index]

    return getter


for _index, _attr in enumerate(("alliance_rule", "alliance_negated", "alliance_hedged")):
    if not Span.has_extension(_attr):
        Span.set_extension(_attr, getter=_flag(_index))


class AllianceMarkers:
    """The spaCy component `alliance_markers`: a codebook's matches as spans.

    Each Doc gets ``doc.spans[spans_key]``, one Span per match labelled with the code id,
    and ``doc._.alliance_flags`` from which the Span extensions ``alliance_rule``,
    ``alliance_negated`` and ``alliance_hedged`` read (negation and hedging by ConText-style
    scope, `scope_flags`). Matches do not cross utterance (sentence) boundaries.

    Parameters
    ----------
    nlp : Language
        The pipeline (its vocab).
    name : str
        The component's name.
    codebook : Codebook
        The loaded, validated codebook.
    spans_key : str
        The span group written.
    """

    def __init__(self, nlp: Language, name: str, codebook: Codebook, spans_key: str) -> None:
        self.name = name
        self.codebook = codebook
        self.spans_key = spans_key
        self.negatable = {c.id: c.negatable for c in codebook.codes}
        self.matcher = CodebookMatcher(nlp.vocab, codebook, nlp)

    def __call__(self, doc: Doc) -> Doc:
        spans, flags = [], {}
        bounds = utterance_bounds(doc)
        matches = self.matcher(doc, bounds)
        starts = [first for first, _ in bounds]
        # Lower-case forms read once per Doc: cheaper than a Token per word of each scope.
        strings = doc.vocab.strings
        words = [strings[i] for i in doc.to_array(LOWER).tolist()] if matches else []
        for match in matches:
            floor = starts[bisect_right(starts, match.start) - 1]
            negated, hedged = scope_flags(
                words, match.start, match.end, self.negatable[match.code], floor
            )
            flags[(match.start, match.end, match.code)] = (match.rule, negated, hedged)
            spans.append(Span(doc, match.start, match.end, label=match.code))
        doc._.alliance_flags = flags
        doc.spans[self.spans_key] = spans
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        """A batch at a time: the Docs of a batch come through the components before this
        one, then all go through the matchers in a row. Called Doc by Doc in between the
        other components' Python code, the same work was 0.3-4.5% of the components' time
        slower (three alternating tries in the manner of bench/bench_markers.py; the
        matchers' code and tables staying in the CPU's caches, presumably)."""
        for batch in minibatch(docs, batch_size):
            for doc in batch:
                self(doc)
            yield from batch


@Language.factory(
    "alliance_markers",
    assigns=["doc.spans"],
    default_config={"codebook_path": None, "spans_key": SPANS_KEY, "session_type": None},
)
def make_alliance_markers(
    nlp: Language, name: str, codebook_path: str | None, spans_key: str, session_type: str | None
) -> AllianceMarkers:
    """spaCy factory for `alliance_markers`: load the codebook and build the component.

    Parameters
    ----------
    nlp : Language
    name : str
    codebook_path : str or None
        A user codebook YAML; the packaged one when None.
    spans_key : str
        The span group written (`SPANS_KEY` by default).
    session_type : str or None
        The session type whose extra codes are added (None: psychotherapy).

    Returns
    -------
    AllianceMarkers

    Raises
    ------
    InputError
        The codebook is not valid.
    OptionError
        An unknown session type.
    """
    return AllianceMarkers(nlp, name, load_codebook(codebook_path, session_type), spans_key)
