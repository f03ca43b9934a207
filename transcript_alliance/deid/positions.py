"""Names and places in cased text by their place in the sentence, where the NER model and
the census lists fall short.

spaCy's small English model reads a name it has rarely seen by its shape and context:
`I talked to Priya about the move` gives `Priya` as a nationality (NORP, not an
identifier here), `I talked to Siobhan` gives a place, `I was with Deepak and Anjali` an
organisation; and the census lists of 1990 lack many names given since (`Priya`,
`Anjali`, `Xiomara`). So:

- `names_by_position`: a capitalised word that is not an English word (`lexicon.is_english`),
  not a place in the gazetteer (unless it is a listed first name), and not at the start
  of a sentence, is a PERSON where a person stands: after a verb of talking or meeting
  (`talked to`, `told`, `asked`, `texted`, `met`, `called`, `named`, `had lunch with`),
  after `and` next to a listed first name (`Deepak and Anjali`), or before a verb of
  saying (`said`, `told`, `asked`) or `and I` (there also at a sentence's start:
  `Priya said it was fine`). A run of such words is one person (`Priya Raman`).
- `places_by_movement`: an organisation whose words are a GeoNames town, said after a verb
  of going or living (`moved to Springfield in May`, `drove to Springfield`), is a
  LOCATION: the organisation rule for `to X in Y` and the NER model both call some towns
  organisations.
"""

from __future__ import annotations

import regex

from .found import Found
from .lexicon import is_english, name_lists
from .spoken import fold, gazetteer, place_names, words

RECOGNIZER = "transcript_name_position"
SCORE = 0.55
# A run of capitalised words (any script): 'Priya', 'Priya Raman', "O'Neill", 'Ana-Sofia'.
_RUN = regex.compile(
    r"(?<![\p{L}\d'’-])\p{Lu}\p{Ll}+(?:['’]\p{Lu}\p{Ll}+|-\p{Lu}?\p{Ll}+)*"
    r"(?:\s\p{Lu}\p{Ll}+(?:['’]\p{Lu}\p{Ll}+|-\p{Lu}?\p{Ll}+)*)*(?![\p{L}\d])"
)
# Before a person: verbs of talking, telling, meeting (the words just before the name).
_BEFORE = regex.compile(
    r"(?i:\b(?:(?:talk(?:ed|ing|s)?|spoke|speak(?:ing|s)?|said|say(?:ing|s)?|wrote|"
    r"writ(?:e|es|ing)|listen(?:ed|ing|s)?|lied|apologi[sz]ed|reached\sout|complain(?:ed)?|"
    r"introduced\s(?:me|him|her|them|us)|married|engaged|text(?:ed)?|mention(?:ed)?\sit|"
    r"explain(?:ed)?\sit|went\sover|ran\sover|gave\sit|sent\sit|showed\sit)\sto"
    r"|(?:talk(?:ed|ing|s)?|spoke|speak(?:ing|s)?|met|meet(?:ing|s)?|argu(?:ed|ing|e)|"
    r"fight(?:ing|s)?|fought|broke\sup|hang(?:ing)?\sout|hung\sout|went\sout|go(?:ing)?\sout|"
    r"liv(?:e|es|ed|ing)|stay(?:ed|ing|s)?|moved\sin|spen[dt]\stime|sat|sit(?:ting)?|"
    r"chat(?:ted|ting)?|lunch|dinner|coffee|breakfast|drinks|date|friends|time|"
    r"session|appointment|meeting|call|phone|relationship|things)\swith"
    r"|with|told|tell(?:s|ing)?|ask(?:ed|ing|s)?|text(?:ed|ing|s)?|e-?mail(?:ed|ing)?|"
    r"messag(?:ed|ing)|call(?:ed|ing)?|named|met|thank(?:ed)?|hugg?(?:ed|ing)?|"
    r"marr(?:y|ied|ying)|dat(?:ed|ing)|divorc(?:ed|ing)|miss(?:ed|ing)?|lov(?:e|ed|ing)|"
    r"trust(?:ed)?|blam(?:e|ed|ing)|forgave|forgive|visit(?:ed|ing)?|invited|see(?:ing)?|"
    r"saw|seen|dumped|left|babysit|picked\sup|dropped\soff|pick\sup)\s$"
    # a list of people opened by a plural kin word ('the kids, Tayla, Brock and ...') and a
    # pet name's diminutive ('little Bluey')
    r"|\b(?:kids|children|grandkids|grandchildren|sons|daughters|siblings|brothers|sisters|"
    r"cousins|nieces|nephews|boys|girls|twins)(?:\sare)?,?\s$|\b(?:little|lil|baby|big)\s$)"
)
# After a person: a verb of saying or thinking, 'and I'.
_AFTER = regex.compile(
    r"(?:\s(?:from|at|in|on)\s\p{Ll}+(?:\s\p{Ll}+)?)?"  # 'Priya from finance said'
    r"\s(?:said|says|told|tells|asked|asks|texted|texts|called|calls|thinks|thought|wants|"
    r"wanted|yelled|screamed|cried|laughed|replied|answered|emailed|wrote|and\s(?:I|me)\b|"
    r"(?:is|was)\s(?:my|our|his|her|their)\s)"
    r"|['’]s(?:\.\.\.|…|\s(?:mum|mom|dad|birthday|wife|husband|partner|kids|brother|"
    r"sister|girlfriend|boyfriend|place|house|school)\b)"  # "Morag's... she tries"
)
# A sentence begins here: a capital says nothing ('Boston is' or 'Hopefully').
_SENTENCE_START = regex.compile(r"(?:^|[.!?…]['\"”’)]*\s+|[\"“(]\s*|[:;]\s+|\s-\s+)$")
# Capitalised words that are never a person here: days, months, holidays.
_NEVER = words(
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "may june july august september october november december god jesus christ christmas "
    "easter thanksgiving halloween internet okay ok"
)


