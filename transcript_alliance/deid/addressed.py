"""People addressed or named in full in lower-case speech, union locals, and the town said
after an organisation (issue 19, seventh round).

- `greeted_names`: the word after a greeting at a turn's edge ('morning wade', 'hey
  chance good to see you', 'thanks dusty', 'good to see you hunter') is a PERSON when it
  is a census first name or not an English word, even where it is also a word (`wade`,
  `rusty`, `chance`); words of address stay ('morning doc', 'thanks man', 'hey buddy',
  'bye now', 'thank you so much').
- `full_names`: a census first name that is also a word, then a word that is not English
  and optionally a surname ('river chikigak', 'chance alejandro ortega').
- `kin_is_name`: 'my sponsor is dusty he's been ...': a census first name or a word that
  is not English after 'my <kin word> is', ending the phrase.
- `union_locals`: 'the machinists local eighteen forty', 'ibew local 98'.
- `towns_after`: the town after an organisation and 'in' ('delta river behavioral health
  in bethel', 'summit quick cash in golden'), whatever its size or its other sense.
"""

from __future__ import annotations

import regex as re
from spacy.lang.en.stop_words import STOP_WORDS

from .found import Found
from .lexicon import in_wordnet, is_english, name_lists
from .spoken import (
    _NOT_A_NAME,
    DIGIT_WORDS,
    HOUSE_NUMBER,
    KIN_WORDS,
    TITLE_WORDS,
    VERBS,
    WORD_NAMES,
    fold,
    gazetteer,
    place_names,
    words,
)

RECOGNIZER = "transcript_addressed"
SCORE = 0.6
_WORD = r"[a-z][a-z'’-]*"
_GREETING = (
    r"hi|hey|hello|heya|hiya|(?:good\s)?morning|(?:good\s)?afternoon|(?:good\s)?evening|"
    r"(?:good\s)?night|thanks(?:\sso\smuch|\sagain)?|thank\syou(?:\sso\smuch|\sagain)?|"
    r"bye(?:\sbye)?|goodbye|see\sya|see\syou(?:\slater|\snext\sweek|\ssoon)?|welcome(?:\sback)?|"
    r"(?:good|nice|great)\sto\s(?:see|meet|hear)\syou|congrats|congratulations"
)
# A turn opens with fillers before its greeting ('oh hey wade', 'well good morning').
_OPENING = r"^\W*(?:(?:oh|well|okay|ok|yeah|um|uh|so|and|alright|all\sright)[,.!]?\s)*"
_AT_START = re.compile(rf"{_OPENING}(?:{_GREETING})[,.!]?\s({_WORD})(?:\s({_WORD}))?", re.I)
_AT_END = re.compile(rf"\b(?:{_GREETING})[,.!]?\s({_WORD})\s*[.!?]*\s*$", re.I)
# Words said to someone that are no names: 'morning doc', 'thanks man', 'hey buddy'.
_ADDRESS_WORDS = words(
    "doc man buddy bud dude bro guys folks everybody everyone all y'all yall now there "
    "again back sweetie honey hon babe baby kiddo boss chief champ sport pal friend love "
    "girl boy ladies gentlemen sir maam ma'am miss son team too though mate brother sister "
    "mama papa mom dad mommy daddy granny gram grandma grandpa nana auntie aunt uncle "
    "cuz coach officer doctor nurse pastor father teacher sunshine darling dear kid kids "
    "hun sis fam bestie partner young"
)
_KIN_OR_TITLE = words(KIN_WORDS.replace("|", " ").replace("?", "").replace("[ée]e", "ee")) | words(
    TITLE_WORDS.replace("|", " ")
)


def _first_name(word: str) -> bool:
    """A census first name (any, even an English word) or a word that is not English."""
    w = word.casefold().removesuffix("'s").removesuffix("’s")
    if (
        len(w) < 2
        or not w.isalpha()
        or w in _NOT_A_NAME
        or w in _ADDRESS_WORDS
        or w in _KIN_OR_TITLE
        or w in DIGIT_WORDS
    ):
        return False
    return w in name_lists().first or w in WORD_NAMES or not is_english(w)


def _surname(word: str | None) -> bool:
    if not word:
        return False
    w = word.casefold()
    if w in STOP_WORDS or w in VERBS or w in _NOT_A_NAME:
        return False
    return not is_english(w) or (w in gazetteer()[1] and not in_wordnet(w))


def greeted_names(text: str) -> list[Found]:
    """Names after a greeting at a turn's start or at its end; see the module docstring.

    Parameters
    ----------
    text : str
        One turn's text.

    Returns
    -------
    list of Found
        Kind PERSON, recognizer ``transcript_addressed``, score 0.6, character offsets.
    """
    out = []
    start = _AT_START.match(text)
    if start and _first_name(start.group(1)):
        end = start.end(2) if _surname(start.group(2)) else start.end(1)
        out.append(Found(start.start(1), end, "PERSON", RECOGNIZER, SCORE))
    end = _AT_END.search(text)
    if end and _first_name(end.group(1)):
        out.append(Found(end.start(1), end.end(1), "PERSON", RECOGNIZER, SCORE))
    return out


_FULL = re.compile(rf"\b({_WORD})\s({_WORD})(?:\s({_WORD}))?")
_DETERMINERS = words("the a an this that these those some any no every each its our")


