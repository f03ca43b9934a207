"""Session ids under de-identification: ids taken from file names often carry a client's
name and a date (`Maya_Johnson_2026-01-05`). `pseudonymise_id` replaces the names, places, dates
and contacts in an id with the client's own pseudonyms, brackets dropped
(`PERSON_1_DATE_2`), and leaves codes (`s01`, `P007_week3`) and the words of export
formats (`10-rev-speaker-paren-time`, `otter_transcript_final`) as they are.

A file name has no sentence to tell a surname from a word (`paren`, `speaker`, `long` and
`good` are all on the census surname lists), so a word in an id is a name only on
evidence (`id_identifiers`). `safe_file_stem` (in `io`, re-exported here) makes any id
usable as a file name inside an output folder."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import pairwise

import regex

from ..io import safe_file_stem as safe_file_stem  # re-exported: its home is io.py
from .engine import Found, find_identifiers, merge
from .lexicon import is_english, name_lists
from .pseudonyms import PseudonymTable
from .spoken import WORD_NAMES, gazetteer, words

# Kinds the recognizers may add in an id, read with its separators as spaces. PERSON is
# not among them: the NER model and the lower-case name rules read a file name as a
# sentence and take format words for names ('rev speaker paren'); names in ids are the
# rules below. IDs and organisations are left (an id is a code, and the NER model calls
# many codes organisations).
ID_KINDS = {"LOCATION", "DATE", "EMAIL", "PHONE", "ADDRESS", "AGE"}
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_DATES = regex.compile(
    r"(?<!\d)(?:(?:19|20)\d\d[-_.]?(?:0[1-9]|1[0-2])[-_.]?(?:0[1-9]|[12]\d|3[01])"
    r"|(?:0?[1-9]|[12]\d|3[01])[-_.](?:0?[1-9]|1[0-2])[-_.](?:19|20)?\d\d"
    r"|(?:0?[1-9]|1[0-2])[-_.](?:0?[1-9]|[12]\d|3[01])[-_.](?:19|20)?\d\d)(?!\d)"
    # a month by name with a day or a year: 'jan5', 'March_3_2026', '5jan', 'mar2026'
    rf"|(?<![A-Za-z])(?i:{_MONTHS})(?:[-_.]?{_DAY}(?:[-_.]?(?:19|20)?\d\d)?|[-_.]?(?:19|20)\d\d)"
    r"(?!\d)"
    rf"|(?<![\dA-Za-z]){_DAY}[-_.]?(?i:{_MONTHS})(?:[-_.]?(?:19|20)\d\d)?(?![A-Za-z\d])"
)
# Words in any script ('MayaJohnson' -> Maya, Johnson; 'JoséÁlvarez' -> José, Álvarez), and
# U+FFFD, which stands for bytes that could not be read: a word that holds it is unsure.
_WORDS = regex.compile(
    r"[\p{Lu}\p{Lt}\ufffd]?[\p{Ll}\p{Lo}\p{Lm}\ufffd]+|[\p{Lu}\ufffd]+(?![\p{Ll}\ufffd])"
)
UNREADABLE = "\ufffd"
# Words of file-naming schemes and transcript exports: never a name in an id, whatever
# the census lists or the client's sessions say ('speaker', 'otter', 'day' are surnames).
ID_FORMAT_WORDS = words(
    "day post new sample week wk session sess ses sesh intake final visit group client "
    "clients therapist therapists patient pt tx couple family team med meds followup follow "
    "up part audio video transcript transcripts transcription recording rec notes note "
    "summary draft copy edited clean cleaned raw verbatim redacted deid anon export exported "
    "rev speaker speakers label labels paren time timestamp timestamps otter zoom teams "
    "webex meet whisper whisperx pyannote rttm diarized diarization tscribe trint descript "
    "sonix temi happyscribe youtube captions caption subtitles subs auto autocaption chat "
    "interview focus baseline pre mid termination assessment screening eval pilot cohort "
    "wave arm control test demo example txt vtt srt json jsonl csv tsv docx cha wav mp3 mp4 "
    "asr stt wai srs ors phq gad cbt dbt emdr miti heldout version ver old orig original "
    "fixed new v"
)
# Titles before a name in a file name ('Dr_Okafor_notes').
_ID_TITLES = words("dr mr mrs ms mx miss prof")


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    kind: str  # 'date', 'strong' (a name on its own), 'weak' (a name in a name's place),
    # 'title', 'initial', 'word' (anything else: it ends a run of names)
    first: bool = False  # on the first-name lists
    last: bool = False  # on the surname lists


def plain(word: str) -> str:
    """A word case-folded, its accents dropped, for the (ASCII) name and word lists:
    `José` -> `jose`, `MÜLLER` -> `muller`.

    Parameters
    ----------
    word : str

    Returns
    -------
    str
    """
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _word_kind(word: str, known: set[str]) -> tuple[str, bool, bool]:
    """A word's evidence as a name in an id; see `id_identifiers`."""
    if UNREADABLE in word:
        return "strong", False, False  # unsure what it says: replaced, never kept
    w = plain(word)
    said = word.casefold() in known or w in known
    lists = name_lists()
    first = w in lists.first or w in gazetteer()[0]
    last = w in lists.common_last or (w in lists.last and not is_english(w))
    if w in ID_FORMAT_WORDS:
        return "word", False, False
    if w in _ID_TITLES:
        return "title", False, False
    english = is_english(w)
    if len(w) >= 2 and said:
        return "strong", first, last
    if len(w) >= 3 and not english and (w in lists.first or w in lists.common_last):
        return "strong", first, last  # 'jamie', 'renee', 'patel', 'nguyen', 'ramirez'
    if len(w) >= 3 and w in gazetteer()[0] and w not in WORD_NAMES:
        return "strong", first, last  # the commonest first names: 'john', 'jordan', 'sarah'
    if len(w) >= 3 and (first or w in lists.common_last):
        return "weak", first, last  # 'maya', 'johnson', 'grace', 'carter', 'long'
    if len(w) >= 4 and w.isalpha() and not english:
        return "weak", False, False  # a name the lists lack ('okafor', 'priyanka'), or 'paren'
    if len(w) >= 2 and w.isalpha() and not w.isascii():
        return "weak", False, False  # another script ('李明', 'Иван'): no lists to say
    return "word", False, False


