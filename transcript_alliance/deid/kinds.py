"""The kind of an identifier from the evidence in its span and around it, where a
recognizer found the words but guessed the kind: a spoken number after 'my employee
number is' is an ID, not a phone number; 'nana bea' a person, not an organisation;
'the huckleberry app' a business; 'getting here from gary' a town; 'the Sunrise Diner on
Route 9' an organisation and an address. Spans split or given another kind here are
marked with the recognizer `transcript_kind_cue`, so that later steps keep their kind."""

from __future__ import annotations

import regex as re

from .found import Found
from .spoken import (
    BUSINESS_HEADS,
    DIGIT_WORDS,
    ORG_WORDS,
    STREET_WORDS,
    fold,
    place_names,
    words,
)

CUE = "transcript_kind_cue"
_NAMED = {"PERSON", "LOCATION", "ORGANIZATION"}

# Numbers: the cue nearest before a spoken number says what it is.
_PHONE_CUE = re.compile(
    r"\b(?:phone|cell|mobile|landline|fax|call(?:\s?back)?|text|reach|dial)\b"
    r"|\b(?:his|her|my|your|their|our|best|good|home|work|office|contact|emergency)"
    r"\snumber\b",
    re.I,
)
_ID_CUE = re.compile(
    r"\b(?:id|ssn|social|mrn|member|policy|claim|case\s(?:number|id|no)|account|confirmation|badge|employee|"
    r"license|licence|plate|record|chart|reference|medicaid|medicare|insurance|passport|"
    r"interpreter|student|patient|caller|tracking|order|ticket|routing|pin)\b",
    re.I,
)
_TITLES = words("mr mrs ms miss mx dr")
# Head nouns that end an organisation's name ('lucca trattoria', 'holy cross church').
_ORG_HEADS = words(
    "hospital clinic church chapel temple mosque synagogue school academy university college "
    "diner cafe pharmacy bank library bakery restaurant trattoria bistro deli tavern salon "
    "gym motel hotel pizzeria grill pub warehouse store dealership construction logistics "
    "roofing plumbing towing trucking landscaping insurance casino resort center centre "
    "daycare childcare preschool nursery montessori kindergarten"
)
_VERBS_AFTER = words("is was are were")
_PHONE_LENGTHS = (7, 10, 11)  # North American numbers, with or without area and country code