def _word_is_namey(word: str, first_names: frozenset[str], places: dict[str, int]) -> bool:
    w = fold(word)
    if len(w) < 3 or w in _NEVER or not w.replace("-", "").replace("'", "").isalpha():
        return False
    if w in first_names:
        return True  # a listed first name that is a word too needs the NER model or a cue
    return not is_english(w) and w not in places


def names_by_position(text: str) -> list[Found]:
    """People named by their place in a cased sentence; see the module's docstring.

    Parameters
    ----------
    text : str
        One turn's text.

    Returns
    -------
    list of Found
        Kind PERSON, recognizer ``transcript_name_position``, score 0.55, character offsets
        into `text`.
    """
    first_names = gazetteer()[0] | name_lists().first
    places = place_names()
    out = []
    for m in _RUN.finditer(text):
        words = list(regex.finditer(r"\S+", m.group()))
        # the name part: from the first word that could be a name; words before it that
        # are English ('Then', 'Aunt') are not part of it
        start = next(
            (i for i, w in enumerate(words) if _word_is_namey(w.group(), first_names, places)),
            None,
        )
        if start is None:
            continue
        end = start
        while end + 1 < len(words) and _surname_like(words[end + 1].group()):
            end += 1
        begin, finish = m.start() + words[start].start(), m.start() + words[end].end()
        at_start = _SENTENCE_START.search(text[:begin]) is not None
        listed = all(_listed_first(w.group(), first_names) for w in words[start : end + 1])
        english = all(is_english(fold(w.group())) for w in words[start : end + 1])
        before = _BEFORE.search(text[:begin]) is not None or _and_name(
            text, begin, first_names, places
        )
        after = _AFTER.match(text, finish) is not None
        if english and listed:
            continue  # 'Will', 'Grace', 'Hope': left to the NER model and the lists' rules
        if (before and not at_start) or after:
            out.append(Found(begin, finish, "PERSON", RECOGNIZER, SCORE))
    return out


