"""Conversational style measures, per session and per window of turns: language style
matching, turn-to-turn lexical alignment, talk share, question rate, minimal-response rate
and mean turn length, by role. They need `annotate_sessions` to have filled
`utterance.tokens`.

Language style matching follows Ireland & Pennebaker (2010): for each function-word
category, 1 - |p1 - p2| / (p1 + p2 + 0.0001) over the two roles' percentages, averaged
over the categories. The categories approximate LIWC's with spaCy tags and short word
lists (markers/annotate.py), so values are comparable within this toolkit, not to LIWC.
"""

from __future__ import annotations

from collections import Counter
from itertools import pairwise
from typing import Any

from ..schema import SPEAKING_ROLES
from ..session import Role, Session, Turn, Utterance

FUNCTION_CATEGORIES = [
    "personal_pronouns",
    "impersonal_pronouns",
    "articles",
    "conjunctions",
    "prepositions",
    "auxiliary_verbs",
    "adverbs",
    "negations",
    "quantifiers",
]
MINIMAL_TURN_WORDS = 3  # a turn of at most this many words is a minimal response
WINDOW_TURNS = 20
WINDOW_STEP = 10


def session_style(session: Session) -> dict[str, Any]:
    """One row of style measures for the whole session.

    Parameters
    ----------
    session : Session
        Annotated (`utterance.tokens` filled).

    Returns
    -------
    dict
        session_id; per speaking role (therapist, client) talk_share_* (share of words,
        0-1), question_rate_* (share of utterances ending in '?'),
        minimal_response_rate_* (share of turns of at most `MINIMAL_TURN_WORDS` words),
        mean_turn_words_*, lexical_alignment_* (0-1); lsm (language style matching, 0-1;
        Ireland & Pennebaker, 2010). None where a role has nothing to measure.
    """
    return {"session_id": session.session_id, **_measures(session.turns, session.utterances)}


def window_starts(n: int, size: int = WINDOW_TURNS, step: int = WINDOW_STEP) -> list[int]:
    """Where the overlapping windows of `size` items over `n` items start: every `step`,
    and one more so that the last window ends at the last item; [0] when `n <= size`.

    >>> window_starts(45, 20, 10)
    [0, 10, 20, 25]
    """
    starts = list(range(0, n - size + 1, step)) if n > size else [0]
    if n > size and starts[-1] + size < n:
        starts.append(n - size)
    return starts


def window_style(
    session: Session, size: int = WINDOW_TURNS, step: int = WINDOW_STEP
) -> list[dict[str, Any]]:
    """Style measures and marker counts for overlapping windows of `size` turns.

    Parameters
    ----------
    session : Session
        Annotated (`utterance.tokens` and markers filled).
    size : int
        Turns per window (`WINDOW_TURNS`, 20).
    step : int
        Turns between window starts (`WINDOW_STEP`, 10); see `window_starts`.

    Returns
    -------
    list of dict
        One per window: session_id, window (0-based), start_turn, end_turn (0-based turn
        indices), the `session_style` measures over the window, and ``m_<component>``
        counts of its non-negated markers.
    """
    rows = []
    starts = window_starts(len(session.turns), size, step)
    by_turn: dict[int, list[Utterance]] = {}
    for utterance in session.utterances:
        by_turn.setdefault(utterance.turn, []).append(utterance)
    lemmas = _turn_lemmas(session.utterances)
    components = _components(session)
    for number, first in enumerate(starts):
        turns = session.turns[first : first + size]
        utterances = [u for t in turns for u in by_turn.get(t.index, [])]
        markers = Counter(m.component for u in utterances for m in u.markers if not m.negated)
        rows.append(
            {
                "session_id": session.session_id,
                "window": number,
                "start_turn": turns[0].index if turns else 0,
                "end_turn": turns[-1].index if turns else 0,
                **_measures(turns, utterances, lemmas),
                **{f"m_{c}": markers.get(c, 0) for c in components},
            }
        )
    return rows


def _components(session: Session) -> list[str]:
    order = ["goal", "task", "bond", "collaboration", "agreement", "rupture", "repair"]
    found = {m.component for u in session.utterances for m in u.markers}
    return order + sorted(found - set(order))