# Family words before a name inside an organisation or place span: 'nana bea', 'cousin
# dee dee', '... baptist aunt florence'.
_FAMILY = words(
    "aunt auntie uncle cousin nana grandma grandpa granny sister brother niece nephew son "
    "daughter wife husband mom mum dad mama papa stepdad stepmom"
)
# What places do not do: 'Charlotte came all the way', 'when brooklyn threw up'.
_PERSON_AFTER = re.compile(
    r"^(?:['’]s\s(?:birthday|mom|mum|dad|mother|father|sister|brother|room|bedroom|friends?|"
    r"teacher|party|boyfriend|girlfriend|husband|wife|kids?|baby|daycare|school|class)\b"
    r"|\s(?:said|says|told|tells|asked|asks|came|comes|cried|cries|called|calls|texted|"
    r"threw|throws|wants|wanted|thinks|thought|laughed|hugged|yelled|screamed|died|"
    r"passed\saway)\b)",
    re.I,
)
# 'she's at austin peay', 'my dad pitched at le moyne', 'here at whitmore': a person is
# never where someone is or works.
_AT_INSTITUTION = re.compile(
    r"\b(?:is|['’]s|are|was|were|i['’]?m|am|pitched|played|plays|works?|worked|working|"
    r"studies|studied|enrolled|here|there|student)\sat\s(?:the\s)?$",
    re.I,
)
_ACCOUNT_VERB = re.compile(
    r"\b(?:closed|downloaded|uninstalled|installed|subscribed\sto|signed\sup\s(?:for|with)|"
    r"logged\s(?:into|in\sto)|cancel(?:l)?ed)\s(?:my\s)?$",
    re.I,
)
# 'getting here from gary', 'my cousin's friend from selma', 'comes over from frogtown':
# where someone is from; 'a call from gary' is not.
_ORIGIN = re.compile(
    r"\b(?:here|back|over|down|up|all\sthe\sway|friends?|cousins?|family|folks|people|"
    r"originally|is|['’]s|are|was|were|i['’]?m|am|came|come|comes|coming|drive|drove|"
    r"driving|moved|move|moving|flew|fly|camp|village|town)\s(?:from|near|outside(?:\sof)?)"
    r"\s(?:the\s)?$",
    re.I,
)
_ORG_BEFORE = re.compile(
    r"(?:\bthe\s$|\b(?:bank|employer|insurer|insurance|carrier|pharmacy|gym|church|company|"
    r"provider)\s(?:is|was)\s$)",
    re.I,
)
_BRAND_AFTER = re.compile(r"\s(?:app|apps|account)\b", re.I)
_BRAND_LAST = re.compile(r"\s(?:app|apps)$", re.I)
_HEAD_AFTER = re.compile(rf"(?:\s[a-z]+)?\s(?:{ORG_WORDS}|app|account)\b")
_BUSINESS_LAST = re.compile(
    rf"\s(?:{'|'.join(sorted(BUSINESS_HEADS - {'family', 'union'}))}|timber|lumber|mill|"
    r"logging|sawmill)$",
    re.I,
)
_PLACE_LAST = re.compile(r"\s(?:bridge|river|creek|lake|canyon|valley|island|beach)$", re.I)
# 'lupe from kingsburg wants to come': the place is not the subject.
_PREPOSITION = re.compile(r"\b(?:from|in|at|to|near|of|outside|around|by)\s(?:the\s)?$", re.I)
_BUILDING = re.compile(r"\s(?:hall|building|tower|dorm)$", re.I)
_IN = re.compile(r"\b(?:in|into|inside|outside)\s(?:the\s)?$", re.I)
_STREET = re.compile(
    rf"^(?:(?:route|highway|hwy|interstate|i)\s?\d+|(?:\S+\s){{1,3}}(?:{STREET_WORDS}))$", re.I
)
_SPLIT_AT = re.compile(r"\s(?:on|in)\s", re.I)
_WORD = re.compile(r"[^\W\d_][^\W\d_'’-]*")


def by_evidence(text: str, hits: list[Found], before: str = "") -> list[Found]:
    """Hits with the kind their words and context show; a span that holds two
    identifiers split in two (an organisation and the street or town after 'on', 'in';
    an organisation and the relative named in it).

    Parameters
    ----------
    text : str
        One turn's text.
    hits : list of Found
        Non-overlapping hits on `text`, in order (character offsets).
    before : str, optional
        The previous turn's text: a question ('the medicaid number for your
        grandmother?') says what a number answered in this turn is.

    Returns
    -------
    list of Found
        The hits in order; those changed carry the recognizer `CUE`.
    """
    split = [part for h in hits for part in _split(text, h)]
    return [_kind(text, h, split, before) for h in split]


def _split(text: str, hit: Found) -> list[Found]:
    if hit.kind not in {"LOCATION", "ORGANIZATION"}:
        return [hit]
    hit = _trimmed(text, hit)
    return _person_inside(text, hit) or _street_or_town_after(text, hit) or [hit]


def _trimmed(text: str, hit: Found) -> Found:
    """Without a verb at its end ("rocky mount isn't")."""
    said = text[hit.start : hit.end]
    end = len(said.rstrip())
    while " " in said[:end] and _not_a_name_end(said[:end].rsplit(None, 1)[1]):
        end = len(said[:end].rsplit(None, 1)[0].rstrip())
    if hit.start + end < hit.end:
        return Found(hit.start, hit.start + end, hit.kind, CUE, hit.score)
    return hit