def _tokens(session_id: str, known: set[str]) -> list[_Token]:
    out = [_Token(m.start(), m.end(), "date") for m in _DATES.finditer(session_id)]
    for m in _WORDS.finditer(session_id):
        if any(t.start < m.end() and m.start() < t.end for t in out):
            continue  # the 'jan' of 'jan5'
        rest = session_id[m.end() : m.end() + 2]
        if (
            len(m.group()) == 1 and m.group() != UNREADABLE
        ):  # 'J' of 'JSmith', 'j' of 'patel_j'; not 's' of 's01'
            initial = rest[:1].isupper() or (rest[:1] in "_-. " and not rest[1:2].isdigit())
            out.append(_Token(m.start(), m.end(), "initial" if initial else "word"))
            continue
        out.append(_Token(m.start(), m.end(), *_word_kind(m.group(), known)))
    return sorted(out, key=lambda t: t.start)


def _adjacent(session_id: str, a: _Token, b: _Token) -> bool:
    gap = session_id[a.end : b.start]
    return len(gap) <= 1 and gap in ("", "_", "-", ".", " ")


def _name_runs(session_id: str, tokens: list[_Token]) -> list[Found]:
    """Runs of adjacent name-like tokens that the evidence makes names."""
    hits, run = [], []
    namey = {"strong", "weak", "title", "initial"}
    for token in [*tokens, None]:
        if token is not None and token.kind in namey:
            if run and not _adjacent(session_id, run[-1], token):
                hits += _judge(session_id, tokens, run)
                run = []
            run.append(token)
            continue
        if run:
            hits += _judge(session_id, tokens, run)
            run = []
    return hits


def _judge(session_id: str, tokens: list[_Token], run: list[_Token]) -> list[Found]:
    kinds = [t.kind for t in run]
    before = [t for t in tokens if t.end <= run[0].start]
    after = [t for t in tokens if t.start >= run[-1].end]
    by_date = (
        before and before[-1].kind == "date" and _adjacent(session_id, before[-1], run[0])
    ) or (after and after[0].kind == "date" and _adjacent(session_id, run[-1], after[0]))
    names = [t for t in run if t.kind in ("strong", "weak")]
    pair = any(a.first and b.last for a, b in pairwise(names))
    titled = "title" in kinds and kinds.index("title") < len(kinds) - 1 and names
    if not names or not ("strong" in kinds or by_date or pair or titled):
        return []
    return [Found(run[0].start, run[-1].end, "PERSON", "id_name", 0.8)]


def _all_format_words(text: str) -> bool:
    parts = [m.group().casefold() for m in _WORDS.finditer(text)]
    return bool(parts) and all(p in ID_FORMAT_WORDS for p in parts)


