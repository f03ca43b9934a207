"""Finding identifiers in text: Presidio's analyzer on the toolkit's own spaCy pipeline
(its NER for names, places and organisations; no model download), Presidio's phone
recognizer (the phonenumbers library), and the transcript patterns of `patterns.py`."""

from __future__ import annotations

import re
from functools import lru_cache

from ..errors import OptionError
from ..nlp import model_name
from .found import Found
from .patterns import KIN
from .spoken import words

KINDS = ("PERSON", "LOCATION", "ORGANIZATION", "DATE", "AGE", "PHONE", "EMAIL", "ADDRESS", "ID")
_PRESIDIO_KINDS = {"PHONE_NUMBER": "PHONE", "US_SSN": "ID"}
THRESHOLD = 0.35
# spaCy labels that are never identifiers here: dates and times come from the patterns
# (spaCy's DATE is mostly 'last week'), nationalities and groups are not identifying.
_IGNORED_LABELS = [
    "DATE",
    "TIME",
    "NORP",
    "CARDINAL",
    "ORDINAL",
    "QUANTITY",
    "MONEY",
    "PERCENT",
    "LANGUAGE",
    "LAW",
    "WORK_OF_ART",
    "EVENT",
    "PRODUCT",
]


def require_presidio() -> None:
    """Fail early, with the install command, where the [deid] extra is missing.

    Raises
    ------
    OptionError
        presidio-analyzer is not installed.
    """
    try:
        import presidio_analyzer  # noqa: F401
    except ImportError:
        raise OptionError(
            "de-identification needs the [deid] extra: pip install 'transcript-alliance[deid]'"
        ) from None


@lru_cache(maxsize=2)
def analyzer(model: str | None = None):
    """A Presidio AnalyzerEngine on the local spaCy pipeline; built once per process.

    Presidio's spaCy NER (persons, places, organisations, dates) with the toolkit's
    transcript patterns (`pattern_recognizers`) and Presidio's phone recognizer; loaded
    offline from the installed spaCy model.

    Parameters
    ----------
    model : str, optional
        The spaCy model name; `nlp.model_name()` when None.

    Returns
    -------
    presidio_analyzer.AnalyzerEngine
        Cached (two models at most).

    Raises
    ------
    OptionError
        The [deid] extra is missing.
    """
    require_presidio()
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine
    from presidio_analyzer.predefined_recognizers import PhoneRecognizer, SpacyRecognizer

    from .patterns import pattern_recognizers

    model = model or model_name()
    config = NerModelConfiguration(
        labels_to_ignore=_IGNORED_LABELS,
        low_score_entity_names=[],  # ORG keeps its full score: employers and clinics matter
        model_to_presidio_entity_mapping={
            "PERSON": "PERSON",
            "GPE": "LOCATION",
            "LOC": "LOCATION",
            "FAC": "LOCATION",
            "ORG": "ORGANIZATION",
        },
    )
    nlp_engine = SpacyNlpEngine(
        models=[{"lang_code": "en", "model_name": model}], ner_model_configuration=config
    )
    nlp_engine.load()  # an installed package: spacy.load, no download
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.add_recognizer(
        SpacyRecognizer(supported_entities=["PERSON", "LOCATION", "ORGANIZATION"])
    )
    registry.add_recognizer(PhoneRecognizer(supported_regions=("US", "GB", "CA", "AU", "IE")))
    for recognizer in pattern_recognizers():
        registry.add_recognizer(recognizer)
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=["en"])


_SHOUTED = re.compile(r"(?<![\w-])[A-Z][A-Z'’]{2,}(?![\w-]|\s?\d)")
# Capitals that are acronyms, not shouted names: left as they are for the NER model.
_ACRONYMS = {"ADHD", "PTSD", "OCD", "CBT", "DBT", "EMDR", "ICU", "CVS", "AA", "NA", "ER", "VA"}
# Record types said by their initials: words, never a name ('my MRN is ...').
RECORD_ACRONYMS = frozenset({"MRN", "DOB", "SSN", "SSI", "EIN", "NPI", "ITIN", "TIN", "PIN", "ID"})
_ACRONYMS |= RECORD_ACRONYMS


def title_case_shouted(text: str) -> str:
    """'JOHN SMITH' -> 'John Smith' (same length, same offsets), so that the NER model
    sees names written in capitals as names; acronyms stay."""

    def fix(m: re.Match) -> str:
        word = m.group()
        titled = word.capitalize()
        return word if word in _ACRONYMS or len(titled) != len(word) else titled

    return _SHOUTED.sub(fix, text)