def _person_inside(text: str, hit: Found) -> list[Found] | None:
    """'nana bea', '... baptist aunt florence' (the family word left in clear),
    'sacramento city college ms. hwang' (the title kept with the name)."""
    words = list(_WORD.finditer(text, hit.start, hit.end))
    for i, word in enumerate(words):
        rest = words[i + 1 :]
        said = word.group().casefold()
        if not 1 <= len(rest) <= 3 or any(w.group().casefold() in _ORG_HEADS for w in rest):
            continue
        if said in _FAMILY:
            person = Found(rest[0].start(), hit.end, "PERSON", CUE, hit.score)
        elif said in _TITLES and i > 0 and len(rest) <= 2:
            person = Found(word.start(), hit.end, "PERSON", CUE, hit.score)
        else:
            continue
        if i == 0:
            return [person]
        return [Found(hit.start, words[i - 1].end(), hit.kind, CUE, hit.score), person]
    return None


def _street_or_town_after(text: str, hit: Found) -> list[Found] | None:
    """'the Sunrise Diner on Route 9', 'holy cross church in fayetteville'."""
    for m in _SPLIT_AT.finditer(text, hit.start, hit.end):
        left, right = text[hit.start : m.start()], text[m.end() : hit.end]
        if not _WORD.search(left) or right.casefold().startswith("the "):
            continue
        kind = "ADDRESS" if _STREET.match(right) else None
        if kind is None and fold(right) in place_names():
            kind = "LOCATION"
        if kind:
            return [
                Found(hit.start, m.start(), hit.kind, CUE, hit.score),
                Found(m.end(), hit.end, kind, CUE, hit.score),
            ]
    return None


_ON_STREET = re.compile(r"\s+on\s+$", re.I)
_STREETS_ALONE = words("main broadway")


def _street_on(text: str, hit: Found, hits: list[Found]) -> bool:
    """A one-word name after an organisation and 'on' ('Dunkin' on Main', 'the Shell on
    Elm') that is no known place, or 'Main' and 'Broadway' after 'on': a street said without its
    'Street'."""
    said = text[hit.start : hit.end]
    on = _ON_STREET.search(text, 0, hit.start)
    if on is None or " " in said.strip() or not said[:1].isupper():
        return False
    if said.casefold() in _STREETS_ALONE:
        return True
    if fold(said) in place_names():  # 'a bothy on Arran': an island, a town
        return False
    return any(
        h.end == on.start() and h.kind == "ORGANIZATION" and text[h.start : h.end][:1].isupper()
        for h in hits
    )


def _not_a_name_end(word: str) -> bool:
    """'isn't', 'was' ending an organisation or place span: a verb after the name."""
    return bool(re.search(r"n['’]t$", word, re.I)) or word.casefold() in _VERBS_AFTER


def _kind(text: str, hit: Found, hits: list[Found], before: str) -> Found:
    said = text[hit.start : hit.end]
    behind = text[max(0, hit.start - 40) : hit.start]
    if hit.recognizer == "transcript_spoken_number":
        kind = _number_kind(said, behind, text[hit.end :], before)
    elif hit.kind in _NAMED:
        kind = _named_kind(text, hit, hits)
    else:
        kind = None
    if kind is None or kind == hit.kind:
        return hit
    return Found(hit.start, hit.end, kind, CUE, hit.score)


