"""Turns to utterances: spaCy sentence segmentation on each turn, with non-lexical events
(`[inaudible]`, `(laughs)`, `[crosstalk]`, `...`) kept as events and out of the words, and
character offsets and (interpolated) times kept for every utterance."""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise
from typing import TYPE_CHECKING

from ..nlp import sentence_pipeline
from ..read.punctuation import is_unpunctuated
from ..session import Event, Role, Session, Turn, Utterance

if TYPE_CHECKING:  # spaCy (and torch behind thinc) load on first segmentation, not import
    from spacy.language import Language

# Square brackets are always transcriber notes; parentheses only when short (1-3 words).
# A bracketed aside is an event, except a pseudonym from de-identification ([PERSON_1]),
# which stands for words that were said.
_PSEUDONYM = re.compile(r"\[[A-Z]+_\d+\]")
_BRACKETS = re.compile(r"\[(?![A-Z]+_\d+\])[^\[\]\n]{1,60}\]")
_PARENS = re.compile(r"\((?:[^\W\d_][\w'-]*)(?:\s+[^\W\d_][\w'-]*){0,2}\)")
_ELLIPSIS = re.compile(r"\.{3,}|…")
_WORD = re.compile(r"\w")
PAUSE_SECONDS = 3.0  # a silence this long between turns is recorded as a pause event
# Unpunctuated text (raw ASR) has no sentences to find: a turn is cut at its pauses and
# ellipses, and runs longer than this are cut into even pieces of at most this many words
# (spoken sentences run 10-20 words).
MAX_UNPUNCTUATED_WORDS = 20
_KINDS = {
    "inaudible": "inaudible",
    "unintelligible": "inaudible",
    "indiscernible": "inaudible",
    "untranscribed": "inaudible",
    "crosstalk": "crosstalk",
    "overlapping": "crosstalk",
    "laughs": "laughter",
    "laughing": "laughter",
    "laughter": "laughter",
    "laugh": "laughter",
    "chuckles": "laughter",
    "sighs": "sigh",
    "sigh": "sigh",
    "cries": "crying",
    "crying": "crying",
    "tearful": "crying",
    "pause": "pause",
    "silence": "pause",
    "long": "pause",
}


def find_events(text: str) -> list[Event]:
    """Non-lexical events in a turn, in order of position.

    Square brackets are always transcriber notes (``[inaudible]``, ``[crosstalk]``), except
    de-identification pseudonyms (``[PERSON_1]``); parentheses only when they hold one to
    three words (``(laughs)``); ellipses mark trailing off.

    Parameters
    ----------
    text : str
        A turn's text.

    Returns
    -------
    list of Event
        Kind (inaudible, crosstalk, laughter, sigh, crying, pause, ellipsis or other), the
        text as written, and character offsets into `text` (start inclusive, end
        exclusive).
    """
    events = [
        Event(_kind(m.group(0)), m.group(0), m.start(), m.end()) for m in _BRACKETS.finditer(text)
    ]
    events += [
        Event(_kind(m.group(0)), m.group(0), m.start(), m.end()) for m in _PARENS.finditer(text)
    ]
    events += [Event("ellipsis", m.group(0), m.start(), m.end()) for m in _ELLIPSIS.finditer(text)]
    return sorted(events, key=lambda e: e.start_char)


def _kind(marker: str) -> str:
    words = re.findall(r"[a-z]+", marker.casefold())
    for word in words:
        if word in _KINDS:
            return _KINDS[word]
    return "nonverbal"


def _blank_events(text: str, events: list[Event]) -> str:
    """Events replaced by spaces of equal length, so offsets into the turn stay valid."""
    chars = list(text)
    for event in events:
        chars[event.start_char : event.end_char] = " " * (event.end_char - event.start_char)
    return "".join(chars)


