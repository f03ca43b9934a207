"""What a clinician's report says, as plain data: the session's Goal, Task and Bond in
words, the trajectory across the client's sessions (self-reports beside), the timeline
within the session, rupture and repair episodes, talk and question balance, and quotes.

Everything here is drawn from `SessionResult`s; nothing is rendered (see `render.py`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..annotate.markers import load_codebook
from ..comparison.selfreport import SelfReports
from ..estimate.estimator import utterance_evidence
from ..estimate.ruptures import attending_repair
from ..run.analysis import SessionResult
from ..schema import PARTS, SPEAKING_ROLE_NAMES
from .thresholds import THRESHOLDS

LABELS = {"goal": "Goal", "task": "Task", "bond": "Bond", "total": "Total"}
MEANING = {
    "goal": "agreement on what the work is for",
    "task": "agreement on how you work together in and between sessions",
    "bond": "the felt connection, trust and warmth between you",
    "total": "the mean of Goal, Task and Bond",
}
# The bands (thresholds.yaml, with their sources): "usual" spans the client WAI-SR means
# of outpatient samples, "high" and "low" lie beyond it; a wide interval says little.
HIGH, LOW, WIDE_INTERVAL = THRESHOLDS.high, THRESHOLDS.low, THRESHOLDS.wide_interval


@dataclass
class Quote:
    """Words from the session, with where to find them."""

    turn: int
    role: str
    text: str
    time: str | None = None
    codes: str = ""  # the codes behind a score's quote (evidence.csv's `codes`)


@dataclass
class ComponentReading:
    """One alliance component (Goal, Task, Bond or Total) as the report reads it.

    Attributes
    ----------
    name : str
        "goal", "task", "bond" or "total".
    label : str
        Display name ("Goal", ...).
    meaning : str
        What the component is, in words.
    score : float
        The session's estimate on the WAI-SR 1-5 metric.
    low, high : float
        The bounds of its interval, same metric.
    level : str
        "high" (at or above ``thresholds.yaml`` `high`), "low" (below `low`) or "usual".
    words : str
        The reading in one sentence.
    raised, lowered : list[Quote]
        Utterances whose evidence raised or lowered the component.
    """

    name: str
    label: str
    meaning: str
    score: float
    low: float
    high: float
    level: str  # high, usual, low
    words: str  # the reading in one sentence
    raised: list[Quote] = field(default_factory=list)
    lowered: list[Quote] = field(default_factory=list)


@dataclass
class Episode:
    """A rupture episode within the session, and whether repair followed.

    Attributes
    ----------
    start_turn, end_turn : int
        The turns the episode spans.
    kind : str
        The kind of strain.
    repaired : bool
        Whether repair by the therapist was found after it.
    quotes : list[Quote]
        Utterances of the episode.
    repair_quote : Quote or None
        The repairing utterance, when there is one.
    """

    start_turn: int
    end_turn: int
    kind: str
    repaired: bool
    quotes: list[Quote]
    repair_quote: Quote | None = None


@dataclass
class TrajectoryPoint:
    """One session on the trajectory across a client's sessions.

    Attributes
    ----------
    session_id : str
        The session.
    label : str
        "Session N", else its date, else its id (`session_label`).
    scores : dict[str, tuple[float, float, float]]
        Part ("goal", "task", "bond", "total") to (score, low, high), WAI-SR 1-5 metric.
    self_reports : dict[str, dict[str, float]]
        Rater to part to self-reported score, 1-5 metric.
    current : bool
        Whether this is the session the report is about.
    symptoms : dict[str, float]
        Symptom measure to score for this session.
    """

    session_id: str
    label: str
    scores: dict[str, tuple[float, float, float]]  # part -> (score, low, high)
    self_reports: dict[str, dict[str, float]] = field(default_factory=dict)  # rater -> part
    current: bool = False
    symptoms: dict[str, float] = field(default_factory=dict)  # measure -> score


@dataclass
class Window:
    """A stretch of turns on the within-session timeline.

    Attributes
    ----------
    first_turn, last_turn : int
        The turns the window spans.
    therapist_share : float
        The therapist's share of the words, 0-1.
    collaboration : float
        Collaboration evidence per utterance.
    bond : float
        Bond evidence per utterance.
    """

    first_turn: int
    last_turn: int
    therapist_share: float
    collaboration: float  # evidence per utterance
    bond: float


@dataclass
class SkillRow:
    """One MITI-style measure: its values (the session, then each clinician), and where
    the session stands against the published levels (docs/MITI.md)."""

    key: str
    label: str
    values: list[str]
    level: str | None
    reference: str


@dataclass
class ReportContent:
    """Everything a clinician's report of one session says, as plain data (rendered elsewhere).

    Attributes
    ----------
    session_id : str
        The session.
    heading : dict[str, Any]
        Client, therapist, date, session number, words, utterances.
    scorable : bool
        Whether the session could be scored.
    notes, warnings : list[str]
        Notes and warnings shown with the report.
    components : list[ComponentReading]
        Goal, Task, Bond and Total.
    trajectory : list[TrajectoryPoint]
        The client's sessions, in order.
    timeline : list[Window]
        Windows within the session.
    episodes : list[Episode]
        Rupture episodes.
    repair_turns : list[int]
        Turns with repair.
    balance : dict[str, dict[str, float]]
        Role to talk and question measures (see `balance`).
    went_well, look_at : list
        Findings (see `report.findings`).
    self_report_note : str or None
        A note on the self-reports, when there is one.
    quotes : bool
        Whether quotes are shown.
    session_type : str
        The kind of session ("psychotherapy" by default).
    dyads : list[dict[str, Any]]
        One entry per clinician, with several clinicians.
    skills : list[SkillRow]
        MITI-style measures.
    skill_columns : list[str]
        Column headings of `skills` ("This session", clinicians).
    skill_counts : str
        The counts behind the ratios, in words.
    interval_note : str
        Which intervals are wide, shown under the cards.
    """

    session_id: str
    heading: dict[str, Any]  # client, therapist, date, session number, words, utterances
    scorable: bool
    notes: list[str]
    warnings: list[str]
    components: list[ComponentReading] = field(default_factory=list)
    trajectory: list[TrajectoryPoint] = field(default_factory=list)
    timeline: list[Window] = field(default_factory=list)
    episodes: list[Episode] = field(default_factory=list)
    repair_turns: list[int] = field(default_factory=list)
    balance: dict[str, dict[str, float]] = field(default_factory=dict)
    went_well: list[Any] = field(default_factory=list)
    look_at: list[Any] = field(default_factory=list)
    self_report_note: str | None = None
    quotes: bool = True
    session_type: str = "psychotherapy"
    dyads: list[dict[str, Any]] = field(default_factory=list)  # with several clinicians
    skills: list[SkillRow] = field(default_factory=list)  # MITI-style measures
    skill_columns: list[str] = field(default_factory=list)  # "This session", clinicians
    skill_counts: str = ""  # the counts behind the ratios, in words
    interval_note: str = ""  # under the cards: which intervals are wide


def clock(seconds: float | None) -> str | None:
    """Seconds as ``m:ss`` (rounded to the second).

    Parameters
    ----------
    seconds : float or None
        Time from the start of the recording, in seconds.

    Returns
    -------
    str or None
        For example "12:05"; None when `seconds` is None or NaN.
    """
    if seconds is None or pd.isna(seconds):
        return None
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}:{secs:02d}"


def quote_at(result: SessionResult, turn: int, text: str | None = None) -> Quote:
    """The quote for a turn: `text` if given, else the turn's first utterance."""
    rows = result.utterances[result.utterances["turn"] == turn]
    if text is not None and len(rows):
        same = rows[rows["text"] == text]
        rows = same if len(same) else rows
    row = rows.iloc[0] if len(rows) else None
    return Quote(
        turn=int(turn),
        role=str(row["role"]) if row is not None else "",
        text=text if text is not None else (str(row["text"]) if row is not None else ""),
        time=clock(row["start"]) if row is not None and "start" in row else None,
    )


