"""Replacing identifiers with consistent pseudonyms (`[PERSON_1]`), keeping an offset map
from each redacted turn back to the original, so anything found on redacted text (a
marker, a quote) can be traced to the original turn's characters.

One `PseudonymTable` serves a client's sessions: the same person gets the same pseudonym
in every session and in the speaker labels, whatever the case ('maya', 'MAYA'), title
('Ms Johnson') or possessive ('Johnson's'). A full name is one person; a part of it said
alone (a first name, a surname) gets that person's pseudonym. Two full names are two
people even where they share a part (siblings 'Maya Johnson' and 'Ben Johnson'); the
shared part said alone gets one pseudonym everywhere: the first person's with it in the
position a title points to (a surname after 'Dr'; a first name bare or after 'Aunt').
'Mr', 'Mrs', 'Ms' with a surname that two known people share, or that the one who has
it was named with as a child or sibling ('my brother Hunter Bishop'), is a person of its
own ('Mrs Johnson', the siblings' mother). An organisation is one with its short form:
'Riverbend Family Clinic' and 'Riverbend'."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .found import Found
from .spoken import words

_TITLE = re.compile(
    r"^(?:dr|mr|mrs|ms|miss|mx|prof|professor|coach|officer|detective|sergeant|sgt|father|"
    r"pastor|rabbi|imam|reverend|rev|nurse|grandpa|grandma|nana|uncle|aunt|auntie|judge|"
    r"captain|capt|lieutenant|lt|chief|deputy|sheriff|colonel|corporal|agent|"
    r"big|little|lil)\.?$",
    re.I,
)
# Titles said before a first name ('Aunt Rosa', 'Big Mike'); the others come before a
# surname ('Ms Johnson', 'Dr. Okafor').
_GIVEN_NAME_TITLES = frozenset(words("grandpa grandma nana uncle aunt auntie big little lil"))
_POSSESSIVE = re.compile(r"(?:'s|’s|')$")
# Kinds whose phrases, once found, are found again wherever said (`known_phrases`).
PHRASE_KINDS = ("ORGANIZATION", "LOCATION", "ADDRESS")
# Leading words that are never an organisation's short form on their own, even where a
# word list misses them.
_NEVER_SHORT = frozenset(
    words("family community first north south east west new st saint the a our my")
)


def short_form(phrase: str) -> str | None:
    """An organisation's short form: its leading words that are not English words, before
    the rest ('riverbend family clinic' -> 'riverbend', 'dunmore logistics' -> 'dunmore'),
    stop words before them skipped; None where the first word is an English word ('foster
    farms', 'first community bank') or no word would be left after it.

    Parameters
    ----------
    phrase : str
        The organisation as found, any case.

    Returns
    -------
    str or None
        The short form, folded.
    """
    from .lexicon import is_english, never_name_part

    words = [_POSSESSIVE.sub("", w) for w in phrase.casefold().split()]
    while words and never_name_part(words[0]):  # 'the riverbend clinic', 'and dunmore ...'
        words = words[1:]
    lead = []
    for word in words:
        if (
            len(word) < 3
            or not word.isalpha()
            or word in _NEVER_SHORT
            or never_name_part(word)
            or is_english(word)
        ):
            break
        lead.append(word)
    return " ".join(lead) if lead and len(lead) < len(words) else None


def name_parts(text: str) -> tuple[str, ...]:
    """A person's name as comparable parts: titles and possessives off, case folded.

    Parameters
    ----------
    text : str
        A name as found ("Dr. Okafor's").

    Returns
    -------
    tuple of str
        ("okafor",); empty when the text is only a title. Stop words and g-dropped
        words (`lexicon.never_name_part`) are never name parts: `wayne at` is ("wayne",).
    """
    from .lexicon import never_name_part

    words = [_POSSESSIVE.sub("", w) for w in re.split(r"[\s,]+", text.strip())]
    words = [w for w in words if w and not never_name_part(w)]
    # a title word last after another word is the name ('Ms. Rose Little', 'Ms. Little')
    return tuple(
        w.casefold()
        for i, w in enumerate(words)
        if not _TITLE.match(w) or (i == len(words) - 1 and i > 0 and not w.endswith("."))
    )


def _title_points_to(text: str) -> str:
    """Which part a single name is, by the title before it: 'last' after 'Mr', 'Dr',
    'Coach'; 'first' bare or after 'Aunt', 'Big'."""
    for word in re.split(r"[\s,]+", text.strip()):
        if not _TITLE.match(word):
            break
        if word.rstrip(".").casefold() not in _GIVEN_NAME_TITLES:
            return "last"
    return "first"


_FORMAL_TITLES = frozenset(words("mr mrs ms miss mx"))


def _formal_title(text: str) -> str | None:
    """'mrs' for 'Mrs. Carter': a title that names an adult by the surname (never a child
    or a sibling); None for 'Dr', 'Aunt' or no title."""
    first = text.strip().split()[0].rstrip(".").casefold() if text.strip() else ""
    return first if first in _FORMAL_TITLES and len(text.split()) == 2 else None


def _same_person(one: tuple[str, ...], other: tuple[str, ...]) -> bool:
    """Two full names of one person: each part of the shorter is a part of the longer, or
    its initial ('Maya Johnson', 'Maya Ann Johnson', 'Maya J')."""

    def within(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
        return len(short) <= len(long) and all(
            part in long or (len(part) == 1 and any(p[:1] == part for p in long)) for part in short
        )

    return within(one, other) or within(other, one)


@dataclass
class PseudonymTable:
    """Pseudonyms by kind, numbered in order of first appearance.

    One table serves all of a client's sessions, so that a name gets the same pseudonym in
    each. A full name (two parts or more) is one person, with the other full names that
    are its parts or contain them ('Maya Johnson', 'Maya Ann Johnson'); a single part said
    alone ('Johnson', 'maya', 'Ms. Johnson's') gets the pseudonym of a person who has it:
    where several do (siblings, or 'Jordan Patel' and 'Michael Jordan'), the first with it
    as a surname after a surname title ('Mr', 'Dr'), else the first with it as a first
    name, else the first with it anywhere. Names learned with `learn` are numbered
    together (`settle`), full names first, so the order they were said in does not change
    who is who.

    Attributes
    ----------
    entries : dict
        kind -> {key: number}; a key is `name_parts` for PERSON, the folded text otherwise.
    short_forms : set of str
        Organisations' short forms among the keys ('riverbend'; `short_form`).
    """

    entries: dict[str, dict[tuple[str, ...], int]] = field(default_factory=dict)
    short_forms: set[str] = field(default_factory=set)
    # name part -> the person who has it: as a first name, as a surname, anywhere
    _owners: dict[str, dict[str, int]] = field(
        default_factory=lambda: {"first": {}, "last": {}, "any": {}}
    )
    _learned: list[str] = field(default_factory=list)  # people not yet numbered
    _young: set[tuple[str, ...]] = field(default_factory=set)  # children, siblings

    def pseudonym(self, kind: str, text: str) -> str:
        """The pseudonym for an identifier, numbering a new one on first sight.

        Parameters
        ----------
        kind : str
            PERSON, ADDRESS, DATE, ...
        text : str
            The identifier as written.

        Returns
        -------
        str
            "[KIND_n]", n from 1 in order of first appearance per kind.
        """
        if kind == "PERSON":
            self.settle()
            return f"[PERSON_{self._person(text)}]"
        table = self.entries.setdefault(kind, {})
        key = (" ".join(text.casefold().split()),)
        if key not in table:
            table[key] = max(table.values(), default=0) + 1
            if kind == "ORGANIZATION":
                self._add_short_form(key[0], table[key])
        return f"[{kind}_{table[key]}]"

    def learn(self, kind: str, text: str) -> None:
        """Take in an identifier found while reading a client's sessions, before any is
        replaced. A person waits for `settle`; its name parts count as known at once
        (`known_names`, organisations' short forms).

        Parameters
        ----------
        kind : str
            PERSON, ORGANIZATION, ...
        text : str
            The identifier as written.
        """
        if kind == "PERSON":
            self._learned.append(text)
        else:
            self.pseudonym(kind, text)

    def settle(self) -> None:
        """Number the people learned since the last call: full names first (so that
        'Johnson' said before 'Maya Johnson' and 'Ben Johnson' still goes to a Johnson
        with a full name, and the siblings stay two), then parts alone; numbers in order
        of first appearance."""
        if not self._learned:
            return
        learned, self._learned = self._learned, []
        table = self.entries.setdefault("PERSON", {})
        before = max(table.values(), default=0)
        keys = [self._person_key(text) for text in learned]
        numbers = {}
        for i in sorted(range(len(learned)), key=lambda i: (len(keys[i]) < 2, i)):
            numbers[i] = self._person(learned[i])
        order: dict[int, int] = {}
        for i in range(len(learned)):
            if numbers[i] > before:
                order.setdefault(numbers[i], before + len(order) + 1)
        for k, number in table.items():
            table[k] = order.get(number, number)
        for owners in self._owners.values():
            for part, number in owners.items():
                owners[part] = order.get(number, number)

    @staticmethod
    def _person_key(text: str) -> tuple[str, ...]:
        return name_parts(text) or (text.casefold(),)

    def _person(self, text: str) -> int:
        """The number of the person named by `text`, a new one where none fits."""
        table = self.entries.setdefault("PERSON", {})
        key = self._person_key(text)
        if len(key) > 1:
            number = table.get(key) or self._full_name(key)
        elif (title := _formal_title(text)) and self._shared_surname(key[0]):
            # 'Mrs Carter' where Ben and Jake Carter are known: neither of them (their
            # mother, say), one person per title and surname
            key = (f"{title} {key[0]}",)
            number = table.get(key)
        else:  # by the title before it, each time: 'Mr Jordan', 'Jordan'
            number = self._part_alone(key[0], text) or table.get(key)
        if number is None:
            number = max(table.values(), default=0) + 1
        table.setdefault(key, number)
        first, last, anywhere = (self._owners[k] for k in ("first", "last", "any"))
        first.setdefault(key[0], number)
        last.setdefault(key[-1], number)
        for part in key:
            anywhere.setdefault(part, number)
            for half in part.split("-") if "-" in part else ():  # 'smith-jones'
                anywhere.setdefault(half, number)
        return number

    def mark_young(self, text: str) -> None:
        """Take in that a full name was said with a child or sibling word beside it ('my
        son Ben Carter', 'my brother Hunter Bishop'): 'Mr'/'Mrs'/'Ms' with the surname
        is then someone else (a parent).

        Parameters
        ----------
        text : str
            The full name as written.
        """
        key = self._person_key(text)
        if len(key) > 1:
            self._young.add(key)

    def _shared_surname(self, part: str) -> bool:
        """Whether a title and surname is no known full name's: two people or more have
        the surname, or the one who has it was named as a child or a sibling."""
        keys = [k for k in self.entries.get("PERSON", {}) if len(k) > 1 and k[-1] == part]
        people = {self.entries["PERSON"][k] for k in keys}
        return len(people) > 1 or any(k in self._young for k in keys)

    def surnames(self) -> set[str]:
        """The surnames of the people known by full names ('carter' for 'Ben Carter').

        Returns
        -------
        set of str
            Folded surnames.
        """
        self.settle()
        return {k[-1] for k in self.entries.get("PERSON", {}) if len(k) > 1}

    def _full_name(self, key: tuple[str, ...]) -> int | None:
        """A person known by a full name that is this one's ('Maya J' after 'Maya
        Johnson'), else one known only by a part of it ('Maya' before 'Maya Johnson')."""
        table = self.entries["PERSON"]
        for known, number in table.items():
            if len(known) > 1 and _same_person(key, known):
                return number
        with_full_name = {n for k, n in table.items() if len(k) > 1}
        for part in key:
            number = table.get((part,))
            if number is not None and number not in with_full_name:
                return number
        return None

    def _part_alone(self, part: str, text: str) -> int | None:
        """The person a single part names ('Ms Johnson's' -> the first Johnson); a plural
        ('the Johnsons') names the family as its singular would, a first name's first
        three or four letters ('Pri') its bearer."""
        order = ("last", "first") if _title_points_to(text) == "last" else ("first", "last")
        stems = [part] + [part[:-n] for n in (1, 2) if part.endswith("es"[2 - n :])]
        for stem in (s for s in stems if len(s) >= 3):
            for which in (*order, "any"):
                number = self._owners[which].get(stem)
                if number is not None:
                    return number
        if 3 <= len(part) <= 4:  # 'Pri' for Priyanka, as `sessions` finds it again
            for known, number in self._owners["first"].items():
                if known.startswith(part):
                    return number
        return None

    def _add_short_form(self, phrase: str, number: int) -> None:
        """'riverbend' for 'riverbend family clinic' (or the other way round, where the
        short form came first), unless the short form is a known person's name part or
        another kind's phrase."""
        short = short_form(phrase)
        if short is None:
            return
        learned = [self._person_key(text) for text in self._learned]
        people = {p for key in [*self.entries.get("PERSON", {}), *learned] for p in key}
        others = {k[0] for kind, t in self.entries.items() if kind != "ORGANIZATION" for k in t}
        others |= {key[0] for key in learned}
        if set(short.split()) & people or short in others:
            return
        table = self.entries["ORGANIZATION"]
        self.short_forms.add(short)
        if (short,) not in table:
            table[(short,)] = number
        elif len(set(table.values())) == number and list(table.values()).count(number) == 1:
            table[(phrase,)] = table[(short,)]  # 'Riverbend' first: the full name joins it

    def known_phrases(self) -> dict[str, str]:
        """Every organisation, place and address seen so far (and organisations' short
        forms), for finding them again in any case.

        Returns
        -------
        dict of str to str
            Folded phrase -> its kind, longest first; a phrase known as two kinds keeps
            the first of `PHRASE_KINDS`.
        """
        phrases: dict[str, str] = {}
        for kind in PHRASE_KINDS:
            for key in self.entries.get(kind, {}):
                phrases.setdefault(key[0], kind)
        return dict(sorted(phrases.items(), key=lambda p: len(p[0]), reverse=True))

    def known_names(self) -> list[str]:
        """Every name part seen so far (2+ letters: 'Mo', 'Al'), for finding them again.

        Returns
        -------
        list of str
            Folded name parts, longest first (so a regex alternation prefers them).
        """
        self.settle()
        parts = {p for key in self.entries.get("PERSON", {}) for p in key if len(p) >= 2}
        return sorted(parts, key=len, reverse=True)


@dataclass
class OffsetMap:
    """Replacements in one turn: (new_start, new_end, old_start, old_end), in order.

    Character offsets: new_* in the redacted text, old_* in the original (end exclusive).
    """

    spans: list[tuple[int, int, int, int]] = field(default_factory=list)

    def to_original(self, position: int) -> int:
        """A character position in the redacted text -> the original text's position
        (inside a pseudonym: the start of what it replaced)."""
        starts = [s[0] for s in self.spans]
        i = bisect.bisect_right(starts, position) - 1
        if i < 0:
            return position
        _, new_end, old_start, old_end = self.spans[i]
        if position < new_end:
            return old_start
        return old_end + (position - new_end)

    def to_redacted(self, position: int) -> int:
        """A position in the original text -> the redacted text's position (inside a
        replaced span: the start of its pseudonym)."""
        shift = 0
        for new_start, new_end, old_start, old_end in self.spans:
            if old_end <= position:
                shift += (new_end - new_start) - (old_end - old_start)
            elif old_start < position:
                return new_start
        return position + shift

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """A redacted span -> the original span that covers it.

        Parameters
        ----------
        start, end : int
            Character offsets in the redacted text (end exclusive).

        Returns
        -------
        (int, int)
            Character offsets in the original text; a span ending inside a pseudonym ends
            where the replaced text ended.
        """
        first = self.to_original(start)
        last = self.to_original(max(end - 1, start))
        for new_start, new_end, _, old_end in self.spans:
            if new_start <= max(end - 1, start) < new_end:
                return first, old_end
        return first, last + 1


_NAMED = frozenset({"PERSON", "ORGANIZATION", "LOCATION"})
# A possessive ending a name, kept after its pseudonym: 's, or the ' of a plural ('the
# Carters'').
_KEPT_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$")


def replace(text: str, found: list[Found], table: PseudonymTable) -> tuple[str, OffsetMap]:
    """The text with each identifier replaced by its pseudonym, and the offset map.

    Parameters
    ----------
    text : str
        A turn's text.
    found : list of Found
        Non-overlapping identifiers (`merge`); one that overlaps an earlier one is skipped.
    table : PseudonymTable
        The client's table; new identifiers are numbered in it.

    Returns
    -------
    (str, OffsetMap)
    """
    pieces, spans, cursor, shift = [], [], 0, 0
    for hit in sorted(found, key=lambda h: h.start):
        if hit.start < cursor:
            continue
        pseudonym = table.pseudonym(hit.kind, text[hit.start : hit.end])
        end = hit.end
        if hit.kind in _NAMED:  # 'Ms. Brooks's kid' -> '[PERSON_4]'s kid': the 's stays
            kept = _KEPT_POSSESSIVE.search(text, hit.start, hit.end)
            end = kept.start() if kept and kept.start() > hit.start else end
        pieces.append(text[cursor : hit.start])
        new_start = hit.start + shift
        spans.append((new_start, new_start + len(pseudonym), hit.start, end))
        pieces.append(pseudonym)
        shift += len(pseudonym) - (end - hit.start)
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces), OffsetMap(spans)
