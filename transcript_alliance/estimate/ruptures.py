"""Rupture and repair episodes from within-session windows.

A window (20 turns, step 10, as in `style.py`) is a rupture window when the client's
present rupture evidence in it (withdrawal and confrontation: markers and classifier,
averaged per utterance as in `estimate.utterance_evidence`), over the utterances where
it is clear (`CLEAR`: more likely than not), adds up to `threshold` or more. A complaint
about an earlier time ("I was ready to quit after the second time") is not a present
rupture: an utterance in the past tense with a temporal anchor to an earlier time, and
nothing that brings it into the present ("still", "again", "now"), counts for nothing
(`about_the_past`), nor does a condition set for the future ("As long as you don't
lecture me": `hypothetical`). Overlapping rupture windows merge into one episode,
running from its first to its last rupture utterance. Kind: whichever of withdrawal and
confrontation has more evidence in the episode (Safran & Muran, 2000).

Repair is judged from the therapist's response, inside the episode or within
`repair_turns` turns after it: the evidence of responses that attend to the strain
(repair itself: acknowledging it, taking responsibility, inviting feedback; empathy and
reflections, which explore the client's experience of it; seeking collaboration and
emphasising autonomy, which renegotiate the task) minus the evidence of responses that
deepen it (confronting the client, advice without permission). Safran & Muran (2000) and
Eubanks, Muran & Safran (2018) describe repair as the therapist's non-defensive
exploration and renegotiation; MITI 4.2 (Moyers et al., 2016) counts confrontation and
unsolicited advice as MI-non-adherent. The episode is repaired when the net response
reaches 0.5.

A routine check on the session ("How was today for you?", "How are you feeling about
today's session?") invites feedback and is coded repair, but it attends to a strain only
when it answers one: it counts toward repair (and as a repair moment, `attending_repair`)
only in the therapist's turn right after a client turn with clear present strain, or when
it names the strain ("compared to a few minutes ago, when you said this isn't helping":
`names_strain`). Elsewhere, a check at the close of the session, say, it is not repair of
an earlier rupture (`unanchored_check_ins`): repair is the therapist attending to the
strain, acknowledging it, inviting the client's negative feelings about the work, or
changing the task in response (Safran & Muran, 2000; Eubanks, Muran & Safran, 2018)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..annotate.style import WINDOW_STEP, WINDOW_TURNS, window_starts
from ..schema import RUPTURE_COLUMNS

KINDS = ("withdrawal", "confrontation")
# The therapist's response to a strain: codes that repair (+) and that deepen it (-).
RESPONSE = {
    "repair": 1.0,
    "empathy_validation": 0.5,
    "complex_reflection": 0.5,
    "simple_reflection": 0.25,
    "seek_collaboration": 0.5,
    "emphasize_autonomy": 0.5,
    "confront": -1.0,
    "advise_without_permission": -0.5,
}
REPAIRED_AT = 0.5
CLEAR = 0.5  # an utterance's rupture evidence counts toward a window from this level on

# Cues as data. A past-tense verb (irregular ones listed, regular ones by "-ed") ...
PAST_VERB = re.compile(
    r"\b(was|were|wasn't|weren't|had|hadn't|did|didn't|felt|thought|said|told|went|came"
    r"|almost|nearly|used to|\w{3,}ed)\b"
)
# ... anchored to an earlier time ...
EARLIER = re.compile(
    r"\b(after (the|that|our) (first|second|third|last|other) (time|session|visit|week|meeting)"
    r"|(the|that|our) (first|second|third|last) (time|session|visit|week|meeting)"
    r"|last (time|week|session|month|visit|year)|back then|at first|at the (start|beginning)"
    r"|in the beginning|before (this|that|now)|earlier on|used to|a (while|few weeks|month)"
    r" ago|when (i|we) (first|started))\b"
)
# ... unless something brings it into the present (a cue of now, or a present-tense verb).
PRESENT = re.compile(
    r"\b(now|today|right now|still|again|anymore|any more|this (session|time)"
    r"|am|is|are|i'm|you're|it's|isn't|aren't|don't|doesn't|keep|keeps)\b"
)
# A condition on the future is not a present rupture either (ConText's "hypothetical").
HYPOTHETICAL = re.compile(r"^\W*(as long as|if|unless|in case|provided)\b")
# A routine check on the session or the work: how it was, is going, felt ...
CHECK_IN = re.compile(
    r"\bhow (was|is|did|has|'s|does) (today|this|that|the|our|today's|this week's)"
    r"( session| hour| time| conversation| appointment)?( been| today| going)?"
    r" (for you|feel|feeling|go|going|land|landing|sit|sitting)\b"
    r"|\bhow (are|do) you (feel|feeling) (about|after) (today|this|the|our|today's|we)\b"
    r"|\bhow are you leaving (today|this|here)\b"
    r"|\banything (you'd|you would|you want|you'd want|you would want) (to |us to )?"
    r"(want to |like to )?(be |do |have )?(be )?different\b"
)
# ... that names the strain it answers: a pointer back to the moment or the complaint, or
# the here and now between the two (metacommunication, Safran & Muran, 2000).
NAMES_STRAIN = re.compile(
    r"\b(when you said|what you said|you said|you told me|just now|a (few|couple of) minutes"
    r" ago|a moment ago|earlier|compared (to|with)|since (you|we|i)|after (what|i|we)"
    r"|pushed|pushing|lectur\w*|steer\w*|frustrat\w*|annoy\w*|angry|upset|irritat\w*"
    r"|not helping|isn't helping|not listening|wasn't helpful|off track|waste of"
    r"|right now|between us|the way we're)\b"
)


def about_the_past(text: str) -> bool:
    """True when an utterance is about an earlier time and not about now: a past-tense
    verb, a temporal anchor to an earlier time, and no present cue.

    >>> about_the_past("I have to say, I was ready to quit coming here after the second time.")
    True
    >>> about_the_past("You're not listening to me.")
    False
    >>> about_the_past("Last time you didn't listen, and you still aren't.")
    False
    >>> about_the_past("But you listened last week.")
    True
    """
    lower = str(text).lower().replace("\u2019", "'")
    return bool(PAST_VERB.search(lower) and EARLIER.search(lower) and not PRESENT.search(lower))


def hypothetical(text: str) -> bool:
    """True when an utterance opens with a condition ("As long as you don't lecture me.",
    "If it starts to feel like a lecture, ..."): a condition set for the work, not a
    present complaint (Harkema et al., 2009, ConText's hypothetical modifier).

    >>> hypothetical("As long as you don't lecture me about it.")
    True
    >>> hypothetical("You're lecturing me again.")
    False
    """
    return bool(HYPOTHETICAL.search(str(text).lower()))


def session_check_in(text: str) -> bool:
    """True when a therapist's utterance is a routine check on the session ("How was today
    for you?") that does not name a strain (`names_strain`).

    >>> session_check_in("How was today for you?")
    True
    >>> session_check_in("How are you feeling about today's session?")
    True
    >>> session_check_in("And how is this feeling now, compared to a few minutes ago?")
    False
    >>> session_check_in("I may have pushed too hard just now.")
    False
    """
    lower = str(text).lower().replace("\u2019", "'")
    return bool(CHECK_IN.search(lower)) and not names_strain(lower)


def names_strain(text: str) -> bool:
    """True when an utterance points back to a strain: the moment ("just now", "when you
    said"), the complaint ("not helping", "a lecture") or the feeling ("frustrated").

    >>> names_strain("How is this feeling now, compared to a few minutes ago?")
    True
    >>> names_strain("How was today for you?")
    False
    """
    return bool(NAMES_STRAIN.search(str(text).lower().replace("\u2019", "'")))


def unanchored_check_ins(table: pd.DataFrame, strain: pd.DataFrame | None = None) -> np.ndarray:
    """Per utterance: a therapist's `session_check_in` that does not come in the turn right
    after a client turn with clear present strain (`CLEAR`), so does not answer a strain.

    Parameters
    ----------
    table : pd.DataFrame
        One session's utterances (`turn`, `role`, `text`).
    strain : pd.DataFrame, optional
        `present_strain` per utterance; None: no client strain anywhere (every check-in is
        unanchored).

    Returns
    -------
    np.ndarray
        Boolean, one per row of `table`.
    """
    if "text" not in table or table.empty:
        return np.zeros(len(table), bool)
    therapist = (table["role"] == "therapist").to_numpy()
    texts = table["text"].astype(str)
    check = therapist & np.fromiter(map(session_check_in, texts), bool, len(table))
    if not check.any():
        return check
    turn = table["turn"].to_numpy()
    client = (table["role"] == "client").to_numpy()
    total = np.zeros(len(table)) if strain is None else strain.sum(axis=1).to_numpy(float)
    strained = pd.Series(total[client]).groupby(turn[client]).max()
    out = check.copy()
    for i in np.flatnonzero(check):
        before = strained.index[strained.index < turn[i]]
        if len(before) and strained[before.max()] >= CLEAR:
            out[i] = False  # the therapist's answer to the client's strain just voiced
    return out


def not_now(table: pd.DataFrame) -> np.ndarray:
    """Per utterance: a client's utterance `about_the_past` or `hypothetical`, whose
    withdrawal and confrontation evidence is not a present rupture."""
    client = (table["role"] == "client").to_numpy()
    if "text" not in table:
        return np.zeros(len(table), bool)
    texts = table["text"].astype(str)
    flags = np.fromiter((about_the_past(t) or hypothetical(t) for t in texts), bool, len(table))
    return client & flags


def present_strain(table: pd.DataFrame, evidence: pd.DataFrame) -> pd.DataFrame:
    """The client's withdrawal and confrontation evidence per utterance (0 for other roles
    and where `not_now`); columns `KINDS`."""
    keep = (table["role"] == "client").to_numpy() & ~not_now(table)
    return pd.DataFrame(
        {kind: np.where(keep, evidence[kind].to_numpy(dtype=float), 0.0) for kind in KINDS},
        index=table.index,
    )


def _strain(table: pd.DataFrame, evidence: pd.DataFrame) -> pd.DataFrame | None:
    return present_strain(table, evidence) if all(k in evidence for k in KINDS) else None


def therapist_response(table: pd.DataFrame, evidence: pd.DataFrame) -> pd.Series:
    """Per utterance, the therapist's net repairing response (`RESPONSE` weights over the
    codes the evidence has; 0 for client utterances; no positive part for
    `unanchored_check_ins`)."""
    therapist = (table["role"] == "therapist").to_numpy()
    net = np.zeros(len(table))
    for code, weight in RESPONSE.items():
        if code in evidence:
            net += weight * np.nan_to_num(evidence[code].to_numpy(dtype=float))
    net = np.where(unanchored_check_ins(table, _strain(table, evidence)), np.minimum(net, 0), net)
    return pd.Series(np.where(therapist, net, 0.0), index=table.index)


def attending_repair(table: pd.DataFrame, evidence: pd.DataFrame) -> pd.Series:
    """Per utterance, the therapist's repair evidence (0-1) where it attends to a strain:
    0 for client utterances and for `unanchored_check_ins`. The report marks repair
    moments and quotes repairs from it.

    Parameters
    ----------
    table : pd.DataFrame
        One session's utterances (`turn`, `role`, `text`).
    evidence : pd.DataFrame
        Per utterance and code, 0-1 (`utterance_evidence`); `repair`, and `withdrawal` and
        `confrontation` where the strain should anchor check-ins.

    Returns
    -------
    pd.Series
        Indexed like `table`.
    """
    repair = np.nan_to_num(evidence["repair"].to_numpy(dtype=float))
    therapist = (table["role"] == "therapist").to_numpy()
    keep = therapist & ~unanchored_check_ins(table, _strain(table, evidence))
    return pd.Series(np.where(keep, repair, 0.0), index=table.index)


def _windows(turns: list[int], size: int, step: int) -> list[tuple[int, int]]:
    n = len(turns)
    return [(turns[s], turns[min(s + size, n) - 1]) for s in window_starts(n, size, step)]


def rupture_episodes(
    table: pd.DataFrame,
    evidence: pd.DataFrame,
    *,
    threshold: float = 1.5,
    repair_turns: int = 10,
    size: int = WINDOW_TURNS,
    step: int = WINDOW_STEP,
) -> pd.DataFrame:
    """One row per episode for one session's utterance table. `evidence`: per utterance
    and code, 0-1 (`utterance_evidence`); needs `withdrawal` and `confrontation`, uses
    the `RESPONSE` codes it has."""
    if table.empty:
        return pd.DataFrame(columns=RUPTURE_COLUMNS)
    session_id = table["session_id"].iloc[0]
    strain = present_strain(table, evidence)
    response = therapist_response(table, evidence)
    turn = table["turn"]
    clear = strain.where(strain.sum(axis=1) >= CLEAR, 0.0)  # more likely than not
    flagged = [
        (first, last)
        for first, last in _windows(sorted(turn.unique()), size, step)
        if clear[turn.between(first, last)].to_numpy().sum() >= threshold
    ]
    merged: list[list[int]] = []
    for first, last in flagged:
        if merged and first <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    rows = []
    for first, last in merged:
        inside = turn.between(first, last)
        hits = strain[inside].sum(axis=1)
        hits = hits[hits >= CLEAR]
        if hits.empty:  # evidence spread thinly over many utterances: no clear episode
            continue
        start, end = int(turn[hits.index].min()), int(turn[hits.index].max())
        span = strain[turn.between(start, end)].sum()
        after = turn.between(start, end + repair_turns)
        top = hits.sort_values(ascending=False).index[:3]
        quotes = [f"turn {int(turn[i])}: {table.at[i, 'text']}" for i in sorted(top)]
        answer = response[after]
        if (answer > 0).any():
            best = answer.idxmax()
            quotes.append(f"response turn {int(turn[best])}: {table.at[best, 'text']}")
        rows.append(
            {
                "session_id": session_id,
                "start_turn": start,
                "end_turn": end,
                "kind": span.idxmax(),
                "repaired": bool(answer.sum() >= REPAIRED_AT),
                "evidence": " | ".join(quotes),
            }
        )
    return pd.DataFrame(rows, columns=RUPTURE_COLUMNS)