def _listed_first(word: str, first_names: frozenset[str]) -> bool:
    return fold(word) in first_names


def _surname_like(word: str) -> bool:
    """A capitalised word after a name that goes with it: a surname ('Raman', 'Lopez')."""
    w = fold(word)
    lists = name_lists()
    return w not in _NEVER and (not is_english(w) or w in lists.common_last)


def _and_name(text: str, begin: int, first_names: frozenset[str], places: dict[str, int]) -> bool:
    """'Deepak and Anjali', 'Tayla, Brock': after 'and' or a list's comma that follows a
    name (`_word_is_namey`)."""
    m = regex.search(r"(\p{Lu}\p{Ll}+)(?:,?\s(?:and|or|&)\s|,\s)$", text[:begin])
    return bool(m) and _word_is_namey(m.group(1), first_names, places)


# Before a place: a verb of going or living, and its preposition.
_MOVEMENT = regex.compile(
    r"(?i:\b(?:mov(?:e|ed|es|ing)|relocat(?:e|ed|ing)|drove|driv(?:e|es|ing)|flew|"
    r"fl(?:y|ies|ying)|went|go(?:es|ing)?|head(?:ed|ing)?|travel(?:l?ed|l?ing|s)?|came|com(?:e|es|ing)|"
    r"commut(?:e|ed|es|ing)|walk(?:ed|ing)?|ran|run(?:ning)?|ride|rode|trip|road\strip|"
    r"liv(?:e|es|ed|ing)|grew\sup|born|raised|stay(?:ed|ing|s)?|settled|based|"
    r"stationed|visit(?:ed|ing)?|back|home)(?:\s(?:up|down|out|over|back|all\sthe\sway))?"
    r"\s(?:to|in|into|from|near|outside(?:\sof)?)\s(?:the\s)?$)"
)


def places_by_movement(text: str, hits: list[Found]) -> list[Found]:
    """Organisations that are towns said after a verb of going or living become LOCATION
    (`moved to Springfield in May`); other hits are returned as they are.

    Parameters
    ----------
    text : str
        One turn's text.
    hits : list of Found
        Merged hits on `text`.

    Returns
    -------
    list of Found
        The same spans, in order; a moved-to town's kind LOCATION.
    """
    places = place_names()
    out = []
    for h in hits:
        if (
            h.kind == "ORGANIZATION"
            and fold(text[h.start : h.end]) in places
            and _MOVEMENT.search(text[: h.start])
        ):
            h = Found(h.start, h.end, "LOCATION", h.recognizer, h.score)
        out.append(h)
    return out


# A family by its surname in the plural: 'the Hendersons', "The Pattersons' cabin", 'the
# okafors'. The stem must be a surname on the census lists; said in lower case it must
# also be no English word ('the millers', 'the browns' stay).
_FAMILY = regex.compile(r"(?<![\p{L}])(?i:the)\s+(\p{L}+?)(e?s)(?:['’](?![\p{L}]))?(?![\p{L}'’])")


def family_plurals(text: str) -> list[Found]:
    """Families named by their surname in the plural after 'the'.

    Parameters
    ----------
    text : str
        One turn's text.

    Returns
    -------
    list of Found
        Kind PERSON, recognizer ``transcript_family_plural``, score `SCORE`, the surname
        and its plural ending (not 'the'), character offsets into `text`.
    """
    from .lexicon import in_wordnet

    surnames = name_lists().common_last
    out = []
    for m in _FAMILY.finditer(text):
        stem, ending = m.group(1), m.group(2)
        folded = fold(stem)
        if len(folded) < 3 or folded + ending.casefold() in surnames:
            continue  # 'the williams' is a surname, not a plural
        if folded not in surnames and not (stem[:1].isupper() and not is_english(folded)):
            continue
        if stem.islower() and in_wordnet(folded):
            continue
        if (stem[:1].isupper() and stem[1:].islower()) or stem.islower():
            out.append(Found(m.start(1), m.end(), "PERSON", "transcript_family_plural", SCORE))
    return out
