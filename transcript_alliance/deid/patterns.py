"""What spoken transcripts say that a news-trained NER model misses, as Presidio pattern
recognizers: people named through kinship, titles and nicknames ('my sister Anna',
'Coach Dempsey', 'we called him Tank'), ages over 89 (HIPAA Safe Harbor keeps younger
ages), calendar dates (not 'last week'), street addresses and ZIP codes, emails, and
record, member and claim numbers. Each pattern is data: a name, a regex, a score."""

from __future__ import annotations

import regex
from presidio_analyzer import Pattern, PatternRecognizer

_CAP = r"[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?"
_NAME = rf"{_CAP}(?:\s{_CAP})?"
KIN = (
    "sister|brother|mom|mother|mum|dad|father|son|daughter|wife|husband|partner|boyfriend|"
    "girlfriend|ex|friend|buddy|cousin|aunt|auntie|uncle|nana|grandma|grandpa|granny|"
    "grandmother|grandfather|niece|nephew|boss|manager|coach|sponsor|neighbou?r|roommate|"
    "fianc[ée]e?|stepdad|stepmom|stepson|stepdaughter|girl|guy|kid|baby|teacher|counselor|"
    "therapist|doctor|nurse|rep|supervisor|coworker|colleague|mentor|pastor|priest|grandson|"
    "granddaughter|grandkid|grandchild|godmother|godfather|stepsister|stepbrother|caseworker|"
    "landlord|lawyer|psychiatrist"
)
TITLES = (
    r"Dr|Mr|Mrs|Ms|Miss|Mx|Prof|Professor|Coach|Officer|Detective|Sergeant|Sgt|Father|"
    r"Pastor|Rabbi|Imam|Reverend|Rev|Nurse|Grandpa|Grandma|Nana|Uncle|Aunt|Auntie|Judge|"
    r"Captain|Capt|Lieutenant|Lt|Chief|Deputy|Sheriff|Major|Colonel|Corporal|Private|Agent"
)
_NUM_WORDS = "one|two|three|four|five|six|seven|eight|nine"
_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_AGE_CONTEXT = (
    r"(?:she's|he's|she is|he is|I'm|I am|they're|who's|who is|is|turned|turns|turning|"
    r"aged|age|at)"
)
MONTHS = (
    r"January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
)
_ORD = r"\d{1,2}(?:st|nd|rd|th)?"
_DAYS = r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
HOLIDAYS = (
    r"Thanksgiving|Christmas(?: Eve| Day)?|Easter|Hanukkah|Chanukah|Passover|Ramadan|Eid|"
    r"Diwali|Yom Kippur|Rosh Hashanah|Lunar New Year|New Year's(?: Eve| Day)?|Halloween|"
    r"Memorial Day|Labor Day|Independence Day|Veterans Day|Valentine's Day|Mother's Day|"
    r"Father's Day"
)
STREETS = (
    r"Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|Drive|Dr\.?|Lane|Ln\.?|Boulevard|Blvd\.?|Court|"
    r"Ct\.?|Way|Place|Pl\.?|Terrace|Parkway|Pkwy\.?|Highway|Hwy\.?|Circle|Square|Crescent|"
    r"Close|Row|Alley|Trail"
)
ORG_NOUNS = (
    r"Center|Centre|Hospital|Clinic|School|Academy|University|College|Institute|Church|"
    r"Chapel|Temple|Mosque|Synagogue|Library|Bank|Club|YMCA|YWCA|Diner|Cafe|Café|"
    r"Restaurant|Trattoria|Pharmacy|Health|Healthcare|Services|Association|Foundation|"
    r"Department|Veterans|Logistics|Labs|Group|Company|Corporation|Inc\.?|LLC|Ltd\.?|"
    r"Partners|Motors|Agency|Society|Council|Ministries|Living|Nursing Home|Medicine"
)
_UNIT = r"(?:,?\s(?i:apartment|apt\.?|unit|suite|flat|#)\s?[\w/-]+)?"
# A unit said before the number, as British and Australian addresses put it ('Flat 2/1, 41
# Thornwood Drive', 'Unit 3, 12 Smith Street').
_UNIT_BEFORE = r"(?:(?:Flat|Apartment|Apt\.?|Unit|Suite)\s[\w/-]+,?\s)?"
# Postcodes of the UK ('G11 7RT', 'SW1A 1AA') and Canada ('K1A 0B1'), by their formats.
_POSTCODE = r"(?:[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|[A-Z]\d[A-Z]\s?\d[A-Z]\d)"