def level_of(score: float) -> str:
    """The band of an estimate on the WAI-SR 1-5 metric.

    The bounds come from ``thresholds.yaml``: client WAI-SR means in outpatient samples sit
    near 3.8-4.0 (Hatcher & Gillaspy, 2006; Munder et al., 2010).

    Parameters
    ----------
    score : float
        The estimate, 1-5.

    Returns
    -------
    str
        "high" at or above `HIGH` (4.2), "low" below `LOW` (3.5), else "usual".
    """
    return "high" if score >= HIGH else "low" if score < LOW else "usual"


def _words(name: str, score: float, low: float, high: float) -> str:
    level = level_of(score)
    what = {
        "high": "above the range most clients report",
        "usual": "within the range most clients report",
        "low": "below the range most clients report",
    }[level]
    return f"{LABELS[name]} {score:.1f} (90% interval {low:.1f}-{high:.1f}): {what}."


def interval_note(readings: list[ComponentReading]) -> str:
    """One sentence under the cards on what the intervals say, naming the components it
    applies to (not the same remark on every card); "" when there is nothing to say."""
    shown = [r for r in readings if r.name != "total"]
    wide = [r.label for r in shown if r.high - r.low >= WIDE_INTERVAL]
    reaching = [
        r.label
        for r in shown
        if r.label not in wide
        and r.level != "usual"
        and (r.low < LOW <= r.high or r.low < HIGH <= r.high)
    ]
    out = []
    if wide:
        out.append(f"The interval of {_listed(wide)} is wide: the session gave little to go on.")
    if reaching:
        out.append(f"The interval of {_listed(reaching)} reaches into the usual range.")
    return " ".join(out)


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# What the reader's and the scorer's warnings say to whoever runs the toolkit (a command's
# option, `inspect`), left off a clinician's page; the plain note below takes their place.
_TOOL_HINT = re.compile(
    r"[;:,]?\s*\(?(?:check or set|set one with|check with|check the speaker roles with)\s+"
    r"[^;.()]*(?:`roles`|`inspect`|inspect)[^;.()]*\)?",
    re.IGNORECASE,
)
ROLES_NOTE = (
    "Who is the therapist and who the client was worked out from the transcript's speaker "
    "names; if that looks wrong here, whoever prepared this report can name the speakers."
)


