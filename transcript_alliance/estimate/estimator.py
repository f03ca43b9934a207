"""Estimate: per-utterance evidence to Goal, Task, Bond and Total on the WAI-SR item
metric (1-5), with 90% bootstrap intervals over turns and the utterances behind each.

An estimator is a JSON file (see `estimators/default.json`) in one of two forms:
- `evidence_share`: each component is the share of positive evidence among all its
  evidence, shrunk toward a prior level: 1 + 4 (P + s m) / (P + N + s), with P and N the
  weighted positive and negative evidence, m the prior mean on the 0-1 scale, s its
  strength. A term's weight is its relative weight within its family (set from the
  literature, each with its reason and source) times the family's scale (a handful of
  scales, chosen with development ratings and recorded in `fitted`). A term may count
  only the session's last `ending_turns` turns (`where: end`: how the session ends).
  Besides the codebook's codes, four are derived from the words (`DERIVED`): the client's
  `elaboration`, `minimal_response`, `positive_affect` and `negative_affect`. A client's
  withdrawal or confrontation about an earlier time is not counted
  (`ruptures.about_the_past`).
- `linear`: what `calibrate` writes: intercept + coefficients over standardized rates
  (evidence per utterance of a role), fitted to a lab's self-reports. A component with a
  `linear` part is scored by it; the others keep their evidence-share terms.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import InputError
from ..io import validation_message
from ..schema import COMPONENTS, PARTS, SPEAKING_ROLE_NAMES
from ..session_types import session_type as get_session_type
from .ruptures import KINDS, not_now

SOURCES = ("markers", "classifier")


# Codes computed from the words rather than coded (see `derived_evidence`).
DERIVED = ("elaboration", "minimal_response", "positive_affect", "negative_affect")
ELABORATION_WORDS = 20  # a client utterance this long is full evidence of elaboration
MINIMAL_WORDS = 3  # a client turn of at most this many words is a minimal response


class Term(BaseModel):
    """One evidence term of a component in an `evidence_share` estimator.

    Attributes
    ----------
    role : {"therapist", "client", "either"}
        Whose utterances count.
    code : str
        The code whose evidence counts.
    weight : float
        Relative weight within its family; negative weights count as negative evidence.
    reason, source : str
        Why the term is there, and the literature it comes from.
    family : str
        The family whose scale multiplies the weight.
    where : {"all", "end"}
        "end": only the session's last `ending_turns` turns count.
    """

    model_config = ConfigDict(extra="forbid")
    role: Literal["therapist", "client", "either"]
    code: str
    weight: float
    reason: str = ""
    source: str = ""
    family: str = ""  # the weight is multiplied by the family's scale
    where: Literal["all", "end"] = "all"  # "end": the session's last `ending_turns` turns


class Family(BaseModel):
    """A family of terms sharing one scale.

    Attributes
    ----------
    scale : float
        Multiplies the weight of each term of the family (chosen with development ratings).
    reason : str
        Why the family is there.
    """

    model_config = ConfigDict(extra="forbid")
    scale: float = 1.0
    reason: str = ""


class LinearPart(BaseModel):
    """A component scored as a linear function of standardized rates (what `calibrate` writes).

    Attributes
    ----------
    intercept : float
        The score at mean rates, WAI-SR 1-5 metric.
    features : list[str]
        "<role>.<code>" rates (evidence per utterance of the role).
    means, scales : list[float]
        Each feature's mean and scale, for standardizing; same length as `features`.
    coefficients : list[float]
        One per feature.
    """

    model_config = ConfigDict(extra="forbid")
    intercept: float
    features: list[str]  # "<role>.<code>" rates
    means: list[float]
    scales: list[float]
    coefficients: list[float]


class Estimator(BaseModel):
    """An estimator file: how evidence becomes Goal, Task, Bond and Total (see the module).

    Attributes
    ----------
    name, version : str
        Its name and version.
    form : {"evidence_share", "linear"}
        How components are scored.
    description : str
        What it is, in words.
    prior : dict[str, float | str]
        The prior level and strength the evidence share is shrunk toward.
    families : dict[str, Family]
        Term families by name.
    ending_turns : int
        How many last turns a term with ``where="end"`` counts (default 6).
    components : dict[str, list[Term]]
        Component to its evidence terms.
    linear : dict[str, LinearPart]
        Component to its linear part, for components scored that way.
    fitted : dict[str, object]
        What was fitted and how (recorded with the file).
    """

    model_config = ConfigDict(extra="forbid")
    name: str
    version: str
    form: Literal["evidence_share", "linear"]
    description: str = ""
    prior: dict[str, float | str] = {}
    families: dict[str, Family] = {}
    ending_turns: int = Field(6, ge=1)
    components: dict[str, list[Term]] = {}
    linear: dict[str, LinearPart] = {}
    fitted: dict[str, object] = {}

    def weight(self, term: Term) -> float:
        """The term's weight times its family's scale."""
        family = self.families.get(term.family)
        return term.weight * (family.scale if family is not None else 1.0)

    def codes(self) -> set[str]:
        """The codes the estimator reads: those of its terms and of its linear features.

        Returns
        -------
        set[str]
            Code names.
        """
        terms = {t.code for terms in self.components.values() for t in terms}
        features = {f.split(".", 1)[1] for part in self.linear.values() for f in part.features}
        return terms | features


def load_estimator(path: str | Path | None = None, session_type: str | None = None) -> Estimator:
    """The packaged estimator of a session type, or a JSON file (never a pickle).

    Parameters
    ----------
    path
        An estimator JSON file (as `calibrate` writes); None for the packaged one.
    session_type
        A registered session type (`session_types.yaml`); None is psychotherapy. Picks the
        packaged estimator when `path` is None; checked either way.

    A calibrated file records the session types it was fitted on (`fitted.session_types`);
    for another type it is not applied: a warning, and the packaged estimator instead.

    Raises
    ------
    OptionError
        An unknown session type (the message lists the valid ones).
    InputError
        An unreadable or invalid estimator file.
    """
    spec = get_session_type(session_type)
    if path is None:
        name = spec.estimator
        text = resources.files("transcript_alliance.estimate.estimators").joinpath(name)
        text, where = text.read_text(encoding="utf-8"), f"estimators/{name}"
    else:
        try:
            text, where = Path(path).read_text(encoding="utf-8"), str(path)
        except OSError as err:
            raise InputError(path, f"cannot read the estimator ({err.strerror})") from None
        except UnicodeDecodeError:  # a pickle or other binary file
            raise InputError(
                path,
                "not a text file; expected an estimator JSON written by `calibrate` "
                "(pickles are never loaded)",
            ) from None
    try:
        estimator = Estimator.model_validate_json(text)
    except ValidationError as err:
        raise InputError(where, f"{validation_message(err)}; expected an estimator JSON") from None
    missing = [c for c in COMPONENTS if c not in estimator.components and c not in estimator.linear]
    if missing:
        raise InputError(where, f"no terms for {', '.join(missing)}; expected goal, task, bond")
    unknown = {t.family for ts in estimator.components.values() for t in ts if t.family}
    unknown -= set(estimator.families)
    if unknown:
        raise InputError(
            where,
            f"families {', '.join(sorted(unknown))} have no scale; expected them under `families`",
        )
    for component, terms in estimator.components.items():
        for number, term in enumerate(terms, start=1):
            if term.code in DERIVED and term.role != "client":
                raise InputError(
                    where,
                    f"{component} term {number} ({term.code}): role {term.role!r}; expected "
                    "'client' (the derived codes are measured on the client's words only)",
                )
    note = scope_note(estimator, spec.name, where)
    if note:
        warnings.warn(note, stacklevel=2)
        return load_estimator(None, spec.name)
    return estimator


def check_codes(estimator: Estimator, known: set[str], where: str) -> None:
    """Raise if a term or linear feature reads a code that is neither in `known` (the
    run's codebook) nor derived from the words (`DERIVED`), before any work.

    Raises
    ------
    InputError
        Naming `where` (the estimator file), the first unknown code and its term.
    """
    known = set(known) | set(DERIVED)
    places = [
        (f"{component} term {number}", term.code)
        for component, terms in estimator.components.items()
        for number, term in enumerate(terms, start=1)
    ]
    places += [
        (f"{component} linear feature {feature}", feature.split(".", 1)[-1])
        for component, part in estimator.linear.items()
        for feature in part.features
    ]
    for place, code in places:
        if code not in known:
            raise InputError(
                where,
                f"{place}: unknown code {code!r}; expected a code of the run's codebook "
                f"or one derived from the words ({', '.join(DERIVED)})",
            )


def scope_note(estimator: Estimator, session_type: str, where: str = "the estimator") -> str:
    """Why a calibrated estimator is not applied to `session_type` ("" when it may be):
    it was fitted on other session types only."""
    fitted_on = estimator.fitted.get("session_types") or []
    if not isinstance(fitted_on, list) or not fitted_on or session_type in fitted_on:
        return ""
    return (
        f"{where} was calibrated on {', '.join(map(str, fitted_on))} sessions only; "
        f"{session_type} sessions are scored with the packaged estimator instead"
    )


def derived_evidence(table: pd.DataFrame) -> pd.DataFrame:
    """Per utterance, 0-1: `elaboration`, a client utterance's words over
    `ELABORATION_WORDS` (capped at 1: saying more, and taking a share of the talk), and
    `minimal_response`, 1 on the first utterance of a client turn of 1 to
    `MINIMAL_WORDS` words (answers like "Fine." or "I guess."; Safran & Muran, 2000,
    count minimal answers among withdrawal markers)."""
    if "n_words" in table:
        words = table["n_words"].to_numpy(dtype=float)
    elif "text" in table:
        words = np.array([len(str(t).split()) for t in table["text"]], dtype=float)
    else:
        raise ValueError("the utterance table has neither n_words nor text")
    client = (table["role"] == "client").to_numpy()
    keys = [table["turn"].to_numpy()]
    if "session_id" in table:  # several sessions in one table: turns are per session
        keys.insert(0, table["session_id"].to_numpy())
    turn_words = pd.Series(words).groupby(keys).transform("sum").to_numpy()
    changed = [k[1:] != k[:-1] for k in keys]
    first = np.r_[True, np.logical_or.reduce(changed)]
    valence = client_valence(table, client)
    return pd.DataFrame(
        {
            "elaboration": np.where(client, np.minimum(words / ELABORATION_WORDS, 1.0), 0.0),
            "minimal_response": (
                client & first & (turn_words >= 1) & (turn_words <= MINIMAL_WORDS)
            ).astype(float),
            "positive_affect": np.clip(valence, 0.0, 1.0),
            "negative_affect": np.clip(-valence, 0.0, 1.0),
        },
        index=table.index,
    )


def client_valence(table: pd.DataFrame, client: np.ndarray) -> np.ndarray:
    """Per utterance, -1 to 1: the VADER compound valence of a client utterance's words
    (Hutto & Gilbert, 2014: a rule-based lexicon for short social text; 0 for the
    therapist's utterances and for a table without `text`, e.g. one read back without
    its words)."""
    out = np.zeros(len(table))
    if "text" not in table or not client.any():
        return out
    analyzer = _vader()
    texts = table["text"].to_numpy()
    for i in np.flatnonzero(client):
        out[i] = analyzer.polarity_scores(str(texts[i]))["compound"]
    return out


@cache
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()  # reads its lexicon from the package: no network


def session_evidence(
    table: pd.DataFrame, codes: list[str], evidence: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The evidence an estimator reads: `utterance_evidence` for coded codes (reused from
    `evidence` where given), `derived_evidence` for the derived ones, and the client's
    withdrawal and confrontation only where they are about the present."""
    coded = [c for c in codes if c not in DERIVED]
    have = [] if evidence is None else [c for c in coded if c in evidence]
    parts = [evidence[have]] if have else []
    rest = [c for c in coded if c not in have]
    if rest:
        parts.append(utterance_evidence(table, rest))
    if any(c in DERIVED for c in codes):
        parts.append(derived_evidence(table))
    out = pd.concat(parts, axis=1) if parts else pd.DataFrame(index=table.index)
    out = out.loc[:, ~out.columns.duplicated()].fillna(0.0)  # a pack code not searched: none
    kinds = [k for k in KINDS if k in out]
    if kinds:
        past = not_now(table)
        for kind in kinds:
            out[kind] = np.where(past, 0.0, out[kind].to_numpy())
    return out[codes]


def utterance_evidence(table: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """Per utterance and code, 0-1: the marker (any non-negated match) and the classifier
    probability, averaged when both columns are there."""
    columns = {}
    for code in codes:  # on arrays, built once: pandas column by column cost ~1% of `code`
        parts = []
        if f"m_{code}" in table:
            parts.append(np.minimum(table[f"m_{code}"].to_numpy(dtype=float), 1.0))
        if f"p_{code}" in table:
            parts.append(table[f"p_{code}"].to_numpy(dtype=float))
        if not parts:
            raise ValueError(f"the utterance table has neither m_{code} nor p_{code}")
        columns[code] = sum(parts) / len(parts)
    return pd.DataFrame(columns, index=table.index, columns=list(codes))


@dataclass
class SessionScores:
    """A session's scores and the evidence behind them.

    Attributes
    ----------
    scores : dict[str, float]
        goal, goal_low, goal_high, ..., total_high on the WAI-SR 1-5 metric (90% bootstrap
        intervals over turns), and ``<part>_change`` (last third minus first third).
    contributions : pd.DataFrame
        Utterances x components: signed evidence.
    parts : dict[str, pd.DataFrame]
        Component to utterances x codes: each code's share of `contributions`
        (`code_contributions`).
    rates : dict[str, float]
        "<role>.<code>" to evidence per utterance of that role.
    """

    scores: dict[str, float]  # goal, goal_low, goal_high, ..., total_high, *_change
    contributions: pd.DataFrame  # utterance x component: signed evidence
    rates: dict[str, float] = field(default_factory=dict)  # "<role>.<code>": per utterance
    parts: dict[str, pd.DataFrame] = field(default_factory=dict)  # component: utterance x code


class _TurnMatrices:
    """Evidence summed per turn and role, so bootstrap resamples are matrix products."""

    def __init__(self, table: pd.DataFrame, evidence: pd.DataFrame, ending_turns: int = 6) -> None:
        turns = table["turn"].to_numpy()
        self.turn_ids, index = np.unique(turns, return_inverse=True)
        n_turns = len(self.turn_ids)
        self.end = np.zeros(n_turns)  # the session's last turns: how it ends
        self.end[max(n_turns - ending_turns, 0) :] = 1.0
        self.sums: dict[str, np.ndarray] = {}
        self.counts: dict[str, np.ndarray] = {}
        for role in SPEAKING_ROLE_NAMES:
            mask = (table["role"] == role).to_numpy()
            sums = np.zeros((n_turns, evidence.shape[1]))
            np.add.at(sums, index[mask], evidence.to_numpy()[mask])
            self.sums[role] = sums
            self.counts[role] = np.bincount(index[mask], minlength=n_turns).astype(float)
        self.codes = list(evidence.columns)

    def totals(self, weights: np.ndarray, role: str, code: str, where: str = "all") -> np.ndarray:
        """Summed evidence of one code for each weighting of the turns.

        Parameters
        ----------
        weights : np.ndarray
            Turn weights, shape (turns,) or (resamples, turns) (bootstrap counts).
        role : str
            "therapist", "client" or "either" (both summed).
        code : str
            The code.
        where : str, optional
            "end": only the session's last `ending_turns` turns count.

        Returns
        -------
        np.ndarray
            Shape ``weights.shape[:-1]``.

        Raises
        ------
        ValueError
            When `code` is not one of the evidence columns.
        """
        k = self.codes.index(code)
        if where == "end":
            weights = weights * self.end
        if role == "either":
            return sum(weights @ self.sums[r][:, k] for r in SPEAKING_ROLE_NAMES)
        return weights @ self.sums[role][:, k]

    def rate(self, weights: np.ndarray, role: str, code: str) -> np.ndarray:
        """Evidence of one code per utterance of `role`, for each weighting of the turns.

        Parameters
        ----------
        weights : np.ndarray
            Turn weights, shape (turns,) or (resamples, turns).
        role : str
            "therapist", "client" or "either".
        code : str
            The code.

        Returns
        -------
        np.ndarray
            Summed evidence over weighted utterance count; 0 where there are no utterances.
        """
        n = weights @ (self.counts[role] if role != "either" else sum(self.counts.values()))
        return np.divide(self.totals(weights, role, code), n, out=np.zeros_like(n), where=n > 0)


def _component_scores(
    est: Estimator,
    m: _TurnMatrices,
    weights: np.ndarray,
    rng: np.random.Generator | None = None,
    draw: np.ndarray | None = None,
) -> np.ndarray:
    """Rows of `weights` (resamples) x components -> scores on 1-5. For the rows marked
    in `draw` (the bootstrap resamples), an evidence-share component is drawn from its
    Beta posterior instead of taken at its mean, so the interval holds both the sampling
    of turns and how little evidence there is: a short session's interval widens."""
    out = np.zeros((weights.shape[0], len(COMPONENTS)))
    for j, component in enumerate(COMPONENTS):
        if component not in est.linear:
            pos = neg = 0.0
            for term in est.components[component]:
                weight = est.weight(term)
                value = weight * m.totals(weights, term.role, term.code, term.where)
                pos, neg = (pos + value, neg) if weight > 0 else (pos, neg - value)
            prior_mean = (float(est.prior.get("mean", 3.9)) - 1) / 4
            strength = float(est.prior.get("strength", 6.0))
            alpha = pos + strength * prior_mean
            beta = neg + strength * (1 - prior_mean)
            share = alpha / (alpha + beta)
            if rng is not None and draw is not None:
                drawn = rng.beta(np.maximum(alpha, 1e-6), np.maximum(beta, 1e-6))
                share = np.where(draw, drawn, share)
            out[:, j] = 1 + 4 * share
        else:
            part = est.linear[component]
            score = np.full(weights.shape[0], part.intercept)
            for f, mu, sd, coef in zip(part.features, part.means, part.scales, part.coefficients):
                role, code = f.split(".", 1)
                score = score + coef * (m.rate(weights, role, code) - mu) / (sd or 1.0)
            out[:, j] = score
    return np.clip(out, 1.0, 5.0)


def ending_turns_mask(turns: np.ndarray, ending_turns: int) -> np.ndarray:
    """Whether each utterance lies in the session's last `ending_turns` turns (how the
    session ends; a term with ``where="end"`` counts only these).

    Parameters
    ----------
    turns : np.ndarray
        Each utterance's turn number, shape (utterances,), one session.
    ending_turns : int
        How many of the session's last distinct turns count as its ending.

    Returns
    -------
    np.ndarray
        Booleans, shape (utterances,).
    """
    turn_ids, index = np.unique(np.asarray(turns), return_inverse=True)
    return index >= len(turn_ids) - ending_turns


def code_contributions(
    est: Estimator, table: pd.DataFrame, evidence: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    """Per component, the signed evidence each code adds to each utterance: evidence x the
    weights of the component's terms on that code (summed when a code has several terms,
    e.g. one over the whole session and one over its ending), or for a linear component
    each feature's share of the standardized rates x coefficients. `contributions` is
    their sum over codes; `evidence.csv`'s `codes` writes them (`codes_text`).

    Parameters
    ----------
    est : Estimator
        The estimator.
    table : pd.DataFrame
        One session's utterance table (`turn`, `role`).
    evidence : pd.DataFrame
        Per utterance and code, 0-1 (`session_evidence`), same index as `table`.

    Returns
    -------
    dict[str, pd.DataFrame]
        Component to a frame of shape (utterances, codes the component reads), in
        evidence units; codes in the order of the component's terms or features.
    """
    roles = table["role"].to_numpy()
    at_end = ending_turns_mask(table["turn"].to_numpy(), est.ending_turns)
    out = {}
    for component in COMPONENTS:
        if component not in est.linear:
            terms = [
                (t.role, t.code, est.weight(t) * (at_end if t.where == "end" else 1.0))
                for t in est.components[component]
            ]
        else:
            part = est.linear[component]
            terms = []
            for f, sd, coef in zip(part.features, part.scales, part.coefficients):
                role, code = f.split(".", 1)
                n = max(int((roles == role).sum()) if role != "either" else len(roles), 1)
                terms.append((role, code, coef / ((sd or 1.0) * n)))
        columns: dict[str, np.ndarray] = {}
        for role, code, weight in terms:
            said = np.ones(len(table), bool) if role == "either" else roles == role
            value = np.where(said, evidence[code].to_numpy() * weight, 0.0)
            columns[code] = columns[code] + value if code in columns else value
        out[component] = pd.DataFrame(columns, index=table.index, columns=list(columns))
    return out


def contributions(
    est: Estimator,
    table: pd.DataFrame,
    evidence: pd.DataFrame,
    parts: dict[str, pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """Per utterance and component, the signed evidence it adds: the sum over codes of
    `code_contributions` (computed here unless given as `parts`).

    Returns
    -------
    pd.DataFrame
        Shape (utterances, 3): goal, task, bond, in evidence units.
    """
    if parts is None:
        parts = code_contributions(est, table, evidence)
    return pd.DataFrame(
        {c: parts[c].sum(axis=1) for c in COMPONENTS}, index=table.index, columns=list(COMPONENTS)
    )


def codes_text(parts: pd.Series, digits: int = 3) -> str:
    """One utterance's code contributions as `evidence.csv`'s `codes` writes them:
    "<code> <signed value>" joined by "; ", largest |value| first (ties by code name),
    values rounded to `digits` decimals with their sign, codes that round to 0 left out,
    e.g. "negative_affect -0.844; feeling_disclosure +0.500". `parse_codes` reads it back.

    Parameters
    ----------
    parts : pd.Series
        Code to signed evidence (one row of a `code_contributions` frame).
    digits : int, optional
        Decimals kept (3, as the `weight` column).

    Returns
    -------
    str
        "" when no code contributes.
    """
    items = [(code, round(float(v), digits)) for code, v in parts.items()]
    items = sorted((i for i in items if i[1] != 0), key=lambda i: (-abs(i[1]), i[0]))
    return "; ".join(f"{code} {value:+.{digits}f}" for code, value in items)


def parse_codes(text: str) -> dict[str, float]:
    """`evidence.csv`'s `codes` back as code to signed evidence (see `codes_text`).

    Raises
    ------
    ValueError
        A part that is not "<code> <signed number>".
    """
    out: dict[str, float] = {}
    for part in str(text).split(";"):
        if not part.strip():
            continue
        code, _, value = part.strip().rpartition(" ")
        try:
            if not code or value[:1] not in ("+", "-"):
                raise ValueError
            out[code] = float(value)
        except ValueError:
            raise ValueError(f"expected '<code> <signed number>', got {part.strip()!r}") from None
    return out


def score_session(
    table: pd.DataFrame,
    estimator: Estimator,
    *,
    resamples: int = 500,
    seed: int = 0,
    evidence: pd.DataFrame | None = None,
) -> SessionScores:
    """Scores, 90% intervals (percentile bootstrap over turns) and first-to-last-third
    change for one session's utterance table (with m_ and/or p_ columns). `evidence`:
    `utterance_evidence` of the table when the caller has it already (derived codes and
    the present-rupture rule are applied here, by `session_evidence`)."""
    codes = sorted(estimator.codes())
    evidence = session_evidence(table, codes, evidence)
    m = _TurnMatrices(table, evidence, estimator.ending_turns)
    n_turns = len(m.turn_ids)
    rng = np.random.default_rng(seed)
    boot = rng.multinomial(n_turns, np.full(n_turns, 1 / n_turns), size=resamples)
    thirds = np.zeros((2, n_turns))
    cut = max(n_turns // 3, 1)
    thirds[0, :cut], thirds[1, n_turns - cut :] = 1, 1
    weights = np.vstack([np.ones(n_turns), boot, thirds]).astype(float)
    draw = np.zeros(weights.shape[0], bool)
    draw[1 : resamples + 1] = True
    scores = _component_scores(estimator, m, weights, rng, draw)
    total = scores.mean(axis=1, keepdims=True)  # WAI-SR total: mean of the three
    scores = np.hstack([scores, total])
    out: dict[str, float] = {}
    for j, name in enumerate(PARTS):
        low, high = np.percentile(scores[1 : resamples + 1, j], [5, 95])
        out |= {name: scores[0, j], f"{name}_low": low, f"{name}_high": high}
    for j, name in enumerate(PARTS):
        out[f"{name}_change"] = scores[-1, j] - scores[-2, j]
    rates = {
        f"{r}.{c}": float(m.rate(weights[:1], r, c)[0]) for r in SPEAKING_ROLE_NAMES for c in codes
    }
    parts = code_contributions(estimator, table, evidence)
    return SessionScores(
        {k: round(float(v), 3) for k, v in out.items()},
        contributions(estimator, table, evidence, parts),
        rates,
        parts,
    )