def find_identifiers(texts: list[str], model: str | None = None) -> list[list[Found]]:
    """Identifiers in each text, overlapping hits merged (the longer span wins its kind).

    Parameters
    ----------
    texts : list of str
        Turn texts.
    model : str, optional
        The spaCy pipeline to run (default: the toolkit's).

    Returns
    -------
    list of list of Found
        Per text, its identifiers in order, without overlaps.
    """
    from presidio_analyzer import BatchAnalyzerEngine

    from .addressed import find_addressed, towns_after
    from .cased import cased_entities
    from .chains import chain_names
    from .learned import learned_entities
    from .places import find_places
    from .positions import family_plurals, names_by_position, places_by_movement
    from .spoken import age_context, find_spoken, word_said_as_word

    engine = analyzer(model)
    batch = BatchAnalyzerEngine(analyzer_engine=engine)
    shown = [title_case_shouted(t) for t in texts]
    results = batch.analyze_iterator(shown, language="en", batch_size=32, score_threshold=THRESHOLD)
    cased = cased_entities(texts, model)
    learned = learned_entities(texts)
    out = []
    for text, found, restored, taught in zip(texts, results, cased, learned):
        hits = [
            Found(
                r.start,
                r.end,
                _PRESIDIO_KINDS.get(r.entity_type, r.entity_type),
                (r.recognition_metadata or {}).get("recognizer_name", ""),
                r.score,
            )
            for r in found
            if _PRESIDIO_KINDS.get(r.entity_type, r.entity_type) in KINDS
            and _plausible(text[r.start : r.end], r.entity_type)
        ]
        rules = [
            *hits,
            *find_spoken(text),
            *find_places(text),
            *names_by_position(text),
            *family_plurals(text),
            *chain_names(text),
            *find_addressed(text),
        ]
        # the case-restored and the learned NER may widen a hit ('denver' -> 'denver
        # health') but never turn a person found otherwise into something else ('my sister
        # grace')
        restored = [
            h
            for h in [*restored, *taught]
            if _plausible(text[h.start : h.end], h.kind)
            and not any(
                h.start < r.end and r.start < h.end and r.kind == "PERSON" != h.kind for r in rules
            )
        ]
        # a town said after 'moved to', 'drove to' is a place, whatever rule called it an
        # organisation
        found = [
            t
            for h in [*rules, *restored]
            if (t := _without_stop_words(text, h))
            and (h.kind != "AGE" or age_context(text, h.start, h.end))
        ]
        merged = merge(found)
        merged = places_by_movement(text, merge([*merged, *towns_after(text, merged)]))
        out.append(
            [
                t
                for h in merged
                if (t := trim_punctuation(text, h))
                and not (t.kind == "PERSON" and word_said_as_word(text, t.start, t.end))
            ]
        )
    return out


# Abbreviations whose dot belongs to a name even where it also ends the sentence.
_ABBREVIATIONS = frozenset(
    words("inc co corp ltd llc jr sr st ave rd dr blvd ln ct pl hwy pkwy mt ft")
)
_TRAILING = '.,;:!?)]}"”-–—/ \t\n'


def trim_punctuation(text: str, hit: Found) -> Found | None:
    """A hit without the punctuation at its end ('Magnolia Regional Bank.' -> '... Bank'),
    so that no pseudonym swallows a sentence's full stop, and a name gets one key whether
    or not it ends a sentence; the dot of an abbreviation ending it stays ('Acme Inc.',
    'Main St.'). None where nothing is left.

    Parameters
    ----------
    text : str
        The turn's text.
    hit : Found
        Character offsets into `text`.

    Returns
    -------
    Found or None
    """
    end = hit.end
    while end > hit.start and text[end - 1] in _TRAILING:
        end -= 1
    if end < hit.end and text[end] == ".":
        word = re.search(r"[A-Za-z]+$", text[hit.start : end])
        if word and word.group().casefold() in _ABBREVIATIONS:
            end += 1
    if end <= hit.start:
        return None
    return hit if end == hit.end else Found(hit.start, end, hit.kind, hit.recognizer, hit.score)


_NAME_WORD = re.compile(r"[^\W\d_][^\W\d_'’-]*(?:['’-][^\W\d_]+)*")