def for_clinician(lines: list[str]) -> list[str]:
    """Warnings in a clinician's words: tool hints (`--roles`, `inspect`) taken out, one
    plain note about speaker roles added where any were."""
    out, hinted = [], False
    for line in lines:
        plain = _TOOL_HINT.sub("", line).strip()
        hinted = hinted or plain != line.strip()
        plain = plain.replace("roles guessed:", "speaker role guessed:")
        if plain and plain not in out:
            out.append(plain)
    return [*out, ROLES_NOTE] if hinted else out


def component_readings(result: SessionResult) -> list[ComponentReading]:
    """Goal, Task, Bond and Total of a session in words, each with the quotes that moved it.

    Quotes come from ``result.evidence`` rows of the component (not for Total), split by
    ``direction`` ("raised" or "lowered").

    Parameters
    ----------
    result : SessionResult
        The scored session; `scores` needs ``<part>``, ``<part>_low`` and ``<part>_high``.

    Returns
    -------
    list[ComponentReading]
        One per part, in the order of `PARTS`.

    Raises
    ------
    KeyError
        When a score or its bounds are missing.
    """
    out = []
    ev = result.evidence
    for name in PARTS:
        s = result.scores
        reading = ComponentReading(
            name=name,
            label=LABELS[name],
            meaning=MEANING[name],
            score=s[name],
            low=s[f"{name}_low"],
            high=s[f"{name}_high"],
            level=level_of(s[name]),
            words=_words(name, s[name], s[f"{name}_low"], s[f"{name}_high"]),
        )
        if name != "total" and len(ev):
            mine = ev[ev["component"] == name]
            for direction, target in (("raised", reading.raised), ("lowered", reading.lowered)):
                for row in mine[mine["direction"] == direction].itertuples():
                    quote = quote_at(result, row.turn, row.text)
                    quote.codes = str(getattr(row, "codes", "") or "")
                    target.append(quote)
        out.append(reading)
    return out


def _component_codes(session_type: str) -> dict[str, list[str]]:
    book = load_codebook(session_type=session_type)  # a medication visit's pack codes count too
    codes: dict[str, list[str]] = {}
    for code in book.codes:
        codes.setdefault(code.component.value, []).append(code.id)
    return codes


def evidence_table(result: SessionResult) -> pd.DataFrame:
    """Per utterance and code, the evidence 0-1 (see `utterance_evidence`).

    Codes are taken from the ``p_<code>`` columns (classifier probabilities) of the
    utterance table, else from its ``m_<code>`` columns (marker counts).

    Parameters
    ----------
    result : SessionResult
        The scored session.

    Returns
    -------
    pd.DataFrame
        One row per utterance (the utterance table's index), one column per code, values 0-1.
    """
    table = result.utterances
    codes = [c.removeprefix("p_") for c in table if c.startswith("p_")]
    codes = codes or [c.removeprefix("m_") for c in table if c.startswith("m_")]
    return utterance_evidence(table, codes)


