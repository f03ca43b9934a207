"""Session ids under de-identification: ids taken from file names often carry a client's
name and a date (`Maya_Johnson_2026-01-05`). `pseudonymise_id` replaces the names, places,
dates and contacts in an id with the client's own pseudonyms, brackets dropped
(`PERSON_1_DATE_2`), and leaves codes (`s01`, `P007_week3`) as they are.
`safe_file_stem` (in `io`, re-exported here) makes any id usable as a file name inside
an output folder."""

from __future__ import annotations

import re

import regex

from ..io import safe_file_stem as safe_file_stem  # re-exported: its home is io.py
from .engine import Found, find_identifiers, merge
from .pseudonyms import PseudonymTable
from .spoken import WORD_NAMES, gazetteer, words

# Kinds replaced in an id; IDs and organisations are left (an id is a code, and the NER
# model calls many codes organisations).
ID_KINDS = {"PERSON", "LOCATION", "DATE", "EMAIL", "PHONE", "ADDRESS", "AGE"}
_DATES = regex.compile(
    r"(?<!\d)(?:(?:19|20)\d\d[-_.]?(?:0[1-9]|1[0-2])[-_.]?(?:0[1-9]|[12]\d|3[01])"
    r"|(?:0?[1-9]|[12]\d|3[01])[-_.](?:0?[1-9]|1[0-2])[-_.](?:19|20)?\d\d"
    r"|(?:0?[1-9]|1[0-2])[-_.](?:0?[1-9]|[12]\d|3[01])[-_.](?:19|20)?\d\d)(?!\d)"
)
_WORDS = regex.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")  # 'MayaJohnson' -> Maya, Johnson
# Words of file-naming schemes that the census lists hold as surnames.
_ID_WORDS = words(
    "day post new sample week session sess intake final visit group client therapist patient "
    "pt tx couple family team med meds followup follow up part audio transcript"
)


def id_identifiers(session_id: str, known: set[str]) -> list[Found]:
    """Identifiers in a session id: dates in file-name forms, name parts known from the
    client's sessions, common first names and surnames (census lists; a file name has no
    sentence to tell a surname from a word), and what the engine finds in the id with
    its separators read as spaces."""
    hits = [Found(m.start(), m.end(), "DATE", "id_date", 0.9) for m in _DATES.finditer(session_id)]
    first, last = gazetteer()
    previous: re.Match | None = None
    previous_name = False
    for m in _WORDS.finditer(session_id):
        word = m.group().casefold()
        named = word in known or (word in first and word not in WORD_NAMES)
        surname = len(word) >= 3 and word in last and word not in _ID_WORDS
        if named or surname or (previous_name and word in last):
            start = m.start()
            if previous is not None and m.start() - previous.end() <= 1:
                if previous_name:  # 'Maya_Johnson': one person
                    start = hits.pop().start
                elif surname and previous.group().casefold() not in _ID_WORDS:
                    start = previous.start()  # a first name the lists lack, before a surname
            hits.append(Found(start, m.end(), "PERSON", "id_name", 0.8))
            previous_name = True
        else:
            previous_name = False
        previous = m
    spaced = re.sub(r"[_.\-]", " ", session_id)  # same length: offsets hold
    hits += [
        h
        for h in find_identifiers([spaced])[0]
        if h.kind in ID_KINDS and not any(h.start < o.end and o.start < h.end for o in hits)
    ]
    return merge(hits)


def pseudonymise_id(session_id: str, table: PseudonymTable, known: set[str]) -> str:
    """The id with its identifiers replaced by the client's pseudonyms, brackets dropped:
    `Maya_Johnson_2026-01-05` -> `PERSON_1_DATE_1` when Maya Johnson is `[PERSON_1]` in
    the text; an id with no identifier comes back unchanged.

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
    pieces, cursor = [], 0
    for hit in id_identifiers(session_id, known):
        if hit.start < cursor:
            continue
        said = re.sub(r"[_.\-]|(?<=[a-z])(?=[A-Z])", " ", session_id[hit.start : hit.end])
        pieces += [session_id[cursor : hit.start], table.pseudonym(hit.kind, said).strip("[]")]
        cursor = hit.end
    pieces.append(session_id[cursor:])
    return "".join(pieces)
