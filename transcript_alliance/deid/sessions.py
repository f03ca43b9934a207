"""Pseudonymising whole sessions: turn texts and speaker labels, one pseudonym table per
client, names, organisations, places and addresses learned anywhere in a client's sessions
found again everywhere in them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import regex

from ..read.roles import ROLE_NAMES, normalize_label
from ..session import Session
from .engine import Found, find_identifiers, merge, require_presidio
from .ids import IdReplacement, replace_in_id
from .kinds import CUE, by_evidence
from .lexicon import is_english, never_name_part
from .patterns import KIN, TITLES
from .pseudonyms import PHRASE_KINDS, OffsetMap, PseudonymTable, name_parts, replace
from .spoken import said_as_name, word_said_as_word

# Words that label a role, not a person ('Intake worker', 'Speaker 2', 'Student'): the
# role names `roles.py` knows, and a few more that labels use.
ROLE_WORDS = {w for name in ROLE_NAMES for w in name.split()} | {
    # research transcripts' abbreviations: interviewer, interviewee, respondent, patient,
    # client, therapist ('IV: ...', 'IE: ...'; a new user's check found 'IV' pseudonymised)
    "iv",
    "ie",
    "int",
    "resp",
    "pt",
    "cl",
    "th",
    "social",
    "worker",
    "case",
    "manager",
    "student",
    "intake",
    "speaker",
    "caller",
    "volunteer",
    "group",
    "leader",
    "family",
    "staff",
    "peer",
    "specialist",
    "advocate",
    "coordinator",
    "moderator",
    "host",
    "guest",
    "resident",
    "intern",
    "trainee",
    "supervisor",
    "child",
    "teen",
    "adolescent",
    "youth",
    "guardian",
    "and",
    "of",
}
_NOT_NAMES = set(KIN.split("|")) | {t.casefold() for t in TITLES.split("|")} | ROLE_WORDS
# Metadata that identifies no one and that coding needs; the rest (free columns) is dropped.
KEPT_METADATA = {"modality", "session_type", "program", "week"}
# Words that name a child or a sibling beside a full name ('my brother Hunter Bishop',
# 'Ben Carter is my son'): 'Mr Bishop' is then not that person.
_YOUNG = (
    r"son|daughter|brother|sister|kid|boy|girl|baby|nephew|niece|grandson|granddaughter|"
    r"stepson|stepdaughter|stepbrother|stepsister|sibling|child"
)
_YOUNG_BEFORE = re.compile(rf"\b(?:{_YOUNG})s?,?\s+$", re.I)
_YOUNG_AFTER = re.compile(
    rf",?\s+(?:is\s+|was\s+)?(?:my|our|his|her)\s+(?:little\s+|older\s+|younger\s+|big\s+)?(?:{_YOUNG})\b",
    re.I,
)
_LABEL_PARTS = re.compile(r"[A-Za-z][A-Za-z'-]*")


def is_role_label(label: str) -> bool:
    """True for 'Therapist', 'T', 'SPEAKER_01', 'Speaker 2', 'Intake worker'; False for a
    label that names someone ('Dr. Okafor', 'Lena')."""
    words = _LABEL_PARTS.findall(normalize_label(label).replace("_", " "))
    return not words or all(w.casefold() in ROLE_WORDS or len(w) == 1 for w in words)


@dataclass
class Redaction:
    """What pseudonymising a session did: per turn, its offset map and identifiers.

    Attributes
    ----------
    session_id : str
    offsets : dict of int to OffsetMap
        0-based turn index -> its replacements (character offsets).
    found : dict of int to list of (Found, str)
        0-based turn index -> each identifier found (offsets in the original text) and its
        pseudonym.
    labels : dict of str to str
        Original speaker label -> the label written (a pseudonym for a label that names
        someone).
    id_replacements : list of IdReplacement
        The identifiers replaced in the session id (offsets in the original id and in
        `session_id`).
    """

    session_id: str
    offsets: dict[int, OffsetMap] = field(default_factory=dict)
    found: dict[int, list[tuple[Found, str]]] = field(default_factory=dict)  # + pseudonym
    labels: dict[str, str] = field(default_factory=dict)  # original label -> new label
    id_replacements: list[IdReplacement] = field(default_factory=list)


def _known_name_hits(
    text: str, pattern: regex.Pattern | None, known: set[str] | None = None
) -> list[Found]:
    """Known name parts said again, their short forms ('Pri') and a known surname's
    plural after 'the' or capitalised ('the carters', 'the Carters''). Not a short form
    that is a word ('You' from 'Youssef'), nor a name said as a word ('move in June')."""
    if pattern is None:
        return []
    out = []
    for m in pattern.finditer(text):
        said = m.group()
        if m.group("plural"):
            if said[:1].isupper() or re.search(r"\bthe\s+$", text[: m.start()], re.I):
                out.append(Found(m.start(), m.end(), "PERSON", "known_name", 0.6))
            continue
        short = known is not None and said.casefold() not in known
        if short and (never_name_part(said) or is_english(said)):
            continue
        if word_said_as_word(text, m.start(), m.end()):
            continue
        if said[:1].isupper() or said_as_name(text, m.start(), m.end(), known=True):
            out.append(Found(m.start(), m.end(), "PERSON", "known_name", 0.6))
    return out


def _known_phrase_hits(text: str, phrases: dict[str, str], pattern: regex.Pattern | None):
    """Organisations, places and addresses already found, wherever else they are said: a
    one-word phrase that is an English word ('Mobile', 'Reading') only when capitalised."""
    if pattern is None:
        return []
    out = []
    for m in pattern.finditer(text):
        said = " ".join(m.group().casefold().split())
        if " " not in said and said.isalpha() and is_english(said) and not m.group()[:1].isupper():
            continue
        out.append(Found(m.start(), m.end(), phrases[said], "known_phrase", 0.6))
    return out


def _names_pattern(table: PseudonymTable) -> regex.Pattern | None:
    """Every name part known, in any case ('maya', 'MAYA'), and capitalised short forms
    of them ('Pri' for Priyanka): a name met once is found wherever else it is said."""
    parts = [p for p in table.known_names() if p not in _NOT_NAMES]
    if not parts:
        return None
    forms = sorted({p.capitalize() for p in parts}, key=len, reverse=True)
    words = "|".join(regex.escape(p) for p in sorted(set(parts), key=len, reverse=True))
    shorts = "|".join(regex.escape(f[:n]) for f in forms for n in range(3, min(len(f), 5)))
    short = rf"|(?:{shorts})(?=[a-z]{{0,3}}\b)(?![\w'’])" if shorts else ""
    surnames = sorted(table.surnames() - _NOT_NAMES, key=len, reverse=True)
    plural = "|".join(regex.escape(p) for p in surnames if len(p) >= 3) or r"(?!x)x"
    plural = rf"(?P<plural>(?i:{plural})(?i:e?s)(?:['’](?![\w]))?(?![\w’]))|"
    return regex.compile(rf"\b(?:{plural}(?i:{words})(?![\w’]|'[a-rt-z]){short})")


def _known_phrases(table: PseudonymTable) -> tuple[dict[str, str], regex.Pattern | None]:
    """The organisations, places and addresses to find again (`known_phrases`), and one
    pattern for them in any case, as whole words; not those that are a known person's
    name ('jordan'), a role or kin word, or only stop words."""
    people = set(table.known_names())
    phrases = {
        p: kind
        for p, kind in table.known_phrases().items()
        if not _known_person(p, people)
        and p not in _NOT_NAMES
        and not all(never_name_part(w) for w in p.split())
        and len(p) >= 3
    }
    if not phrases:
        return phrases, None
    words = "|".join(r"\s+".join(regex.escape(w) for w in p.split()) for p in phrases)
    return phrases, regex.compile(rf"(?<![\w'’-])(?i:{words})(?![\w’-]|'[a-rt-z])")


def pseudonymise_sessions(
    sessions: Iterable[Session], table: PseudonymTable | None = None
) -> list[Redaction]:
    """Replace identifiers in place (turn text, speaker labels, utterances cleared) with
    pseudonyms consistent across the sessions given, which should be one client's. A
    fresh table is used unless one is passed (to keep going across calls)."""
    require_presidio()
    sessions = list(sessions)
    table = table or PseudonymTable()
    for session in sessions:
        for label in session.speaker_labels():
            if not is_role_label(label):
                table.learn("PERSON", label)
    texts = [turn.text for s in sessions for turn in s.turns]
    found_all = iter(find_identifiers(texts))
    found = [[next(found_all) for _ in s.turns] for s in sessions]
    found = [  # kinds by the words in and around each span ('my case number is ...')
        [by_evidence(t.text, hits, _before(s, t.index)) for t, hits in zip(s.turns, per_turn)]
        for s, per_turn in zip(sessions, found)
    ]
    for session, per_turn in zip(sessions, found):
        for turn, hits in zip(session.turns, per_turn):
            for hit in hits:
                said = turn.text[hit.start : hit.end]
                if _an_organisation(said, table):  # 'dunmore' after 'Dunmore Logistics'
                    continue
                if hit.kind == "PERSON" and name_parts(said) and not _kin_word(said, "PERSON"):
                    table.learn("PERSON", said)
                    if _YOUNG_BEFORE.search(turn.text, 0, hit.start) or _YOUNG_AFTER.match(
                        turn.text, hit.end
                    ):
                        table.mark_young(said)
                elif hit.kind in PHRASE_KINDS:
                    table.learn(hit.kind, said)
    table.settle()  # full names first: who is who does not depend on the order said
    names = _names_pattern(table)
    phrases = _known_phrases(table)
    return [_apply(s, hits, table, names, phrases) for s, hits in zip(sessions, found)]


def _before(session: Session, index: int) -> str:
    """The text of the turn before turn `index` (0-based), '' for the first."""
    return session.turns[index - 1].text if index > 0 else ""


def _known_person(said: str, known: set[str]) -> bool:
    """Whether every name part of `said` is a known name part, or its plural ('the
    Johnsons' once 'Maya Johnson' is known), or a first name's first letters ('Pri')."""
    parts = name_parts(said)
    short = len(parts) == 1 and 3 <= len(parts[0]) <= 4
    if short and any(k.startswith(parts[0]) for k in known):  # 'Pri' for Priyanka
        return True
    return bool(parts) and all(
        p in known or any(p.endswith(end) and p[: -len(end)] in known for end in ("s", "es"))
        for p in parts
    )


def _as_person(hit: Found, text: str, known: set[str]) -> Found:
    """'jordan' tagged a place once 'Jordan Patel' is known, 'the Johnsons' tagged an
    organisation: the person, not the place. A date stays a date ('turned six in June'
    when a June is known): the month rules found it said as a month."""
    said = text[hit.start : hit.end]
    if hit.kind in PHRASE_KINDS and hit.recognizer != CUE and _known_person(said, known):
        return Found(hit.start, hit.end, "PERSON", hit.recognizer, hit.score)
    return hit


def _an_organisation(said: str, table: PseudonymTable) -> bool:
    return " ".join(said.casefold().split()) in table.short_forms


def _as_known(hit: Found, text: str, phrases: dict[str, str]) -> Found:
    """'dunmore' tagged a person once 'Dunmore Logistics' is known: the organisation."""
    kind = phrases.get(" ".join(text[hit.start : hit.end].casefold().split()))
    if hit.recognizer == CUE:  # the kind its context showed ('my bank is chase')
        return hit
    if kind and hit.kind != kind and hit.kind in {"PERSON", *PHRASE_KINDS}:
        return Found(hit.start, hit.end, kind, hit.recognizer, hit.score)
    return hit


def _apply(
    session: Session, found: list[list[Found]], table: PseudonymTable, names, phrases
) -> Redaction:
    redaction = Redaction(session.session_id)
    known = {p for p in table.known_names() if p not in _NOT_NAMES}
    for label in session.speaker_labels():
        new = label if is_role_label(label) else table.pseudonym("PERSON", label)
        redaction.labels[label] = new
    for turn, hits in zip(session.turns, found):
        hits = [h for h in hits if not _kin_word(turn.text[h.start : h.end], h.kind)]
        hits = merge(
            [
                *hits,
                *_known_name_hits(turn.text, names, known),
                *_known_phrase_hits(turn.text, *phrases),
            ]
        )
        hits = [_as_known(_as_person(h, turn.text, known), turn.text, phrases[0]) for h in hits]
        hits = by_evidence(turn.text, hits, _before(session, turn.index))
        original = turn.text
        turn.text, offsets = replace(original, hits, table)
        redaction.offsets[turn.index] = offsets
        redaction.found[turn.index] = [
            (h, table.pseudonym(h.kind, original[h.start : h.end])) for h in hits
        ]
        turn.speaker = redaction.labels.get(turn.speaker, turn.speaker)
        for event in turn.events:  # events kept their offsets into the original text
            event.start_char = offsets.to_redacted(event.start_char)
            event.end_char = offsets.to_redacted(event.end_char)
    for label in sorted(redaction.labels, key=len, reverse=True):  # warnings quote labels
        new = redaction.labels[label]
        session.warnings = [w.replace(f"'{label}'", f"'{new}'") for w in session.warnings]
    session.speakers = {redaction.labels.get(k, k): v for k, v in session.speakers.items()}
    for info in session.speakers.values():
        info.label = redaction.labels.get(info.label, info.label)
    # the id and file name often carry the client's name and a date: the same pseudonyms
    new_id, redaction.id_replacements = replace_in_id(session.session_id, table, known)
    session.session_id = redaction.session_id = new_id
    session.source_path = None
    session.utterances = []  # segment again: the texts changed
    # A team session's clinician ids (dyads.py) survive, under the clinicians' pseudonyms.
    clinicians = [
        pair.partition("=") for pair in str(session.metadata.get("clinicians") or "").split(",")
    ]
    session.metadata = {k: v for k, v in session.metadata.items() if k in KEPT_METADATA}
    if any(sep for _, sep, _ in clinicians):
        session.metadata["clinicians"] = ",".join(
            f"{redaction.labels.get(label.strip(), label.strip())}={ident.strip()}"
            for label, sep, ident in clinicians
            if sep
        )
    session.date = None
    return redaction


def _kin_word(text: str, kind: str) -> bool:
    """'Mom', 'Grandpa', 'Therapist': a PERSON hit that names a role, not a person."""
    parts = name_parts(text) if kind == "PERSON" else ()
    return bool(parts) and all(p in _NOT_NAMES for p in parts)