PATTERNS: dict[str, list[tuple[str, str, float]]] = {
    "PERSON": [
        ("kinship name", rf"(?<=\b(?i:{KIN})(?:,)?\s){_NAME}\b", 0.6),
        ("title name", rf"\b(?:{TITLES})\.?\s{_CAP}(?:[- ]{_CAP})?\b", 0.7),
        (
            "called name",
            rf"(?<=\b(?i:call(?:s|ed)? (?:me|him|her|them)|named|goes by|"
            rf"go by|name's|name is)\s){_NAME}\b",
            0.7,
        ),
        ("nickname title", rf"\b(?:Big|Little|Lil|Uncle|Aunt)\s{_CAP}\b", 0.5),
        (
            "greeting name",
            rf"(?<=\b(?:Hi|Hello|Hey|Thanks|Thank you|Bye|Goodbye|Welcome|Welcome back|"
            rf"Morning|Good morning|Good afternoon|Good evening|See you|Sorry),?\s){_CAP}\b"
            r"(?!\s[a-z]+ing\b)",
            0.5,
        ),
    ],
    "AGE": [
        (
            "age in digits",
            rf"(?<=\b(?i:{_AGE_CONTEXT})\s)(?:9\d|1[01]\d)\b(?!\s?(?:%|percent|"
            r"minutes|dollars|bucks|days|times|pounds|miles|point|degrees))",
            0.6,
        ),
        ("age years old", r"\b(?:9\d|1[01]\d)(?=[\s-]years?[\s-]old)", 0.8),
        (
            "age in words",
            rf"(?<=\b(?i:{_AGE_CONTEXT})\s)(?i:ninety(?:[- ](?:{_NUM_WORDS}))?)\b"
            r"(?!\s(?:percent|minutes|dollars|bucks|days|times|pounds|miles|point|degrees))",
            0.7,
        ),
        (
            "hundred and",
            rf"\b(?i:(?:a|one) hundred(?: and (?:{_NUM_WORDS}|{_TEENS}))?)"
            r"(?=\s?(?:[!?.]|years?[\s-]old))",
            0.5,
        ),
    ],
    "DATE": [
        (
            "month day year",
            rf"\b(?:(?:{_DAYS}),?\s)?(?:{MONTHS})\.?\s{_ORD}(?:,?\s\d{{4}})?\b",
            0.8,
        ),
        (
            "day of month",
            rf"\b(?:(?:{_DAYS}),?\s)?(?:the\s)?{_ORD}\sof\s(?:{MONTHS})"
            r"(?:,?\s\d{4})?\b",
            0.8,
        ),
        (
            "day month year",  # British, Irish, Australian and NZ order: '3 April 1999'
            rf"\b(?:(?:{_DAYS}),?\s)?{_ORD}\s(?:{MONTHS})\b\.?(?:,?\s\d{{4}}\b)?",
            0.8,
        ),
        ("month year", rf"\b(?:{MONTHS})\s(?:19|20)\d\d\b", 0.7),
        ("numeric date", r"\b\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b", 0.8),
        ("weekday the nth", rf"\b(?:{_DAYS}) the \d{{1,2}}(?:st|nd|rd|th)\b", 0.8),
        ("the nth", r"\bthe \d{1,2}(?:st|nd|rd|th)\b", 0.5),
        ("holiday", rf"\b(?:{HOLIDAYS})\b", 0.5),
    ],
    "ADDRESS": [
        (
            "street address",
            rf"\b{_UNIT_BEFORE}\d{{1,5}}\s(?:(?:North|South|East|West|N\.|S\.|E\.|W\.)\s)?"
            rf"(?:{_CAP}\s){{0,3}}(?:{STREETS})(?=\W|$){_UNIT}(?:,?\s{_POSTCODE}\b)?",
            0.8,
        ),
        (
            "street name",
            rf"\b(?:(?:North|South|East|West)\s)?(?:{_CAP}\s){{1,3}}(?:{STREETS})"
            r"(?=\W|$)",
            0.6,
        ),
        (
            "numbered street",
            rf"\b(?:(?:North|South|East|West)\s)?\d{{1,3}}(?:st|nd|rd|th)\s"
            rf"(?:{STREETS})(?=\W|$)",
            0.7,
        ),
        ("route", r"\b(?:Route|Highway|Interstate|State Road|County Road)\s\d{1,4}\b", 0.6),
        ("zip code", r"(?<=[A-Za-z],?\s)\d{5}(?:-\d{4})?\b", 0.5),
        ("postcode", rf"\b{_POSTCODE}\b", 0.6),
        # Australian postcodes follow the state ('QLD 4810')
        ("state postcode", r"(?<=\b(?:QLD|NSW|VIC|SA|WA|TAS|NT|ACT)\s)\d{4}\b", 0.5),
    ],
    "ORGANIZATION": [
        (
            "named institution",
            rf"\b(?:(?:St\.|Saint|the|of|and|&|{_CAP}(?:'s)?|[A-Z]{{2,5}})\s)"
            rf"{{0,4}}(?:{ORG_NOUNS})\b",
            0.6,
        ),
        (
            "place on a street",
            r"(?<=\b(?:at|from|to|with|for)\s(?:the\s)?)[A-Z][a-z]+s?"
            r"(?=\s(?:on|in|near|by|over on|down on)\s[A-Z])",
            0.5,
        ),
    ],
    "EMAIL": [("email", r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b", 0.9)],
    "ID": [
        ("keyed number", r"\b(?:[A-Z]{2,4}[- ]?)?\d[\d-]{3,}\d\b(?<=\d{2}[-\d]*\d)", 0.4),
        (
            "letters and digits",
            r"\b(?=[A-Z0-9-]*\d{3})(?=[A-Z0-9-]*[A-Z])[A-Z0-9]{2,}"
            r"(?:-[A-Z0-9]+){0,3}\b",
            0.5,
        ),
        ("ssn", r"\b\d{3}-\d{2}-\d{4}\b", 0.8),
    ],
}
# An ID must hold at least five digits: shorter numbers are counts, times and years.
MIN_ID_DIGITS = 5


def pattern_recognizers() -> list[PatternRecognizer]:
    """Presidio recognizers for the transcript patterns in `PATTERNS`, one per kind.

    Case-sensitive (Presidio ignores case by default): names and streets are found by
    their capitals.

    Returns
    -------
    list of presidio_analyzer.PatternRecognizer
        Named ``transcript_<kind>``, each pattern with its score (0-1).
    """
    return [
        PatternRecognizer(
            supported_entity=kind,
            name=f"transcript_{kind.lower()}",
            patterns=[Pattern(name, rx, score) for name, rx, score in patterns],
            # Presidio ignores case by default; names and streets are found by their capitals
            global_regex_flags=regex.DOTALL | regex.MULTILINE,
        )
        for kind, patterns in PATTERNS.items()
    ]
