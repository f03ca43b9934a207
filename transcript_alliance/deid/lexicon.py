"""Which lower-case words are English and which are names, for text with no capitals.

English: WordNet (shipped in the spaCy model's lemmatizer tables: its nouns, verbs,
adjectives and adverbs, with their inflections through the same tables' exceptions and
suffix rules: `went`, `knees`, `harder`), spaCy's stop words, and spoken fillers (`um`,
`gonna`). Names: the US Census 1990 first-name and surname lists as shipped in the PyPI
package `names` (MIT; the data public domain), read offline; where that package is
missing, the shorter lists in `names.json` (the 1,600 commonest first names, 5,000
commonest surnames). A word on a name list that is not English (`fenwick`, `delgado`,
`braden`) is a name wherever it is said; one that is English (`grace`, `hunter`) needs a cue.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from spacy.lang.en.stop_words import STOP_WORDS


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Said in talk, not in WordNet: fillers, contractions without apostrophes, chat words.
FILLERS = _words(
    "um umm uh uhh uhm hmm hm mm mmm mhm mhmm erm yeah yep yup yea nope nah gonna wanna "
    "gotta kinda sorta dunno lol omg okay ok hey hi bye alright cuz cos gotcha ain't y'all "
    "im ive id dont doesnt didnt cant wont isnt wasnt arent werent couldnt wouldnt shouldnt "
    "thats theres whats hes shes theyre youre lemme gimme outta lotta ya yall til till "
    "anyways everybody's somebody's whatever's tho thru pls plz thx btw aka etc vs wow ugh "
    "oops huh whoa meh haha hahaha bro sis babe hun sweetie mija mijo mama papa fam kiddo "
    "bestie doc nana nanna granny gramma grampa abuela abuelo tia tio papi mami shall must ought "
    "mamaw papaw meemaw pawpaw copay copays vape vapes vaping vaped randoms texted texting "
    "sec secs sportsbook sportsbooks"
)
# Medicines said in therapy talk, not in WordNet, never identifiers ('off lexapro').
MEDICINES = _words(
    "zoloft lexapro prozac paxil celexa wellbutrin effexor cymbalta pristiq trintellix "
    "remeron buspar buspirone xanax ativan klonopin valium adderall ritalin vyvanse "
    "concerta strattera seroquel abilify risperdal zyprexa latuda lamictal depakote "
    "lithium ambien trazodone suboxone subutex narcan naloxone methadone vivitrol "
    "sertraline escitalopram fluoxetine paroxetine citalopram bupropion venlafaxine "
    "duloxetine mirtazapine alprazolam lorazepam clonazepam diazepam quetiapine "
    "aripiprazole risperidone olanzapine lamotrigine gabapentin hydroxyzine prazosin "
    "propranolol naltrexone buprenorphine ozempic metformin insulin tylenol advil "
    "ibuprofen rehab detox"
)
_POS = ("noun", "verb", "adj", "adv")


@lru_cache(maxsize=1)
def _lemma_tables() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]], dict]:
    """WordNet's words per part of speech, the irregular forms, and the suffix rules, from
    the spaCy model's lemmatizer tables (empty where the model ships none)."""
    from spacy.lookups import Lookups
    from spacy.util import get_package_path

    from ..nlp import model_name

    try:
        folder = get_package_path(model_name())
        (path,) = list(folder.glob("*/lemmatizer/lookups")) or list(
            folder.glob("lemmatizer/lookups")
        )
        lookups = Lookups().from_disk(path)
        tables = ("lemma_index", "lemma_exc", "lemma_rules")
        index, exc, rules = (lookups.get_table(t) for t in tables)
        return (
            {p: frozenset(index[p]) for p in _POS},
            {p: frozenset(exc[p]) if p in exc else frozenset() for p in _POS},
            {p: list(rules[p]) if p in rules else [] for p in _POS},
        )
    except Exception:  # another model layout: no dictionary
        return {}, {}, {}


@lru_cache(maxsize=65536)
def in_wordnet(word: str, parts: tuple[str, ...] = _POS) -> bool:
    """Whether WordNet has `word` (lower case), or the lemma it inflects, in these parts of
    speech.

    Parameters
    ----------
    word : str
        One lower-case word.
    parts : tuple of str
        Parts of speech among ``noun``, ``verb``, ``adj``, ``adv``.

    Returns
    -------
    bool
        False for every word where the spaCy model ships no lemmatizer tables.
    """
    index, exc, rules = _lemma_tables()
    for part in parts:
        known = index.get(part, frozenset())
        if word in known or word in exc.get(part, ()):
            return True
        for old, new in rules.get(part, ()):
            if word.endswith(old) and word[: len(word) - len(old)] + new in known:
                return True
    return False


@lru_cache(maxsize=65536)
def is_english(word: str) -> bool:
    """Whether a word is an ordinary English word: in WordNet (any part of speech, any
    inflection), a stop word, a spoken filler (`FILLERS`) or a medicine (`MEDICINES`).

    Parameters
    ----------
    word : str
        One word, any case; a possessive `'s` is dropped.

    Returns
    -------
    bool
    """
    w = word.casefold().replace("’", "'")
    w = w[:-2] if w.endswith("'s") else w
    return (
        w in STOP_WORDS
        or w in FILLERS
        or w in MEDICINES
        or in_wordnet(w)
        or not w.isalpha()
        or g_dropped(w)
    )