def timeline(result: SessionResult, evidence: pd.DataFrame) -> list[Window]:
    """Overlapping windows over turns (about a tenth of the session each, half overlapping):
    therapist share of words, collaboration and bond evidence per utterance."""
    table = result.utterances
    turns = sorted(table["turn"].unique())
    if not turns:
        return []
    size = max(6, len(turns) // 10)
    step = max(size // 2, 1)
    codes = _component_codes(result.session_type)
    collab = [c for c in codes.get("collaboration", []) if c in evidence]
    bond = [c for c in codes.get("bond", []) if c in evidence]
    words = table["text"].str.split().str.len()
    out = []
    for start in range(0, max(len(turns) - size, 0) + 1, step):
        span = turns[start : start + size]
        inside = table["turn"].between(span[0], span[-1])
        w = words[inside]
        therapist = w[table.loc[inside, "role"] == "therapist"].sum()
        out.append(
            Window(
                first_turn=int(span[0]),
                last_turn=int(span[-1]),
                therapist_share=float(therapist / w.sum()) if w.sum() else 0.0,
                collaboration=float(evidence.loc[inside, collab].sum(axis=1).mean()),
                bond=float(evidence.loc[inside, bond].sum(axis=1).mean()),
            )
        )
    return out


def episodes(result: SessionResult, evidence: pd.DataFrame) -> tuple[list[Episode], list[int]]:
    """Rupture episodes with their quotes and, where repaired, the therapist's repair
    utterance; and every turn where the therapist's repair evidence reaches 0.5, where it
    attends to a strain (`ruptures.attending_repair`: a routine "How was today for you?"
    that answers no strain is not a repair moment)."""
    table = result.utterances
    repair = attending_repair(table, evidence)
    repair_turns = sorted({int(t) for t in table.loc[repair >= 0.5, "turn"]})
    out = []
    for row in result.ruptures.itertuples():
        quotes = []
        for part in str(row.evidence).split(" | "):
            head, _, text = part.partition(": ")
            if head.startswith("turn "):
                quotes.append(quote_at(result, int(head.removeprefix("turn ")), text))
        fix = None
        if row.repaired:
            near = table["turn"].between(row.start_turn, row.end_turn + 10)
            best = repair[near]
            if len(best) and best.max() >= 0.5:
                i = best.idxmax()
                fix = quote_at(result, int(table.at[i, "turn"]), str(table.at[i, "text"]))
        out.append(
            Episode(
                int(row.start_turn),
                int(row.end_turn),
                str(row.kind),
                bool(row.repaired),
                quotes,
                fix,
            )
        )
    return out, repair_turns


def balance(result: SessionResult) -> dict[str, dict[str, float]]:
    """Talk and question balance by speaking role, from the session's style features.

    Parameters
    ----------
    result : SessionResult
        The scored session.

    Returns
    -------
    dict[str, dict[str, float]]
        Role to ``talk_share`` (share of words, 0-1), ``question_rate``, ``minimal_rate``
        (share of turns of three words or fewer) and ``mean_turn_words``; NaN where absent.
    """
    f = result.features
    return {
        role: {
            "talk_share": float(f.get(f"style_talk_share_{role}", np.nan)),
            "question_rate": float(f.get(f"style_question_rate_{role}", np.nan)),
            "minimal_rate": float(f.get(f"style_minimal_response_rate_{role}", np.nan)),
            "mean_turn_words": float(f.get(f"style_mean_turn_words_{role}", np.nan)),
        }
        for role in SPEAKING_ROLE_NAMES
    }


def session_label(result: SessionResult) -> str:
    """The session's name on charts: "Session N", else its date, else its id.

    Parameters
    ----------
    result : SessionResult
        The session.

    Returns
    -------
    str
        The label.
    """
    s = result.session
    if s.session_number is not None:
        return f"Session {s.session_number}"
    return s.date or s.session_id


def trajectory(
    results: list[SessionResult],
    current: SessionResult | None,
    reports: SelfReports | None,
    outcomes=None,
) -> list[TrajectoryPoint]:
    """One trajectory point per session, in the given order.

    Parameters
    ----------
    results : list[SessionResult]
        The client's scored sessions.
    current : SessionResult or None
        The session the report is about (marked `current`), matched by identity.
    reports : SelfReports or None
        Self-reports to place beside each session (by session id, else client and session
        number).
    outcomes : optional
        Symptom outcomes; their ``session`` timepoint rows give each point's `symptoms`.

    Returns
    -------
    list[TrajectoryPoint]
        Scores per part as (score, low, high) on the WAI-SR 1-5 metric.
    """
    points = []
    for r in results:
        points.append(
            TrajectoryPoint(
                session_id=r.session.session_id,
                label=session_label(r),
                scores={
                    p: (r.scores[p], r.scores[f"{p}_low"], r.scores[f"{p}_high"]) for p in PARTS
                },
                self_reports=_reports_for(r, reports) if reports else {},
                current=r is current,
                symptoms=_symptoms_for(r, outcomes) if outcomes is not None else {},
            )
        )
    return points


def _reports_for(result: SessionResult, reports: SelfReports) -> dict[str, dict[str, float]]:
    """This session's self-reports on the 1-5 metric, by rater."""
    frame = reports.frame
    s = result.session
    hit = frame["session_id"].astype(str) == s.session_id
    if s.client_id is not None and s.session_number is not None and "client_id" in frame:
        hit |= (frame["client_id"].astype(str) == str(s.client_id)) & (
            pd.to_numeric(frame["session_number"], errors="coerce") == s.session_number
        )
    out: dict[str, dict[str, float]] = {}
    for row in frame[hit].to_dict(orient="records"):
        rater = str(row.get("rater") or "client")
        out[rater] = {
            p: float(reports.instrument.to_wai_sr_metric(row[p], p))
            for p in PARTS
            if row.get(p) is not None and row[p] == row[p]
        }
    return out


def _symptoms_for(result: SessionResult, outcomes) -> dict[str, float]:
    """This session's symptom scores (by session_id, else client and session number)."""
    frame = outcomes.frame[outcomes.frame["timepoint"] == "session"]
    s = result.session
    hit = frame["session_id"] == s.session_id
    if s.client_id is not None and s.session_number is not None:
        hit |= (
            frame["session_id"].isna()
            & (frame["client_id"] == str(s.client_id))
            & (frame["session_number"] == s.session_number)
        )
    return {row.measure: float(row.score) for row in frame[hit].itertuples()}


# The MITI-style measures the page shows (estimate/miti.py; docs/MITI.md).
SKILL_ROWS = [
    ("miti_r_to_q", "Reflections per question (R:Q)", "ratio"),
    ("miti_pct_complex_reflections", "Complex reflections, % of reflections", "pct"),
    ("miti_pct_open_questions", "Open questions, % of questions", "pct"),
    ("miti_mi_adherent", "MI-adherent: affirm, seek collaboration, emphasize autonomy", "count"),
    ("miti_mi_non_adherent", "MI-non-adherent: advise without permission, confront", "count"),
    ("miti_pct_change_talk", "Client change talk, % of change and sustain talk", "pct"),
]


def _skill_value(value: Any, kind: str) -> str:
    if value is None or value != value:
        return "-"
    if kind == "pct":
        return f"{value * 100:.0f}%"
    if kind == "ratio":
        return f"{value:.1f}:1"
    return str(int(value))


def skills(result: SessionResult) -> tuple[list[SkillRow], list[str], str]:
    """The MITI-style rows for the page (the session, then each clinician where there are
    several), their column names, and the counts in words; nothing where the session has
    no reflection and no question to count (no microskill codes, or none found)."""
    from ..estimate.miti import REFERENCE_LEVELS, reference_level

    f = result.features
    if not f.get("miti_source") or not (f.get("miti_reflections") or f.get("miti_questions")):
        return [], [], ""
    dyads = result.dyads.to_dict(orient="records") if len(result.dyads) > 1 else []
    columns = ["This session", *[str(d["clinician"]) for d in dyads]]
    rows = []
    for key, label, kind in SKILL_ROWS:
        values = [_skill_value(f.get(key), kind)]
        values += [_skill_value(d.get(key), kind) for d in dyads]
        fair_good = REFERENCE_LEVELS.get(key)
        if fair_good:
            fair, good, source = fair_good
            show = (lambda v: f"{v:.0f}:1") if kind == "ratio" else (lambda v: f"{v * 100:.0f}%")
            reference = f"fair {show(fair)}, good {show(good)} ({source})"
        else:
            reference = "no published level"
        rows.append(SkillRow(key, label, values, reference_level(key, f.get(key)), reference))
    counts = (
        f"{f['miti_reflections']} reflections ({f['miti_simple_reflections']} simple, "
        f"{f['miti_complex_reflections']} complex), {f['miti_questions']} questions "
        f"({f['miti_open_questions']} open, {f['miti_closed_questions']} closed); client: "
        f"{f['miti_change_talk']} change talk, {f['miti_sustain_talk']} sustain talk "
        f"utterances. Coded by {str(f['miti_source']).replace('+', ' and ')}."
    )
    return rows, columns, counts
