"""'What went well' and 'what to look at': observations the evidence supports, each with
the words behind it. They describe what the session shows; none of them tells the
clinician what to do, since the toolkit has no evidence about that."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..errors import OptionError
from ..estimate.estimator import ending_turns_mask, session_evidence
from ..run.analysis import SessionResult
from ..session_types import session_type as get_session_type
from .content import HIGH, LABELS, LOW, ComponentReading, Episode, Quote, quote_at
from .thresholds import THRESHOLDS

# thresholds.yaml
TALK_SHARE_HIGH, MINIMAL_HIGH = THRESHOLDS.talk_share_high, THRESHOLDS.minimal_high
FALL, REPEATED, QUOTES = THRESHOLDS.fall, THRESHOLDS.repeated, THRESHOLDS.quotes
ENDING_UPSET = THRESHOLDS.ending_upset
# The client's codes weighed in the session's ending: strain against good feeling. The
# estimator's ending terms (positive and negative affect, appreciation at the close) cite
# the same sources.
ENDING_STRAIN = ("negative_affect", "withdrawal", "confrontation")
ENDING_GOOD = ("positive_affect", "appreciation_trust")
ENDING_SOURCE = (
    "How a session ends goes with how the client evaluates it and the alliance they report "
    "(Mallinckrodt, 1993; Stiles et al., 1994, Session Evaluation Questionnaire); strain "
    "still voiced at the close is a rupture not yet resolved (Safran & Muran, 2000)."
)


@dataclass
class Finding:
    """One observation for the report, with the words behind it.

    Attributes
    ----------
    text : str
        The observation in one sentence.
    quotes : list[Quote]
        Utterances that support it.
    source : str
        Why it matters, with its literature ("" when the observation speaks for itself).
    """

    text: str
    quotes: list[Quote] = field(default_factory=list)
    source: str = ""


def _hits(
    result: SessionResult, evidence: pd.DataFrame, code: str, role: str = "client"
) -> list[Quote]:
    """Quotes of the utterances of `role` where the code's evidence reaches 0.5 and is the
    utterance's strongest: a quote must fit the finding it supports (a thank-you that also
    names a task is quoted for the bond, not as taking up a task)."""
    if code not in evidence:
        return []
    table = result.utterances
    strongest = evidence.max(axis=1)
    hit = (evidence[code] >= 0.5) & (evidence[code] >= strongest) & (table["role"] == role)
    return [
        quote_at(result, int(table.at[i, "turn"]), str(table.at[i, "text"]))
        for i in table.index[hit]
    ]


def went_well(
    result: SessionResult,
    readings: list[ComponentReading],
    episodes: list[Episode],
    evidence: pd.DataFrame,
    ending_turns: int | None = None,
) -> list[Finding]:
    """Observations of what went well in the session.

    A component (not Total) reading high (at or above ``thresholds.yaml`` `high`, with the
    interval's low end at or above `low`), each repaired rupture episode, the client taking up
    tasks at least `repeated` times, the client endorsing a goal, and the client speaking at
    least half the words. A repaired episode in a session that also ended upset
    (`ended_upset`) says so in the same sentence: the report never calls a strain repaired
    without saying that the close still carried distress or discontent.

    Parameters
    ----------
    result : SessionResult
        The scored session.
    readings : list[ComponentReading]
        Its component readings.
    episodes : list[Episode]
        Its rupture episodes.
    evidence : pd.DataFrame
        Per utterance and code, evidence 0-1 (see `evidence_table`).
    ending_turns : int, optional
        How many last turns are the session's ending; None: those of the estimator that
        scored the session (`result.ending_turns`).

    Returns
    -------
    list[Finding]
        In the order above; each with at most `quotes` quotes.
    """
    out = []
    for r in readings:
        if r.name != "total" and r.score >= HIGH and r.low >= LOW:
            out.append(
                Finding(
                    f"{r.label} read high ({r.score:.1f}, interval {r.low:.1f}-{r.high:.1f}).",
                    r.raised[:QUOTES],
                )
            )
    repaired = [e for e in episodes if e.repaired]
    upset = ended_upset(result, evidence, ending_turns) if repaired else None
    for e in repaired:
        quotes = e.quotes[:1] + ([e.repair_quote] if e.repair_quote else [])
        text = f"A {e.kind} strain at turns {e.start_turn}-{e.end_turn} was followed by repair"
        if upset is None:
            text += " from the therapist."
        else:
            text += (
                " from the therapist, but the session still ended on the client's distress or "
                "discontent (see what to look at)."
            )
        out.append(Finding(text, quotes))
    endorsed = _hits(result, evidence, "task_endorsement")
    if len(endorsed) >= REPEATED:
        out.append(
            Finding(f"The client took up tasks or ideas {len(endorsed)} times.", endorsed[:QUOTES])
        )
    agreed = _hits(result, evidence, "goal_consensus")
    if agreed:
        out.append(Finding("The client endorsed a stated goal.", agreed[:QUOTES]))
    share = result.features.get("style_talk_share_client")
    if isinstance(share, float | int) and share >= 0.5:
        out.append(Finding(f"The client spoke most of the words ({share:.0%})."))
    return out


def ended_upset(
    result: SessionResult, evidence: pd.DataFrame, ending_turns: int | None = None
) -> Finding | None:
    """The session ended on the client's negative feeling or strain, or None.

    In the session's last `ending_turns` turns (how the estimator reads the ending), at
    least one client utterance carries negative feeling (VADER compound at or below
    minus ``thresholds.yaml`` `ending_upset`) or confrontation evidence of at least
    `ending_upset`, and the client's summed negative feeling, withdrawal and confrontation
    there (present ones only, as the estimator counts them) exceed their summed positive
    feeling and appreciation. A grateful or a neutral close, and distress earlier in the
    session followed by a settled close, do not qualify.

    Parameters
    ----------
    result : SessionResult
        The scored session.
    evidence : pd.DataFrame
        Per utterance and code, evidence 0-1 (see `evidence_table`).
    ending_turns : int, optional
        How many last turns are the ending; None: those of the estimator that scored the
        session (`result.ending_turns`).

    Returns
    -------
    Finding or None
        Quoting the client's most upset words in the ending (up to `quotes`), with its
        source.
    """
    table = result.utterances
    if not len(table) or "text" not in table:
        return None
    if ending_turns is None:
        ending_turns = result.ending_turns
    coded = [c for c in (*ENDING_STRAIN, *ENDING_GOOD) if c in evidence]
    derived = ["negative_affect", "positive_affect"]
    codes = [*dict.fromkeys([*coded, *derived])]
    ev = session_evidence(table, codes, evidence[coded])  # the present-rupture rule too
    end = ending_turns_mask(table["turn"].to_numpy(), ending_turns)
    end &= (table["role"] == "client").to_numpy()
    strain = ev[[c for c in ENDING_STRAIN if c in ev]].sum(axis=1)[end]
    good = ev[[c for c in ENDING_GOOD if c in ev]].sum(axis=1)[end]
    upset = ev["negative_affect"][end] >= ENDING_UPSET
    if "confrontation" in ev:
        upset |= ev["confrontation"][end] >= ENDING_UPSET
    if not upset.any() or strain.sum() <= good.sum():
        return None
    order = pd.DataFrame({"upset": upset, "strain": strain})
    order = order[order["strain"] >= ENDING_UPSET].sort_values(
        ["upset", "strain"], ascending=False, kind="stable"
    )
    quotes = [
        quote_at(result, int(table.at[i, "turn"]), str(table.at[i, "text"]))
        for i in order.index[:QUOTES]
    ]
    return Finding(
        f"The session ended on the client's distress or discontent: in its last "
        f"{ending_turns} turns their negative feeling and strain outweighed any positive "
        "feeling or thanks.",
        quotes,
        ENDING_SOURCE,
    )


def look_at(
    result: SessionResult,
    readings: list[ComponentReading],
    episodes: list[Episode],
    evidence: pd.DataFrame,
    ending_turns: int | None = None,
) -> list[Finding]:
    """Observations worth a look: nothing in them tells the clinician what to do.

    A component (not Total) reading low (below ``thresholds.yaml`` `low`), a component falling
    by `fall` or more (1-5 points) from the first third of the session to the last, each rupture
    episode without repair, the session ending on the client's negative feeling or strain
    (`ended_upset`), the client pushing back on tasks or disagreeing at least `repeated`
    times, a therapist share of words above `talk_share_high`, and a share of client turns of
    three words or fewer above `minimal_high`.

    Parameters
    ----------
    result : SessionResult
        The scored session.
    readings : list[ComponentReading]
        Its component readings.
    episodes : list[Episode]
        Its rupture episodes.
    evidence : pd.DataFrame
        Per utterance and code, evidence 0-1 (see `evidence_table`).
    ending_turns : int, optional
        How many last turns are the session's ending; None: those of the estimator that
        scored the session (`result.ending_turns`).

    Returns
    -------
    list[Finding]
        In the order above.
    """
    out = []
    for r in readings:
        if r.name != "total" and r.score < LOW:
            out.append(
                Finding(
                    f"{r.label} read low ({r.score:.1f}, interval {r.low:.1f}-{r.high:.1f}).",
                    r.lowered[:QUOTES],
                )
            )
        change = result.scores.get(f"{r.name}_change")
        if r.name != "total" and change is not None and change <= -FALL:
            out.append(
                Finding(
                    f"{r.label} fell from the first third of the session to the last "
                    f"(by {-change:.1f}).",
                    r.lowered[:1],
                )
            )
    for e in episodes:
        if not e.repaired:
            out.append(
                Finding(
                    f"A {e.kind} strain at turns {e.start_turn}-{e.end_turn}: no "
                    "repair found in the ten turns after it.",
                    e.quotes[:QUOTES],
                )
            )
    upset = ended_upset(result, evidence, ending_turns)
    if upset is not None:
        spans = [f"{e.start_turn}-{e.end_turn}" for e in episodes if e.repaired]
        if spans:  # said plainly, as the repaired episode says it too
            upset.text += (
                f" Repair was found for the strain at turns {', '.join(spans)}, but it did not "
                "settle the close."
            )
        out.append(upset)
    for code, what in (("task_rejection", "pushed back on a task"), ("disagreement", "disagreed")):
        hits = _hits(result, evidence, code)
        if len(hits) >= REPEATED:
            out.append(Finding(f"The client {what} {len(hits)} times.", hits[:QUOTES]))
    f = result.features
    share = f.get("style_talk_share_therapist")
    if isinstance(share, float | int) and share > TALK_SHARE_HIGH:
        out.append(Finding(f"The therapist spoke {share:.0%} of the words."))
    minimal = f.get("style_minimal_response_rate_client")
    if isinstance(minimal, float | int) and minimal > MINIMAL_HIGH:
        out.append(Finding(f"{minimal:.0%} of the client's turns were three words or fewer."))
    return out


__all__ = ["LABELS", "Finding", "ended_upset", "look_at", "went_well"]


MEDICATION_GOOD = {
    "med_shared_decision": "The prescriber offered options or asked the patient's preference.",
    "med_experience_elicited": "The prescriber asked what the illness or the medication is "
    "like for the patient.",
    "side_effect_acknowledged": "A side effect was taken seriously.",
    "ambivalence_disclosed": "The patient said they had doubts about the medication or "
    "missed doses: a disclosure that takes trust.",
}


def medication_findings(
    result: SessionResult, evidence: pd.DataFrame
) -> tuple[list[Finding], list[Finding]]:
    """For a medication visit: the pack's codes as observations (went well, to look at)."""
    said = {
        code: _hits(result, evidence, code, role)
        for code, role in (
            ("med_shared_decision", "therapist"),
            ("med_experience_elicited", "therapist"),
            ("side_effect_acknowledged", "therapist"),
            ("side_effect_dismissed", "therapist"),
            ("side_effect_raised", "client"),
            ("ambivalence_disclosed", "client"),
        )
    }
    life = _hits(result, evidence, "life_beyond_symptoms", "therapist")
    life += _hits(result, evidence, "life_beyond_symptoms", "client")
    good, look = [], []
    for code, text in MEDICATION_GOOD.items():
        if said[code]:
            good.append(Finding(text, said[code][:QUOTES]))
    if life:
        good.append(
            Finding("The visit touched the patient's life beyond symptoms and dose.", life[:QUOTES])
        )
    else:
        look.append(Finding("No talk about the patient's life beyond symptoms and dose was found."))
    if said["side_effect_dismissed"]:
        look.append(Finding("A concern was brushed aside.", said["side_effect_dismissed"][:QUOTES]))
    if said["side_effect_raised"] and not said["side_effect_acknowledged"]:
        look.append(
            Finding(
                "The patient raised a side effect; no acknowledgement of it was found.",
                said["side_effect_raised"][:QUOTES],
            )
        )
    if not said["med_shared_decision"]:
        look.append(
            Finding("No options offered or preference asked about the medication was found.")
        )
    return good, look


# The extra findings a session type may name in session_types.yaml (`findings`).
TYPE_FINDINGS = {"medication": medication_findings}


def session_type_findings(
    result: SessionResult, evidence: pd.DataFrame
) -> tuple[list[Finding], list[Finding]]:
    """The extra findings the session's type names in the registry (went well, to look at).

    Raises
    ------
    OptionError
        An unknown session type, or a registry entry naming a finding that does not exist.
    """
    good: list[Finding] = []
    look: list[Finding] = []
    for name in get_session_type(result.session_type).findings:
        if name not in TYPE_FINDINGS:
            raise OptionError(
                f"session type '{result.session_type}' names finding '{name}'; expected one "
                f"of {', '.join(TYPE_FINDINGS)}"
            )
        more_good, more_look = TYPE_FINDINGS[name](result, evidence)
        good += more_good
        look += more_look
    return good, look
