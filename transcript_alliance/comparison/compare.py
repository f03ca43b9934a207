"""`compare` as a function: the estimates against self-reports (agreement) and against
symptom outcomes, computed and, with `out`, written as tables, plots and a summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import OptionError
from ..io import read_sessions_table
from .outcomes import Outcomes
from .selfreport import SelfReports


@dataclass(frozen=True)
class Comparison:
    """What `compare` found.

    `agreement` has one row per rater and component (`rater, instrument, component, n,
    clients, pearson_r, pearson_low, pearson_high, spearman_rho, ..., icc2_1, ba_bias,
    ba_lower, ba_upper, mae, rm_corr_r, mixed_slope, mixed_p, note`; 95% CIs); empty
    without self-reports. `outcomes` has one row per analysis, measure, component and
    statistic (`analysis, measure, component, clients, n, statistic, estimate, ci_low,
    ci_high, p, note`); empty without outcomes. `agreement_details` and
    `outcome_details` hold every figure, as the JSON files carry them.
    """

    agreement: pd.DataFrame
    outcomes: pd.DataFrame
    agreement_details: list[dict[str, Any]] = field(default_factory=list)
    outcome_details: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


def compare(
    sessions: str | Path | pd.DataFrame,
    selfreports: str | Path | SelfReports | None = None,
    *,
    out: str | Path | None = None,
    instrument: str | Path | None = None,
    outcomes: str | Path | Outcomes | None = None,
) -> Comparison:
    """Estimates against self-reports (Pearson, Spearman, ICC, Bland-Altman, MAE,
    repeated-measures correlation, a multilevel model) and, with `outcomes`, early
    alliance against symptom change and within-client lagged links.

    Parameters
    ----------
    sessions
        The sessions table `code` wrote (a path to .csv/.parquet, or the DataFrame).
    selfreports
        A self-report CSV path, or `SelfReports` from `read_self_reports`.
    out
        A folder for comparison.json/.csv, outcomes.json/.csv, plots and summaries;
        `None` writes nothing.
    instrument
        The self-report instrument name or YAML (default: guessed from the columns).
    outcomes
        Symptom measures by client (a CSV path, or `Outcomes` from `read_outcomes`).

    Returns
    -------
    Comparison

    Raises
    ------
    OptionError
        Neither `selfreports` nor `outcomes` given.
    InputError
        A table that cannot be read.
    """
    from .agreement import compare_reports, flat_table
    from .outcomes import alliance_outcome, outcome_table, read_outcomes
    from .selfreport import read_self_reports

    if selfreports is None and outcomes is None:
        raise OptionError("nothing to compare: name `selfreports`, `outcomes`, or both")
    table = sessions if isinstance(sessions, pd.DataFrame) else read_sessions_table(sessions)
    out = None if out is None else Path(out)
    agreement: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    notes: list[str] = []
    written: list[Path] = []
    if selfreports is not None:
        reports = (
            selfreports
            if isinstance(selfreports, SelfReports)
            else read_self_reports(selfreports, instrument)
        )
        notes += reports.notes
        agreement = compare_reports(table, reports)
        if out is not None:
            from .files import write_comparison

            written += write_comparison(table, reports, agreement, out)
    if outcomes is not None:
        measures = outcomes if isinstance(outcomes, Outcomes) else read_outcomes(outcomes)
        links = alliance_outcome(table, measures)
        if out is not None:
            from .files import write_outcome_comparison

            written += write_outcome_comparison(links, measures, out)
    return Comparison(
        agreement=flat_table(agreement),
        outcomes=outcome_table(links),
        agreement_details=agreement,
        outcome_details=links,
        notes=notes,
        written=written,
    )
