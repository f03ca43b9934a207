"""Self-report files: alliance questionnaires scored into Goal, Task, Bond and Total.

A CSV with `session_id` (or `client_id` + `session_number`), an optional `rater`
(client, therapist, observer), and either item columns (`wai1..wai12`, `srs1..srs4`,
`haq1..haq19`, or a user instrument's prefix) or subscale columns (`goal, task, bond,
total`). Instruments are YAML (`instruments/*.yaml`; a user's own file works the same).

Missing items: a subscale is the mean of its items when at most one is missing
(prorated), else missing; the total likewise when at most one item in ten (at least one)
is missing. A `sum` total is prorated as the mean of present items times the item count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from ..errors import InputError
from ..io import read_csv, validation_message
from ..schema import COMPONENTS, PARTS

INSTRUMENTS = ("wai-sr", "wai-s", "srs", "haq-ii")
RATERS = {"client", "therapist", "observer"}


class Instrument(BaseModel):
    """An alliance questionnaire: items, their range, reverse-keyed items, subscales.

    Loaded from YAML (`load_instrument`); unknown keys are refused.

    Attributes
    ----------
    name, description : str
    prefix : str
        Item columns are prefix1..prefixN (``wai1``..``wai12``).
    items : int
        Number of items.
    min, max : float
        The item response range (1-5 for the WAI-SR).
    reverse : list of int
        1-based reverse-keyed items.
    subscales : dict
        goal, task, bond -> 1-based items.
    total : {"mean", "sum"}
        How the total is formed.
    """

    model_config = ConfigDict(extra="forbid")
    name: str
    description: str = ""
    prefix: str
    items: int
    min: float
    max: float
    reverse: list[int] = []
    subscales: dict[Literal["goal", "task", "bond"], list[int]] = {}
    total: Literal["mean", "sum"] = "mean"

    @model_validator(mode="after")
    def _items_exist(self) -> Instrument:
        numbers = set(self.reverse) | {i for items in self.subscales.values() for i in items}
        bad = sorted(i for i in numbers if not 1 <= i <= self.items)
        if bad:
            raise ValueError(f"item(s) {bad} outside 1-{self.items}")
        if self.max <= self.min:
            raise ValueError("max must be above min")
        return self

    @property
    def columns(self) -> list[str]:
        """The item column names, prefix1..prefixN (list of str)."""
        return [f"{self.prefix}{i}" for i in range(1, self.items + 1)]

    def total_range(self) -> tuple[float, float]:
        """The total's range: (min, max) for a mean total, (min*items, max*items) for a sum.

        Returns
        -------
        (float, float)
        """
        n = self.items if self.total == "sum" else 1
        return self.min * n, self.max * n

    def to_wai_sr_metric(self, value: float | pd.Series, part: str):
        """Linear rescaling onto 1-5, for reading beside the toolkit's estimates.

        Parameters
        ----------
        value : float or Series
            Scores on this instrument's metric.
        part : str
            goal, task, bond or total (the total may be a sum).

        Returns
        -------
        float or Series
            1 + (value - low) * 4 / (high - low).
        """
        low, high = self.total_range() if part == "total" else (self.min, self.max)
        return 1 + (value - low) * 4 / (high - low)

    @property
    def on_wai_sr_metric(self) -> bool:
        """Whether the instrument's scores are already 1-5 item means (bool)."""
        return (self.min, self.max, self.total) == (1, 5, "mean")


def load_instrument(name_or_path: str | Path) -> Instrument:
    """A packaged instrument by name, or a user's YAML file.

    Parameters
    ----------
    name_or_path : str or Path
        wai-sr, wai-s, srs, haq-ii (any case), or the path of a YAML file in the same
        schema.

    Returns
    -------
    Instrument

    Raises
    ------
    InputError
        Not a file nor a packaged name, not valid YAML, or not a valid instrument.
    """
    name = str(name_or_path).casefold()
    if name in INSTRUMENTS:
        where = f"instruments/{name}.yaml"
        text = resources.files("transcript_alliance.comparison.instruments").joinpath(
            f"{name}.yaml"
        )
        text = text.read_text(encoding="utf-8")
    else:
        path = Path(name_or_path)
        if not path.is_file():
            raise InputError(path, f"not a file, nor an instrument name ({', '.join(INSTRUMENTS)})")
        where, text = str(path), path.read_text(encoding="utf-8")
    try:
        return Instrument.model_validate(yaml.safe_load(text))
    except ValidationError as err:
        raise InputError(where, validation_message(err)) from None
    except yaml.YAMLError as err:
        raise InputError(where, f"not valid YAML ({err})") from None


@dataclass
class SelfReports:
    """Scored self-reports, one row per session and rater, on the instrument's metric.

    Attributes
    ----------
    frame : DataFrame
        session_id, client_id, session_number, rater, goal, task, bond, total.
    instrument : Instrument
    level : {"items", "subscales"}
        Whether the file gave items (scored here) or subscale scores.
    notes : list of str
        Prorating and other things noticed while scoring.
    """

    frame: pd.DataFrame  # session_id, client_id, session_number, rater, goal, task, bond, total
    instrument: Instrument
    level: Literal["items", "subscales"]
    notes: list[str] = field(default_factory=list)

    @property
    def parts(self) -> list[str]:
        """The parts (goal, task, bond, total) with at least one score (list of str)."""
        return [p for p in PARTS if self.frame[p].notna().any()]


def _guess_instrument(columns: set[str]) -> str:
    for name, prefix, n in (("wai-sr", "wai", 12), ("srs", "srs", 4), ("haq-ii", "haq", 19)):
        if {f"{prefix}{i}" for i in range(1, n + 1)} & columns:
            return name
    return "wai-sr"