def id_identifiers(session_id: str, known: set[str]) -> list[Found]:
    """Identifiers in a session id.

    Dates in file-name forms (`2026-01-05`, `20260105`, `05.01.2026`, `jan5`,
    `March_3_2026`) and, from the recognizers run on the id with `_`, `.` and `-` read as
    spaces, places (`boston_intake`), e-mails, phone numbers, addresses and ages. A word
    is a name only on evidence, since a file name has no sentence to tell a surname from
    a word:

    - on its own: a name part found in the client's sessions or speaker labels (`known`),
      a first name or common surname on the census lists that is not an English word
      (`jamie`, `renee`, `patel`, `ramirez`), or one of the commonest first names that is
      rarely a word (`spoken.gazetteer` less `WORD_NAMES`: `john`, `jordan`; not `will`);
    - by its place: a word on the name lists (or not English: a name the lists lack) next
      to a date (`Maya_Johnson_2026-01-05`, `okafor_2026-02-03`), after a title
      (`Dr_Okafor`), or a first name then a surname (`john-smith`).

    Words are read in any script, accents dropped for the lists (`José` as `jose`); a word
    in a script the lists lack is a name by its place (`李明_2026-01-05`). A word that
    holds U+FFFD (bytes that could not be read: `Jos\ufffd`) is a name on its own: what
    it says is unsure, so it is replaced. Adjacent name words and initials make one
    person (`Maya_Johnson`, `JSmith`); the words of export formats (`ID_FORMAT_WORDS`:
    `rev`, `speaker`, `otter`, `session`, ...) are never names, and end a run of names.

    Parameters
    ----------
    session_id : str
        The id as read (often a file stem).
    known : set of str
        Name parts (case-folded) found in the client's sessions and speaker labels.

    Returns
    -------
    list of Found
        Character offsets into `session_id`, overlaps merged.
    """
    tokens = _tokens(session_id, known)
    hits = [Found(t.start, t.end, "DATE", "id_date", 0.9) for t in tokens if t.kind == "date"]
    hits += _name_runs(session_id, tokens)
    spaced = re.sub(r"[_.\-]", " ", session_id)  # same length: offsets hold
    hits += [
        h
        for h in find_identifiers([spaced])[0]
        if h.kind in ID_KINDS
        and not any(h.start < o.end and o.start < h.end for o in hits)
        and not _all_format_words(session_id[h.start : h.end])
    ]
    return merge(hits)


@dataclass(frozen=True)
class IdReplacement:
    """One identifier replaced in a session id.

    Attributes
    ----------
    found : Found
        The identifier: kind, recognizer, character offsets in the original id.
    pseudonym : str
        The client's pseudonym as the text has it (`[PERSON_1]`); the id carries it
        without brackets.
    new_start, new_end : int or None
        Where the pseudonym stands in the new id (None where it no longer does: an id cut
        to a file name's length).
    """

    found: Found
    pseudonym: str
    new_start: int | None
    new_end: int | None


def replace_in_id(
    session_id: str, table: PseudonymTable, known: set[str]
) -> tuple[str, list[IdReplacement]]:
    """The id with its identifiers replaced by the client's pseudonyms, brackets dropped,
    and what was replaced where (for entities.csv).

    Parameters
    ----------
    session_id : str
        The id as read (often a file stem).
    table : PseudonymTable
        The client's table, so that the id and the text agree.
    known : set of str
        Name parts (case-folded) known from the client's sessions and speaker labels.

    Returns
    -------
    (str, list of IdReplacement)
        The new id (`Maya_Johnson_2026-01-05` -> `PERSON_1_DATE_1`; an id with no
        identifier unchanged) and one replacement per identifier, in order.
    """
    pieces: list[str] = []
    done: list[IdReplacement] = []
    cursor = length = 0
    for hit in id_identifiers(session_id, known):
        if hit.start < cursor:
            continue
        said = regex.sub(r"[_.\-]|(?<=\p{Ll})(?=\p{Lu})", " ", session_id[hit.start : hit.end])
        pseudonym = table.pseudonym(hit.kind, said)
        kept = session_id[cursor : hit.start]
        start = length + len(kept)
        pieces += [kept, pseudonym.strip("[]")]
        length = start + len(pseudonym.strip("[]"))
        done.append(IdReplacement(hit, pseudonym, start, length))
        cursor = hit.end
    pieces.append(session_id[cursor:])
    return "".join(pieces), done


def relocate(new_id: str, replacements: list[IdReplacement]) -> list[IdReplacement]:
    """The replacements' new offsets in the id as finally written (`safe_file_stem` may
    drop leading characters or cut the id; `-2` may follow): each pseudonym found again,
    in order; None where it is gone.

    Parameters
    ----------
    new_id : str
        The id as written.
    replacements : list of IdReplacement
        From `replace_in_id`.

    Returns
    -------
    list of IdReplacement
    """
    out, cursor = [], 0
    for r in replacements:
        at = new_id.find(r.pseudonym.strip("[]"), cursor)
        if at < 0:
            out.append(IdReplacement(r.found, r.pseudonym, None, None))
            continue
        cursor = at + len(r.pseudonym.strip("[]"))
        out.append(IdReplacement(r.found, r.pseudonym, at, cursor))
    return out


def pseudonymise_id(session_id: str, table: PseudonymTable, known: set[str]) -> str:
    """The id with its identifiers replaced by the client's pseudonyms, brackets dropped:
    `Maya_Johnson_2026-01-05` -> `PERSON_1_DATE_1` when Maya Johnson is `[PERSON_1]` in
    the text; an id with no identifier comes back unchanged (`replace_in_id` without the
    replacements).

    Parameters
    ----------
    session_id : str
        The id as read (often a file stem).
    table : PseudonymTable
        The client's table, so that the id and the text agree.
    known : set of str
        Name parts (case-folded) known from the client's sessions.

    Returns
    -------
    str
        The pseudonymised id.
    """
    return replace_in_id(session_id, table, known)[0]
