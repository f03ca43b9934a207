"""`calibrate` as a function: read the sessions table and the self-reports, refit the
estimator (`fitting.fit_estimator`), and save it for `code`'s `estimator`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd

from ..comparison.selfreport import SelfReports, read_self_reports
from ..errors import OptionError
from ..io import read_sessions_table
from .estimator import Estimator, load_estimator

TARGETS = ("all", "goal", "task", "bond", "total")


@dataclass(frozen=True)
class ComponentFit:
    """One component's refit: cross-validated Pearson r and MAE (1-5 metric) of the
    calibrated weights beside the default estimator's on the same sessions (`None` where
    r is undefined: a constant prediction or target)."""

    component: str
    target: str
    sessions: int
    groups: int
    folds: int
    alpha: float
    calibrated_r: float | None
    calibrated_mae: float
    default_r: float | None
    default_mae: float
    kept: str = "calibrated"  # or "default": its cross-validation was worse (see warnings)


@dataclass(frozen=True)
class Calibration:
    """The refitted estimator and how each component's refit did."""

    estimator: Estimator
    instrument: str
    rater: str
    groups: str
    components: dict[str, ComponentFit]
    warnings: list[str] = field(default_factory=list)  # small sample, worse than default
    written: list[Path] = field(default_factory=list)


def calibrate(
    sessions: str | Path | pd.DataFrame,
    selfreports: str | Path | SelfReports,
    *,
    out: str | Path | None = None,
    target: Literal["all", "goal", "task", "bond", "total"] = "all",
    groups: str = "client_id",
    instrument: str | Path | None = None,
    rater: str = "client",
    estimator: str | Path | None = None,
    force: bool = False,
) -> Calibration:
    """Refit the estimator's weights to local self-reports: ridge regression,
    cross-validated with folds grouped by `groups` (no client in a fold's training and
    test sessions at once).

    Parameters
    ----------
    sessions
        The sessions table `code` wrote (a path to .csv/.parquet, or the DataFrame).
    selfreports
        A self-report CSV path, or `SelfReports` from `read_self_reports`.
    out
        Write the fitted estimator JSON here (for `code`'s `estimator`); `None`: don't.
    target
        The component to refit (`goal`, `task`, `bond`, `total`), or `all`.
    groups
        The column whose values form the cross-validation folds.
    instrument
        The self-report instrument name or YAML (default: guessed from the columns);
        ignored when `selfreports` is already read.
    rater
        Whose ratings to fit to: client, therapist or observer.
    estimator
        The estimator to start from (default: the packaged one).
    force
        Keep the calibrated terms even where their cross-validation is worse than the
        default's (otherwise the default's are kept, with a warning).

    Returns
    -------
    Calibration

    Raises
    ------
    OptionError
        An unknown `target`, or a `groups` column the tables lack.
    InputError
        Unreadable tables, or too few sessions or clients with self-reports.
    """
    from .fitting import fit_estimator

    if target not in TARGETS:
        raise OptionError(f"`target` '{target}': expected goal, task, bond, total or all")
    table = sessions if isinstance(sessions, pd.DataFrame) else read_sessions_table(sessions)
    reports = (
        selfreports
        if isinstance(selfreports, SelfReports)
        else read_self_reports(selfreports, instrument)
    )
    fitted, report = fit_estimator(
        table,
        reports,
        load_estimator(estimator),
        targets=None if target == "all" else [target],
        group_column=groups,
        rater=rater,
        force=force,
    )
    fits = {
        name: ComponentFit(
            component=name,
            target=r["target"],
            sessions=r["sessions"],
            groups=r["groups"],
            folds=r["folds"],
            alpha=r["alpha"],
            calibrated_r=r["calibrated_cv"]["r"],
            calibrated_mae=r["calibrated_cv"]["mae"],
            default_r=r["default"]["r"],
            default_mae=r["default"]["mae"],
            kept=r.get("kept", "calibrated"),
        )
        for name, r in report["components"].items()
    }
    result = Calibration(
        fitted, reports.instrument.name, rater, groups, fits, list(report.get("warnings", []))
    )
    if out is not None:
        from ..io import write_json

        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        write_json(out, fitted.model_dump(mode="json"))
        result.written.append(out)
    return result
