"""Large US chains, employers, banks and apps said by name alone (issue 19, sixth round).

Source of truth: written for this project from memory of the largest US retailers by
revenue, restaurant chains, employers, banks, insurers and consumer apps (names are
facts; no list was copied). A few hundred names at most: the ones a client most often
names in therapy. Entries in `ALONE` are not English words or phrases, so a mention is the
business wherever it is said (`walgreens`, `kroger`, `dollar general`, `h e b`); entries in
`CUED` are English words (`target`, `chase`, `calm`, `amazon`) and count only after a
business cue (`at the`, `work for`, `shop at`, `from`, `my bank is`) or before a business
noun (`the calm app`, `amazon warehouse`, `target corporate`), and never before a
determiner or pronoun (`target my anxiety`, `chase the feeling`). Letters said one by one
(`h e b`, `i g a`, `c v s`) are matched with or without spaces or dots.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .found import Found

ALONE = """
walmart|wal mart|kroger|costco|walgreens|cvs|rite aid|home depot|lowe's|lowes|best buy|
dollar general|dollar tree|family dollar|aldi|publix|safeway|albertsons|meijer|h e b|i g a|
wegmans|food lion|giant eagle|hy vee|winco|shoprite|stop and shop|harris teeter|fred meyer|
piggly wiggly|king soopers|ralphs|vons|jewel osco|sprouts farmers market|trader joe's|
whole foods|sam's club|bj's wholesale|seven eleven|7 eleven|wawa|sheetz|quiktrip|
circle k|speedway|kohl's|macy's|nordstrom|jcpenney|j c penney|tj maxx|t j maxx|marshalls|
homegoods|burlington coat factory|big lots|ikea|menards|tractor supply|autozone|
o'reilly auto parts|advance auto parts|jiffy lube|petsmart|petco|dick's sporting goods|
bass pro shops|cabela's|old navy|ulta|sephora|hobby lobby|michaels|joann|bed bath and beyond|
gamestop|foot locker|dillard's|belk|kmart|sears|
mcdonald's|mcdonalds|starbucks|dunkin|dunkin donuts|chick fil a|taco bell|burger king|
chipotle|panera|applebee's|applebees|olive garden|waffle house|ihop|cracker barrel|
domino's|dominos|pizza hut|papa john's|kfc|popeyes|arby's|culver's|whataburger|
in n out|buffalo wild wings|chili's|red lobster|texas roadhouse|five guys|jimmy john's|
panda express|little caesars|dairy queen|jack in the box|zaxby's|raising cane's|
longhorn steakhouse|golden corral|hooters|
fedex|usps|lockheed martin|northrop grumman|raytheon|boeing|general motors|tesla|
microsoft|google|facebook|instagram|snapchat|tiktok|youtube|netflix|spotify|reddit|
twitter|linkedin|whatsapp|doordash|grubhub|instacart|postmates|uber eats|lyft|airbnb|
ibm|intel|verizon|at and t|t mobile|comcast|xfinity|geico|state farm|allstate|aetna|
cigna|humana|kaiser permanente|unitedhealthcare|united healthcare|blue cross|blue shield|
wellcare|molina|wells fargo|bank of america|citibank|capital one|pnc|td bank|truist|
navy federal|usaa|fifth third|huntington bank|regions bank|key bank|keybank|ally bank|
american express|paypal|venmo|zelle|cash app|betterhelp|talkspace|myfitnesspal|
duolingo|weight watchers|planet fitness|la fitness|anytime fitness|goodwill industries|
salvation army|amazon prime|whole foods market|ups store|accenture|deloitte|
"""

CUED = """
target|chase|amazon|apple|calm|headspace|noom|discord|hinge|tinder|bumble|staples|
safelite|anthem|subway|outback|wendy's|denny's|dell|exxon|chevron|sunoco|citgo|
goodwill|ups|etsy|ebay|
"""

# A business cue before an English-word chain name ('at the target', 'shop at',
# 'work for', 'my bank is').
_CUE_BEFORE = re.compile(
    r"\b(?:at|from|for|with|into|past|near|behind|across\sfrom|next\sto|went\sto|go\sto|"
    r"going\sto|goes\sto|drove\sto|run\sto|ran\sto|trip\sto|over\sto|bank\sis|"
    r"bank\swith|banks\swith|insurance\sis|insured\swith|app\scalled|app\snamed)\s"
    r"(?:the\s)?(?:local\s)?$",
    re.I,
)
# A business noun after one ('the calm app', 'amazon warehouse', 'target corporate').
_NOUN_AFTER = re.compile(
    r"\s(?:app|apps|warehouse|store|stores|pharmacy|corporate|headquarters|hq|account|"
    r"card|credit\scard|gift\scard|distribution\scenter|fulfillment\scenter|parking\slot|"
    r"bank|branch|supercenter|location|driver|delivery|deliveries|subscription|"
    r"premium|plus|prime|customer\sservice|manager|shift|shifts|job)\b",
    re.I,
)
# ... and what says an English-word name is the word ('target my anxiety', 'chase the
# feeling', 'to calm down').
_WORD_AFTER = re.compile(
    r"\s(?:my|your|his|her|our|their|the|a|an|that|this|these|those|it|them|him|us|me|"
    r"you|some|any|down|after|away|off|up|around|each|every|specific|certain|people|"
    r"folks|myself|yourself|himself|herself|ourselves|themselves|and\s(?:calm|relax|breathe))"
    r"\b",
    re.I,
)
_SPLIT = re.compile(r"\s*\|\s*")


def _pattern(name: str) -> str:
    """A name as a regex: words joined by spaces or hyphens, letters said one by one
    joined by nothing, spaces or dots ('h e b' matches 'heb', 'h-e-b', 'h. e. b.'),
    apostrophes optional."""
    words = name.split()
    parts: list[str] = []
    letters: list[str] = []
    for w in [*words, ""]:
        if len(w) == 1 and w.isalpha():
            letters.append(re.escape(w))
            continue
        if letters:
            parts.append(r"[\s.-]*".join(letters) + r"\.?")
            letters = []
        if w:
            parts.append(re.escape(w).replace("'", "['’]?"))
    return r"[\s-]+".join(parts)


@lru_cache(maxsize=1)
def _compiled() -> tuple[re.Pattern, re.Pattern]:
    def alternation(block: str) -> re.Pattern:
        names = sorted({n for n in _SPLIT.split(block.strip().replace("\n", "")) if n})
        names.sort(key=len, reverse=True)
        body = "|".join(_pattern(n) for n in names)
        return re.compile(rf"(?<![\w'’-])(?:{body})(?![\w'’-])", re.I)

    return alternation(ALONE), alternation(CUED)


def chain_names(text: str) -> list[Found]:
    """Large chains, employers, banks and apps named in a turn, in any case.

    Parameters
    ----------
    text : str
        One turn's text.

    Returns
    -------
    list of Found
        Kind ORGANIZATION, recognizer ``transcript_chain``, score 0.6, character offsets
        into `text`: every `ALONE` name; a `CUED` name only after a business cue or before
        a business noun, and not before a determiner or pronoun.
    """
    alone, cued = _compiled()
    out = [
        Found(m.start(), m.end(), "ORGANIZATION", "transcript_chain", 0.6)
        for m in alone.finditer(text)
    ]
    for m in cued.finditer(text):
        after = text[m.end() :]
        if _WORD_AFTER.match(after):
            continue
        before = text[: m.start()]
        # an app named in the same breath as 'app' ('one app like this on the phone calm')
        app = re.search(r"\bapps?\b", before[-60:], re.I)
        if _NOUN_AFTER.match(after) or _CUE_BEFORE.search(before) or app:
            out.append(Found(m.start(), m.end(), "ORGANIZATION", "transcript_chain", 0.6))
    return out