def segment_sessions(sessions: Iterable[Session], nlp: Language | None = None) -> list[Session]:
    """Fill `session.utterances` for each session; turns of all sessions go through one
    `nlp.pipe` stream."""
    sessions = list(sessions)
    nlp = nlp or sentence_pipeline()
    turns = [(s, t) for s in sessions for t in s.turns]
    for session in sessions:
        session.utterances = []
        _mark_pauses(session.turns)
    cleaned = []
    for _, turn in turns:
        inline = [e for e in find_events(turn.text) if not _inside(e, turn.events)]
        turn.events = sorted(turn.events + inline, key=lambda e: e.start_char)
        cleaned.append(_blank_events(turn.text, [e for e in turn.events if e.kind != "pause"]))
    ends = {id(t): end for s in sessions for t, end in _turn_ends(s.turns)}
    # The sentence splitter sees a pseudonym as a plain name of the same length: its
    # brackets would otherwise read as a sentence boundary ("Hi [" | "PERSON_2], ...").
    plain = (_PSEUDONYM.sub(lambda m: "X" + "x" * (len(m.group(0)) - 1), c) for c in cleaned)
    for (session, turn), doc, text in zip(turns, nlp.pipe(plain, batch_size=256), cleaned):
        if is_unpunctuated(session):
            spans = bounded_spans(text, turn.events)
        else:
            spans = [(sent.start_char, sent.end_char) for sent in doc.sents]
            spans = _attach_punctuation(spans, text)
        first = len(session.utterances)
        _add_utterances(session, turn, spans, text, ends[id(turn)])
        for u in session.utterances[first:]:  # times that are not the file's own
            u.time_interpolated = u.start is not None and (u.start, u.end) != (turn.start, turn.end)
    for session in sessions:  # speakers' words as the utterances count them (events out)
        for label, info in session.speakers.items():
            info.n_words = sum(u.n_words for u in session.utterances if u.speaker == label)
    return sessions