def _number(value: str, path: Path, row: int, column: str) -> float:
    text = str(value).strip()
    if text == "" or text.casefold() in {"na", "nan", "none", "."}:
        return math.nan
    try:
        return float(text)
    except ValueError:
        raise InputError(path, f"{column} = '{value}': expected a number", f"row {row}") from None


def read_self_reports(
    path: str | Path, instrument: str | Path | Instrument | None = None
) -> SelfReports:
    """Read and score a self-report CSV (see the module's docstring for the rules).

    Parameters
    ----------
    path : str or Path
        The CSV (delimiter sniffed).
    instrument : str, Path, Instrument or None
        The instrument, its name or YAML file; guessed from the item columns when None.

    Returns
    -------
    SelfReports

    Raises
    ------
    InputError
        A missing identity or score column, an unknown rater, a session_number that is not
        a whole number, a non-numeric value, or an item or subscale outside the
        instrument's range (the message names the 1-based row).
    """
    path = Path(path)
    raw = read_csv(path, sep=None, what="a self-report CSV")
    raw.columns = [str(c).strip().casefold() for c in raw.columns]
    if not isinstance(instrument, Instrument):
        instrument = load_instrument(instrument or _guess_instrument(set(raw.columns)))
    if "session_id" not in raw and not {"client_id", "session_number"} <= set(raw.columns):
        raise InputError(path, "missing column(s): session_id (or client_id and session_number)")
    item_columns = [c for c in instrument.columns if c in raw.columns]
    level: Literal["items", "subscales"] = "items" if item_columns else "subscales"
    if level == "subscales" and not {"goal", "task", "bond", "total"} & set(raw.columns):
        raise InputError(
            path,
            f"missing columns: items {instrument.columns[0]}..{instrument.columns[-1]} "
            "or subscales goal, task, bond, total",
        )
    notes: list[str] = []
    rows = []
    for i, record in enumerate(raw.to_dict(orient="records")):
        row_number = i + 2
        ident = _identity(record, path, row_number)
        if level == "items":
            values = _items(record, instrument, path, row_number)
            scores, missing = _score_items(values, instrument)
            for part in missing:
                notes.append(f"{path}: row {row_number}: {part} left missing (items missing)")
        else:
            scores = _subscales(record, instrument, path, row_number)
        rows.append({**ident, **scores})
    frame = pd.DataFrame(rows)
    _check_duplicates(frame, path)
    return SelfReports(frame, instrument, level, notes)


def _identity(record: dict, path: Path, row: int) -> dict:
    session_id = str(record.get("session_id", "")).strip() or None
    client_id = str(record.get("client_id", "")).strip() or None
    number = str(record.get("session_number", "")).strip()
    if session_id is None and (client_id is None or not number):
        raise InputError(path, "no session_id, nor client_id and session_number", f"row {row}")
    if number and not number.lstrip("-").isdigit():
        raise InputError(path, f"session_number '{number}': expected a whole number", f"row {row}")
    rater = str(record.get("rater", "")).strip().casefold() or "client"
    if rater not in RATERS:
        raise InputError(
            path, f"rater '{rater}': expected client, therapist or observer", f"row {row}"
        )
    return {
        "session_id": session_id,
        "client_id": client_id,
        "session_number": int(number) if number else None,
        "rater": rater,
    }


def _items(record: dict, ins: Instrument, path: Path, row: int) -> np.ndarray:
    values = np.array([_number(record.get(c, ""), path, row, c) for c in ins.columns])
    for column, value in zip(ins.columns, values):
        if not math.isnan(value) and not ins.min <= value <= ins.max:
            raise InputError(
                path,
                f"{column} = {value:g}: expected {ins.min:g}-{ins.max:g} ({ins.name})",
                f"row {row}",
            )
    for item in ins.reverse:
        values[item - 1] = ins.min + ins.max - values[item - 1]
    return values


def _score_items(values: np.ndarray, ins: Instrument) -> tuple[dict, list[str]]:
    scores: dict[str, float | None] = {}
    missing = []
    for part in COMPONENTS:
        items = ins.subscales.get(part)
        if not items:
            scores[part] = None
            continue
        chosen = values[[i - 1 for i in items]]
        ok = np.isnan(chosen).sum() <= 1
        scores[part] = float(np.nanmean(chosen)) if ok and (~np.isnan(chosen)).any() else None
        if scores[part] is None:
            missing.append(part)
    allowed = max(1, ins.items // 10)
    if np.isnan(values).sum() <= allowed and (~np.isnan(values)).any():
        mean = float(np.nanmean(values))
        scores["total"] = mean * ins.items if ins.total == "sum" else mean
    else:
        scores["total"] = None
        missing.append("total")
    return scores, missing


def _subscales(record: dict, ins: Instrument, path: Path, row: int) -> dict:
    scores = {}
    for part in PARTS:
        value = _number(record.get(part, ""), path, row, part)
        low, high = ins.total_range() if part == "total" else (ins.min, ins.max)
        if not math.isnan(value) and not low <= value <= high:
            raise InputError(
                path, f"{part} = {value:g}: expected {low:g}-{high:g} ({ins.name})", f"row {row}"
            )
        scores[part] = None if math.isnan(value) else value
    return scores


def _check_duplicates(frame: pd.DataFrame, path: Path) -> None:
    key = frame["session_id"].fillna(
        frame["client_id"].astype(str) + "#" + frame["session_number"].astype(str)
    )
    dup = (key + "|" + frame["rater"]).duplicated()
    if dup.any():
        row = int(np.flatnonzero(dup.to_numpy())[0]) + 2
        raise InputError(
            path, f"session {key[dup].iloc[0]} rated twice by the same rater", f"row {row}"
        )
