"""What was read from a file, for `inspect`: format, encoding, speakers and roles with
their confidence, counts, events and problems."""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..session import Session
from .punctuation import is_unpunctuated


def describe_session(session: Session) -> dict[str, Any]:
    """What was read from a file, for `inspect`.

    Parameters
    ----------
    session : Session
        A read (and segmented) session with roles assigned.

    Returns
    -------
    dict
        JSON-ready: path, session_id, client_id, therapist_id, session_number, date,
        format, encoding, layout, header_row, unpunctuated, turns, utterances, words,
        duration_seconds (last minus first time, seconds, 1 decimal; None without times),
        speakers (one dict each: label, role, confidence 0-1, decided_by, turns, words,
        talk_share: the speaker's share of all words, 0-1), events (kind -> count) and warnings.
    """
    words = sum(info.n_words for info in session.speakers.values()) or 1
    times = [t for turn in session.turns for t in (turn.start, turn.end) if t is not None]
    events = Counter(e.kind for turn in session.turns for e in turn.events)
    return {
        "path": str(session.source_path) if session.source_path else None,
        "session_id": session.session_id,
        "client_id": session.client_id,
        "therapist_id": session.therapist_id,
        "session_number": session.session_number,
        "date": session.date,
        "format": session.format,
        "encoding": session.encoding,
        "layout": session.metadata.get("layout"),
        "header_row": session.metadata.get("header_row"),  # tables: where the header was found
        "unpunctuated": is_unpunctuated(session),  # raw ASR text: utterances cut by length
        "turns": len(session.turns),
        "utterances": len(session.utterances),
        "words": session.n_words,
        "duration_seconds": round(max(times) - min(times), 1) if times else None,
        "speakers": [
            {
                "label": info.label,
                "role": info.role.value,
                "confidence": info.confidence,
                "decided_by": info.source,
                "turns": info.n_turns,
                "words": info.n_words,
                "talk_share": round(info.n_words / words, 3),
            }
            for info in session.speakers.values()
        ],
        "events": dict(events),
        "warnings": list(session.warnings),
    }