def _measures(
    turns: list[Turn], utterances: list[Utterance], lemmas: dict[int, set[str]] | None = None
) -> dict[str, Any]:
    lemmas = _turn_lemmas(utterances) if lemmas is None else lemmas
    # One pass over the utterances and one over the turns (this runs for every window).
    words = dict.fromkeys(SPEAKING_ROLES, 0)
    questions = dict.fromkeys(SPEAKING_ROLES, 0)
    n_utterances = dict.fromkeys(SPEAKING_ROLES, 0)
    for u in utterances:
        if u.role in words:
            words[u.role] += u.n_words
            questions[u.role] += u.text.endswith("?")
            n_utterances[u.role] += 1
    turn_words: dict[Role, list[int]] = {role: [] for role in SPEAKING_ROLES}
    for t in turns:
        if t.role in turn_words:
            turn_words[t.role].append(len(t.text.split()))
    total = sum(words.values()) or 1
    out: dict[str, Any] = {}
    for role in SPEAKING_ROLES:
        name, lengths = role.value, turn_words[role]
        out[f"talk_share_{name}"] = round(words[role] / total, 4)
        out[f"question_rate_{name}"] = _rate(questions[role], n_utterances[role])
        out[f"minimal_response_rate_{name}"] = _rate(
            sum(w <= MINIMAL_TURN_WORDS for w in lengths), len(lengths)
        )
        out[f"mean_turn_words_{name}"] = _rate(sum(lengths), len(lengths), digits=2)
        out[f"lexical_alignment_{name}"] = _alignment(turns, lemmas, role)
    out["lsm"] = language_style_matching(utterances)
    return out


def _rate(part: float, whole: int, digits: int = 4) -> float | None:
    return round(part / whole, digits) if whole else None


def language_style_matching(utterances: list[Utterance]) -> float | None:
    """Language style matching between therapist and client (Ireland & Pennebaker, 2010).

    For each function-word category (`FUNCTION_CATEGORIES`, approximating LIWC's with spaCy
    tags and word lists), 1 - |p_t - p_c| / (p_t + p_c + 0.0001) over the two roles'
    percentages of words, averaged over the categories.

    Parameters
    ----------
    utterances : list of Utterance
        With `tokens` filled (`annotate_sessions`).

    Returns
    -------
    float or None
        0-1, 4 decimals; None when either role has no words.
    """
    words = dict.fromkeys(SPEAKING_ROLES, 0)
    counts = {role: dict.fromkeys(FUNCTION_CATEGORIES, 0) for role in SPEAKING_ROLES}
    for u in utterances:
        if u.tokens is None or u.role not in words:
            continue
        words[u.role] += u.tokens.words
        mine = counts[u.role]
        for category, n in u.tokens.function_words.items():
            if category in mine:
                mine[category] += n
    if not all(words.values()):
        return None
    t, c = ({k: 100 * n / words[role] for k, n in counts[role].items()} for role in SPEAKING_ROLES)
    scores = [1 - abs(t[k] - c[k]) / (t[k] + c[k] + 0.0001) for k in FUNCTION_CATEGORIES]
    return round(sum(scores) / len(scores), 4)


def _turn_lemmas(utterances: list[Utterance]) -> dict[int, set[str]]:
    """Content lemmas per turn index."""
    lemmas: dict[int, set[str]] = {}
    for u in utterances:
        if u.tokens is not None:
            lemmas.setdefault(u.turn, set()).update(u.tokens.content_lemmas)
    return lemmas


def _alignment(turns: list[Turn], lemmas: dict[int, set[str]], role: Role) -> float | None:
    """Mean share of a role's content lemmas in a turn that repeat the previous turn's
    (another speaker's) content lemmas: how much a speaker takes up the other's words.
    `lemmas` may hold turns outside `turns`; only the turns' own pairs are read."""
    scores = []
    for before, turn in pairwise(turns):
        if turn.role is not role or before.speaker == turn.speaker:
            continue
        mine, theirs = lemmas.get(turn.index, set()), lemmas.get(before.index, set())
        if mine and theirs:
            scores.append(len(mine & theirs) / len(mine))
    return round(sum(scores) / len(scores), 4) if scores else None