@lru_cache(maxsize=65536)
def g_dropped(word: str) -> bool:
    """A dialect or speech-recognition spelling of an English `-ing` word with its `g`
    dropped: `goin`, `nothin`, `feelin`, `somethin`, `passin'` (issue 19, eighth set).

    Parameters
    ----------
    word : str
        One word, any case; a trailing apostrophe is dropped.

    Returns
    -------
    bool
        True where `word + "g"` is a stop word or in WordNet (any inflection).
    """
    w = word.casefold().rstrip("'’")
    if len(w) < 4 or not w.endswith("in") or not w.isalpha():
        return False
    if w in name_lists().common_first or w in _G_BRANDS:
        return False  # 'robin', 'kevin'; 'dunkin'
    return w + "g" in STOP_WORDS or in_wordnet(w + "g")


# Brands spelled like a g-dropped word.
_G_BRANDS = frozenset({"dunkin"})

# Greetings and words of address that some recognizers take into a name ('morning doc',
# 'grab whichever chair'): never a name part (issue 19, seventh round).
_NEVER_PARTS = _words(
    "morning afternoon evening hey hi hello thanks bye goodbye doc whichever whatever whoever "
    "wherever whenever "
    # weekdays and days said relative to today name no one (the tenth set: `saturday` was
    # taken for a name by the case-restored NER, then replaced in every turn)
    "monday tuesday wednesday thursday friday saturday sunday today tonight tomorrow "
    "yesterday weekend "
    # halves of contractions as spaCy splits them (gon|na, wan|na, got|ta, gim|me, lem|me):
    # `im gonna quit` made `gon` a name
    "gon wan gim lem "
    # screening measures said by their letters (GAD-7, PHQ-9, PCL-5, ...), never names
    "gad phq pcl bdi bai dass audit cssrs ors srs wai oq"
)

# Stop words that are also given names the rules treat on their own (`spoken.WORD_NAMES`).
_NAME_STOP_WORDS = frozenset({"will", "may"})


def never_name_part(word: str) -> bool:
    """Whether a word can never be part of a person's name, whatever a recognizer said:
    a stop word (spaCy's list; `at`, `the`, `and`; not `will` or `may`, names that the
    word-name rules handle) or a g-dropped `-ing` word (`goin`). Such a word kept as a
    name part would be replaced wherever it is said (issue 19: `wayne at` made `at` a
    name in every turn).

    Parameters
    ----------
    word : str
        One word, any case; a possessive or contraction ending is dropped.

    Returns
    -------
    bool
    """
    w = word.casefold().replace("’", "'").split("'")[0]
    return (w in STOP_WORDS and w not in _NAME_STOP_WORDS) or w in _NEVER_PARTS or g_dropped(w)


@dataclass(frozen=True)
class NameLists:
    """First names and surnames, lower case.

    Attributes
    ----------
    common_first : frozenset of str
        The 1,000 commonest female and 600 commonest male first names (1990 census).
    first : frozenset of str
        Every first name on the lists (5,163 with the `names` package).
    common_last : frozenset of str
        The 5,000 commonest surnames.
    last : frozenset of str
        Every surname on the lists (88,799 with the `names` package).
    source : str
        ``names`` (the package) or ``names.json`` (the shipped short lists).
    """

    common_first: frozenset[str]
    first: frozenset[str]
    common_last: frozenset[str]
    last: frozenset[str]
    source: str


@lru_cache(maxsize=1)
def name_lists() -> NameLists:
    """The census name lists, read once per process (see the module docstring).

    Returns
    -------
    NameLists
    """
    shipped = json.loads(files(__package__).joinpath("names.json").read_text(encoding="utf-8"))
    common_first, common_last = frozenset(shipped["first"]), frozenset(shipped["last"])
    try:
        folder = files("names")

        def read(name: str) -> list[str]:
            text = folder.joinpath(name).read_text(encoding="utf-8")
            return [line.split()[0].casefold() for line in text.splitlines() if line.strip()]

        first = frozenset(read("dist.female.first") + read("dist.male.first"))
        last = frozenset(read("dist.all.last"))
        source = "names"
    except (ImportError, ModuleNotFoundError, FileNotFoundError, TypeError):
        first, last, source = common_first, common_last, "names.json"
    return NameLists(common_first, first | common_first, common_last, last | common_last, source)


@lru_cache(maxsize=65536)
def is_rare_name(word: str) -> bool:
    """A word on the census name lists (any, not only the commonest) that is not English:
    `fenwick`, `delgado`, `braden`, `osei`; four letters at least.

    Parameters
    ----------
    word : str
        One word, any case.

    Returns
    -------
    bool
    """
    w = word.casefold()
    if len(w) < 4 or not w.isalpha():
        return False
    lists = name_lists()
    return (w in lists.last or w in lists.first) and not is_english(w)