def _without_stop_words(text: str, hit: Found) -> Found | None:
    """A name, place or organisation hit without words that are never names at its ends
    (`lexicon.never_name_part`: stop words, g-dropped `-ing` words): `wayne at` ->
    `wayne`; None where no other word is left (`goin`, `at`). Whatever recognizer made
    the hit, so that no stop word becomes a name part found again everywhere."""
    from .lexicon import never_name_part

    if hit.kind not in _NAMED_KINDS:
        return hit
    if not _plausible(text[hit.start : hit.end], hit.kind):
        return None  # 'thanks doc': chat words, medicines, programmes only
    words = [
        m for m in _NAME_WORD.finditer(text, hit.start, hit.end) if not never_name_part(m.group())
    ]
    if not words:
        return None
    if hit.kind != "PERSON":  # 'the blue moon diner', 'university of vermont' keep theirs
        return hit
    while len(words) > 1 and _word_before_name(words[0].group(), words[1].group()):
        words = words[1:]  # 'fine ben', 'my daughter grace': the name only
    start, end = words[0].start(), words[-1].end()
    if (start, end) == (hit.start, hit.end):
        return hit
    if not _plausible(text[start:end], hit.kind):
        return None  # 'morning doc' -> 'doc': a chat word alone is no name
    return Found(start, end, hit.kind, hit.recognizer, hit.score)


# Kin and role words a span may take before a name ('daughter grace'); the titles among
# them ('aunt rosa', 'coach ruiz') are part of the name.
_KIN_BEFORE = frozenset(KIN.split("|")) - set(
    words("aunt auntie uncle nana grandma grandpa coach nurse pastor father")
)

# Words said before a name that a word list may miss ('okay then maya').
_SAID_BEFORE_NAMES = frozenset(words("fine okay ok then so well yeah yes no now but and also too"))


def _word_before_name(word: str, name: str) -> bool:
    """Whether a span's first word is an English word taken before a name: a kin word
    ('daughter grace'), or a lower-case word that is no name before a first name ('ben
    is fine ben helped me': 'fine ben')."""
    from .lexicon import is_english
    from .pseudonyms import _TITLE
    from .spoken import WORD_NAMES, gazetteer

    folded = word.casefold()
    if _TITLE.match(word):  # 'father doyle', 'big mike', 'mr hollis'
        return False
    if folded in _KIN_BEFORE:
        return True
    if not word.islower() or folded in WORD_NAMES:
        return False
    if folded not in _SAID_BEFORE_NAMES and not is_english(folded):
        return False
    firsts, _ = gazetteer()
    return folded not in firsts and name.casefold() in firsts


# Sounds a speech recogniser writes as words: never a name, a place or an organisation,
# though the NER model sometimes calls them one ("mm hmm" as a person).
_FILLERS = frozenset(
    ["mm", "hmm", "mhm", "mmm", "hm", "uh", "um", "huh", "ah", "oh", "eh", "er", "erm", "uhm"]
)
_NAMED_KINDS = {"PERSON", "LOCATION", "ORGANIZATION"}
# Public programmes and services that thousands are on or in: naming one identifies no
# one ('your medicare number', 'retired from the army').
_PROGRAMMES = frozenset(
    {"medicare", "medicaid", "tricare", "medi-cal", "masshealth", "ssi", "ssdi", "snap", "wic"}
    | {"army", "navy", "marines", "military"}
)


def _plausible(span: str, kind: str) -> bool:
    """Whether an NER or pattern hit can be what it says: an ID needs its digits; a name,
    place or organisation needs a word that is not a filler (a timestamp such as
    `00:00:10` inside `[crosstalk 00:00:10]` is none) and is not only medicines, public
    programmes or chat words ('prazosin', 'medicare', 'doc', 'abuela')."""
    from .lexicon import FILLERS, MEDICINES
    from .patterns import MIN_ID_DIGITS

    if kind == "ID":
        return sum(ch.isdigit() for ch in span) >= MIN_ID_DIGITS
    if _PRESIDIO_KINDS.get(kind, kind) in _NAMED_KINDS:
        letters = [w.casefold() for w in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)?", span)]
        return any(w not in _FILLERS for w in letters) and not all(
            w in _PROGRAMMES or w in MEDICINES or w in FILLERS or w.upper() in RECORD_ACRONYMS
            for w in letters
        )
    return bool(span.strip())


def merge(hits: list[Found]) -> list[Found]:
    """Overlapping spans become one: their union, kind of the longest (then surest) hit.

    Parameters
    ----------
    hits : list of Found
        Spans from every recognizer, character offsets into one text.

    Returns
    -------
    list of Found
        Non-overlapping spans in order of start; each keeps the kind, recognizer and score
        of the longest hit in its group (a transcript recognizer preferred, then the
        higher score).
    """
    merged: list[list[Found]] = []
    for hit in sorted(hits, key=lambda h: (h.start, -h.end)):
        if merged and hit.start < max(h.end for h in merged[-1]):
            merged[-1].append(hit)
        else:
            merged.append([hit])
    out = []
    for group in merged:
        best = max(
            group, key=lambda h: (h.end - h.start, h.recognizer.startswith("transcript"), h.score)
        )
        start, end = min(h.start for h in group), max(h.end for h in group)
        out.append(Found(start, end, best.kind, best.recognizer, best.score))
    return out