def _named_kind(text: str, hit: Found, hits: list[Found]) -> str | None:
    """PERSON, LOCATION or ORGANIZATION where the span or its context shows which."""
    said = text[hit.start : hit.end]
    ahead, behind = text[hit.end : hit.end + 40], text[max(0, hit.start - 40) : hit.start]
    if _spells_a_name(text, said, hits):
        return "PERSON"
    if hit.kind in {"ORGANIZATION", "LOCATION"} and _street_on(text, hit, hits):
        return "ADDRESS"  # 'Dunkin' on Main': the street the shop is on
    if hit.kind == "LOCATION" and _PERSON_AFTER.match(ahead) and not _PREPOSITION.search(behind):
        return "PERSON"
    if fold(said) in {"va", "v a"} and _ORG_BEFORE.search(behind):
        return "ORGANIZATION"  # the VA, not Virginia
    if _ORG_BEFORE.search(behind) and not behind.endswith("the "):
        return "ORGANIZATION"  # 'my bank is chase'
    if _BRAND_AFTER.match(ahead) or _BRAND_LAST.search(said):
        return "ORGANIZATION"  # 'the huckleberry app'
    if hit.kind == "PERSON" and " " in said and said.rsplit(None, 1)[1].casefold() in _ORG_HEADS:
        return "ORGANIZATION"  # 'lucca trattoria'
    if hit.kind == "PERSON":
        return _not_a_person(said, ahead, behind)
    if hit.kind == "LOCATION" and _BUSINESS_LAST.search(said):
        return "ORGANIZATION"  # 'hoh valley timber'
    if hit.kind == "ORGANIZATION" and _PLACE_LAST.search(said):
        return "LOCATION"  # 'the red river bridge'
    brand_or_town = hit.recognizer == "transcript_brand" or fold(said) in place_names()
    if hit.kind == "ORGANIZATION" and brand_or_town and _ORIGIN.search(behind):
        return "LOCATION"  # 'comes over from frogtown'
    return None


def _not_a_person(said: str, ahead: str, behind: str) -> str | None:
    """A PERSON hit that context makes an organisation or a place: 'she's at austin
    peay', 'i closed draftkings', 'the LAX cargo warehouse', 'in harlan hall', 'getting
    here from gary'."""
    if ahead[:2] in {"'s", "’s"}:
        return None
    if _AT_INSTITUTION.search(behind) or _ACCOUNT_VERB.search(behind):
        return "ORGANIZATION"
    if behind.endswith("the ") and _HEAD_AFTER.match(ahead):
        return "ORGANIZATION"
    if _BUILDING.search(said) and _IN.search(behind):
        return "LOCATION"
    if _ORIGIN.search(behind) and fold(said) in place_names():
        return "LOCATION"
    return None


def _number_kind(said: str, behind: str, ahead: str, before: str) -> str | None:
    """ID or PHONE for a spoken number: letters make it an ID; else the nearest cue
    before it in the turn ('my employee number is'), then just after it ('that's my
    cell'), then at the end of the previous turn ('the medicaid number for your
    grandmother?'); else its length (a North American phone number has 7, 10 or 11
    digits)."""
    tokens = said.casefold().replace(",", " ").split()
    if any(t.isalpha() and t not in DIGIT_WORDS for t in tokens):
        return "ID"
    for context, nearest in ((behind, max), (ahead[:25], min), (before[-80:], max)):
        cues = [(m.end(), "PHONE") for m in _PHONE_CUE.finditer(context)]
        cues += [(m.end(), "ID") for m in _ID_CUE.finditer(context)]
        if cues:
            return nearest(cues)[1]
    if any(t in {"double", "triple"} for t in tokens):
        return None
    digits = sum(DIGIT_WORDS.get(t, 0) if t.isalpha() else sum(map(str.isdigit, t)) for t in tokens)
    return "PHONE" if digits in _PHONE_LENGTHS else "ID"


def _spells_a_name(text: str, said: str, hits: list[Found]) -> bool:
    """'j o h n s o n' after 'maya johnson': letters that spell a person found beside."""
    letters = said.casefold().split()
    if len(letters) < 3 or any(len(w) != 1 for w in letters):
        return False
    spelled = "".join(letters)
    return any(
        h.kind == "PERSON" and spelled in text[h.start : h.end].casefold().split() for h in hits
    )