def bounded_spans(
    text: str, events: list[Event], max_words: int = MAX_UNPUNCTUATED_WORDS
) -> list[tuple[int, int]]:
    """Utterance spans for text without sentence punctuation: cut at pauses and ellipses
    (the events inside the turn), then each run into the fewest even pieces of at most
    `max_words` words.

    Returns
    -------
    list of (start, end)
        Character offsets into `text`, covering every word once, in order.
    """
    words = [(m.start(), m.end()) for m in _NON_SPACE.finditer(text)]
    cuts = sorted(
        e.start_char for e in events if e.kind in {"pause", "ellipsis"} and e.start_char > 0
    )
    runs: list[list[tuple[int, int]]] = [[]]
    for word in words:
        if cuts and word[0] >= cuts[0] and runs[-1]:
            runs.append([])
        while cuts and word[0] >= cuts[0]:
            cuts.pop(0)
        runs[-1].append(word)
    spans: list[tuple[int, int]] = []
    for run in filter(None, runs):
        pieces = -(-len(run) // max_words)
        size = -(-len(run) // pieces)
        for i in range(0, len(run), size):
            chunk = run[i : i + size]
            spans.append((chunk[0][0], chunk[-1][1]))
    return spans


def _attach_punctuation(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """The senter sometimes splits before a sentence's final stop ("No" | ". I don't
    know."): the stop goes back to the sentence it ends."""
    out = list(spans)
    for i in range(1, len(out)):
        start, end = out[i]
        stop = start
        while stop < end and text[stop] in ".!?,;:…":
            stop += 1
        if stop > start and out[i - 1][1] == start:
            out[i - 1], out[i] = (out[i - 1][0], stop), (stop, end)
    return out


def segment_session(session: Session, nlp: Language | None = None) -> Session:
    """Split one session's turns into utterances (see `segment_sessions`).

    Parameters
    ----------
    session : Session
        A read session; its ``utterances`` are replaced.
    nlp : Language, optional
        A spaCy pipeline with sentence boundaries; the shared `sentence_pipeline` when
        None.

    Returns
    -------
    Session
        The same session, with ``utterances`` filled: each with its turn, role, text,
        character offsets into the turn's text, and start and end in seconds interpolated
        from the turn's times by character position (None without times).
    """
    return segment_sessions([session], nlp)[0]


def _inside(event: Event, existing: list[Event]) -> bool:
    return any(e.start_char <= event.start_char < e.end_char for e in existing if e.kind != "pause")


def _mark_pauses(turns: list[Turn]) -> None:
    for before, turn in pairwise(turns):
        if before.end is None or turn.start is None or turn.backchannel:
            continue
        gap = turn.start - before.end
        if gap >= PAUSE_SECONDS and not any(e.kind == "pause" and e.seconds for e in turn.events):
            turn.events.insert(
                0, Event("pause", f"[pause {gap:.1f}s]", 0, 0, seconds=round(gap, 2))
            )


def _turn_ends(turns: list[Turn]) -> list[tuple[Turn, float | None]]:
    """Each turn's end, or where a file gives only start times, the next turn's start."""
    out = []
    for i, turn in enumerate(turns):
        end = turn.end
        if end is None and turn.start is not None:
            later = (t.start for t in turns[i + 1 :] if not t.backchannel and t.start is not None)
            end = next(later, None)
        out.append((turn, end))
    return out


def _add_utterances(
    session: Session, turn: Turn, spans: list[tuple[int, int]], cleaned: str, turn_end: float | None
) -> None:
    first = len(session.utterances)
    for start, end in spans:
        piece = cleaned[start:end]
        if not _WORD.search(piece):
            continue
        lead = len(piece) - len(piece.lstrip())
        start, end = start + lead, start + len(piece.rstrip())
        t0, t1 = _interpolate(turn.start, turn_end, len(turn.text), start, end)
        session.utterances.append(
            Utterance(
                session.session_id,
                turn.index,
                len(session.utterances),
                turn.role or Role.OTHER,
                turn.speaker,
                " ".join(cleaned[start:end].split()),
                start,
                end,
                t0,
                t1,
            )
        )
    added = session.utterances[first:]
    for event in turn.events:
        if not added:
            break
        owner = next((u for u in reversed(added) if u.start_char <= event.start_char), added[0])
        owner.events.append(event)


def _interpolate(
    t0: float | None, t1: float | None, length: int, start: int, end: int
) -> tuple[float | None, float | None]:
    """Utterance times by character position within the turn (speech rate assumed even)."""
    if t0 is None or t1 is None or t1 < t0 or not length:
        return (t0, None) if start == 0 else (None, None)
    span = t1 - t0
    return round(t0 + span * start / length, 3), round(t0 + span * end / length, 3)


_NON_SPACE = re.compile(r"\S+")


def turn_offsets(turn: Turn, utterance: Utterance, start: int, end: int) -> tuple[int, int]:
    """Offsets into `utterance.text` (whitespace collapsed, events removed) mapped back to
    offsets into `turn.text` as read, so a match points at the words in the file."""
    base = utterance.start_char
    if turn.text[base : utterance.end_char] == utterance.text:
        return base + start, base + end  # nothing was collapsed or removed (the usual case)
    cleaned = _blank_events(turn.text, [e for e in turn.events if e.kind != "pause"])
    span = cleaned[utterance.start_char : utterance.end_char]
    position = 0  # in the collapsed text
    mapped_start = mapped_end = None
    for m in _NON_SPACE.finditer(span):
        piece_start, piece_end = position, position + len(m.group(0))
        if mapped_start is None and start < piece_end:
            mapped_start = m.start() + max(0, start - piece_start)
        if end <= piece_end:
            mapped_end = m.start() + (end - piece_start)
            break
        position = piece_end + 1
    return base + (mapped_start or 0), base + (mapped_end if mapped_end is not None else len(span))