def full_names(text: str) -> list[Found]:
    """A census first name that is also a word before a word that is not English (and a
    surname after that): 'river chikigak', 'chance alejandro ortega'; 'the river nile',
    'rose garden' stay.

    Parameters
    ----------
    text : str
        One turn's text.

    Returns
    -------
    list of Found
        Kind PERSON, recognizer ``transcript_addressed``, score 0.6, character offsets.
    """
    out = []
    for m in _FULL.finditer(text, overlapped=True):
        first, second, third = (g.casefold() if g else g for g in m.groups())
        if first not in name_lists().first and first not in WORD_NAMES:
            continue
        if not is_english(first) or not _first_name(first):
            continue  # names that are not words are the census rules' work
        before = re.search(r"([a-z']+)\s$", text[: m.start()], re.I)
        if before and before.group(1).casefold() in _DETERMINERS:
            continue
        if is_english(second) or second in _NOT_A_NAME or fold(second) in place_names():
            continue
        end = m.end(3) if _surname(third) else m.end(2)
        out.append(Found(m.start(1), end, "PERSON", RECOGNIZER, SCORE))
    return out


_KIN_IS = re.compile(
    rf"\b(?:my|our|his|her|their|your)\s(?:{KIN_WORDS})\s(?:is|was|'s|’s)\s(?:named\s)?({_WORD})"
    r"(?=\s*(?:[,.!?;]|$|\s(?:he|she|they|he's|she's|they're|and|but|so|who)\b))",
    re.I,
)


def kin_is_name(text: str) -> list[Found]:
    """'my sponsor is dusty he's been clean': a first name or a word that is not English
    after 'my <kin word> is', where the phrase ends; 'my boss is nice' stays.

    Parameters
    ----------
    text : str
        One turn's text.

    Returns
    -------
    list of Found
        Kind PERSON, recognizer ``transcript_addressed``, score 0.6, character offsets.
    """
    out = []
    for m in _KIN_IS.finditer(text):
        word = m.group(1).casefold()
        listed = word in name_lists().first or not is_english(word)
        if listed and _first_name(word):
            out.append(Found(m.start(1), m.end(1), "PERSON", RECOGNIZER, SCORE))
    return out


_LOCAL = re.compile(
    rf"\b({_WORD})\slocal\s(?:number\s)?(?:\d{{1,4}}|{HOUSE_NUMBER})\b(?:\shall)?", re.I
)


def union_locals(text: str) -> list[Found]:
    """A union local by its trade and number: 'the machinists local eighteen forty', 'ibew
    local 98'; 'the local one' and 'a local five' stay (the word before is a stop word).

    Parameters
    ----------
    text : str
        One turn's text.

    Returns
    -------
    list of Found
        Kind ORGANIZATION, recognizer ``transcript_union_local``, score 0.6.
    """
    out = []
    for m in _LOCAL.finditer(text):
        trade = m.group(1).casefold()
        if trade in STOP_WORDS or trade in _NOT_A_NAME or trade in DIGIT_WORDS:
            continue
        if not (trade.endswith("s") or trade == "union" or not is_english(trade)):
            continue
        end = m.end() - 5 if m.group().casefold().endswith(" hall") else m.end()
        out.append(Found(m.start(), end, "ORGANIZATION", "transcript_union_local", SCORE))
    return out


_IN = re.compile(r",?\s(?:in|out\sin|over\sin|up\sin|down\sin)\s([a-z]+(?:\s[a-z]+){0,2})", re.I)


def towns_after(text: str, hits: list[Found]) -> list[Found]:
    """The town said after an organisation and 'in' ('summit quick cash in golden'): a
    gazetteer name of one to three words, whatever its other sense; 'at the clinic in
    the morning' stays.

    Parameters
    ----------
    text : str
        One turn's text.
    hits : list of Found
        The turn's merged hits.

    Returns
    -------
    list of Found
        Kind LOCATION, recognizer ``transcript_town_after_org``, score 0.5.
    """
    out = []
    for h in hits:
        if h.kind != "ORGANIZATION":
            continue
        m = _IN.match(text, h.end)
        if not m:
            continue
        said = m.group(1).split()
        for n in range(len(said), 0, -1):
            key = fold(" ".join(said[:n]))
            if key in place_names() and said[0].casefold() not in STOP_WORDS:
                stop = m.start(1) + len(" ".join(said[:n]))
                out.append(Found(m.start(1), stop, "LOCATION", "transcript_town_after_org", 0.5))
                break
    return out


_CARRIER = re.compile(
    r"\b(?:fly|flew|flying|flies|flight|flights|booked|ticket|tickets)\s(?:out\s|back\s|home\s)?"
    rf"(?:on|with)\s(?:the\s)?({_WORD}(?:\s{_WORD})?)\s(?:air|airlines|airways|aviation)\b",
    re.I,
)


def carriers(text: str) -> list[Found]:
    """An airline or air taxi after a verb of flying: 'we fly out on ptarmigan air'; 'the
    fresh mountain air' stays (no verb of flying before it).

    Parameters
    ----------
    text : str
        One turn's text.

    Returns
    -------
    list of Found
        Kind ORGANIZATION, recognizer ``transcript_carrier``, score 0.6.
    """
    out = []
    for m in _CARRIER.finditer(text):
        said = m.group(1).casefold().split()
        if said[0] in STOP_WORDS or said[0] in _NOT_A_NAME:
            continue
        out.append(Found(m.start(1), m.end(), "ORGANIZATION", "transcript_carrier", SCORE))
    return out


def find_addressed(text: str) -> list[Found]:
    """Every finder of this module that needs only the text (not merged).

    Parameters
    ----------
    text : str
        One turn's text.

    Returns
    -------
    list of Found
    """
    return [
        *greeted_names(text),
        *full_names(text),
        *kin_is_name(text),
        *union_locals(text),
        *carriers(text),
    ]
