"""Reflections told apart by what the client just said. A reflection mirrors the client's
previous turn: a simple one gives back mostly the client's own words, a complex one adds
meaning beyond them (MITI 4.2). The lexical evidence is the share of the reflection's
content words (stop words and reflection stems aside, a crude suffix stem) that the
previous turn of the client holds; a code's `mirror` range in the codebook keeps or drops
each of its matches by that share."""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.lang.en.stop_words import STOP_WORDS

from ...session import Session
from .codebook import Codebook

WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
# Words of the reflection stems themselves ("it sounds like", "so you're saying"): they
# are the frame of a reflection, not what it gives back.
FRAME = frozenset(
    [
        "sounds",
        "sound",
        "seems",
        "seem",
        "like",
        "feel",
        "feels",
        "feeling",
        "felt",
        "saying",
        "say",
        "hear",
        "hearing",
        "part",
        "really",
        "just",
        "kind",
        "sort",
        "bit",
        "pretty",
        "lot",
        "things",
        "thing",
        "way",
    ]
)
SUFFIXES = ("ing", "ed", "es", "ly", "s")


def stem(word: str) -> str:
    """A crude stem: a common suffix off, a final y as i, then the first six letters
    ("worried", "worry" and "worries" meet at "worri"; good enough for overlap, not a
    lemmatizer)."""
    for suffix in SUFFIXES:
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    if word.endswith("y") and len(word) > 3:
        word = word[:-1] + "i"
    return word[:6]


def content_stems(text: str) -> set[str]:
    """The content words of a text, stemmed: no stop words, no reflection frame.

    Parameters
    ----------
    text : str

    Returns
    -------
    set of str
        Words of three letters or more, not spaCy stop words nor reflection-frame words
        ("sounds", "feel", ...), cut to a crude six-letter stem (`stem`).
    """
    words = (w.split("'")[0] for w in WORD.findall(text.casefold().replace("’", "'")))
    return {stem(w) for w in words if w not in STOP_WORDS and w not in FRAME and len(w) > 2}


def mirror_overlap(reflection: str, previous: str) -> float:
    """Share (0-1) of the reflection's content words that `previous` holds; 1 when the
    reflection has no content word of its own (it adds nothing), 0 without a previous turn."""
    mine = content_stems(reflection)
    if not previous.strip():
        return 0.0
    if not mine:
        return 1.0
    return len(mine & content_stems(previous)) / len(mine)


def apply_mirrors(sessions: Iterable[Session], book: Codebook) -> None:
    """Drop the matches of mirror codes whose overlap with the previous turn of the
    mirror's role lies outside the code's range (see `Mirror`). The previous turn is the
    turn just before the utterance's own, when that role spoke it."""
    mirrors = {c.id: c.mirror for c in book.codes if c.mirror is not None}
    if not mirrors:
        return
    for session in sessions:
        texts: dict[int, list[str]] = {}
        for utterance in session.utterances:
            texts.setdefault(utterance.turn, []).append(utterance.text)
        for utterance in session.utterances:
            if not any(m.code in mirrors for m in utterance.markers):
                continue
            before = _previous_turn(session, utterance.turn)
            overlaps: dict[str, float] = {}
            kept = []
            for marker in utterance.markers:
                mirror = mirrors.get(marker.code)
                if mirror is None:
                    kept.append(marker)
                    continue
                if mirror.role not in overlaps:
                    role = session.turns[before].role if before is not None else None
                    spoke = role is not None and role.value == mirror.role
                    previous = " ".join(texts.get(before, [])) if spoke else ""
                    overlaps[mirror.role] = mirror_overlap(utterance.text, previous)
                if mirror.keeps(overlaps[mirror.role]):
                    kept.append(marker)
            utterance.markers = kept


def _previous_turn(session: Session, turn: int) -> int | None:
    """The turn before `turn`, passing over backchannels lifted out of another turn."""
    for index in range(turn - 1, -1, -1):
        if not session.turns[index].backchannel:
            return index
    return None
