"""Every option and argument more than one command shares, declared once, with the
choices as enums so that `--help` lists them and typer refuses anything else.

Commands pass an enum's `.value` (a plain string) on to the library, which checks it again
for callers from Python.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from ..read import FORMATS
from ..session_types import NAMES as SESSION_TYPE_NAMES
from ..session_types import SessionType


class _Choice(str, Enum):
    """A choice shown and parsed as its value."""

    def __str__(self) -> str:
        return self.value


class Backend(_Choice):
    """Where `code` runs its workers."""

    LOCAL = "local"
    DASK = "dask"


class ClassifierBackend(_Choice):
    """The classifier `train` fits."""

    LINEAR = "linear"
    TRANSFORMER = "transformer"


class Split(_Choice):
    """Which rows of coded data `evaluate` scores, by their `split` column."""

    ALL = "all"
    TEST = "test"
    TRAIN = "train"


class Target(_Choice):
    """What `calibrate` refits."""

    ALL = "all"
    GOAL = "goal"
    TASK = "task"
    BOND = "bond"
    TOTAL = "total"


class Rater(_Choice):
    """Whose self-reports `calibrate` fits to."""

    CLIENT = "client"
    THERAPIST = "therapist"
    OBSERVER = "observer"


class Instrument(_Choice):
    """The packaged self-report instruments (`--instrument` also takes a YAML file)."""

    WAI_SR = "wai-sr"
    WAI_S = "wai-s"
    SRS = "srs"
    HAQ_II = "haq-ii"


class ExportFormat(_Choice):
    """What `codebook export` writes."""

    MD = "md"


# The transcript formats the readers know (`--format`), as an enum built from the registry.
ReadFormat = _Choice("ReadFormat", {name.upper(): name for name in FORMATS})  # type: ignore[call-overload]

# ---- inputs -------------------------------------------------------------------------------
Files = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Transcript files, folders (searched recursively) or globs.", show_default=False
    ),
]
FileArg = Annotated[Path, typer.Argument(help="The session's transcript.", show_default=False)]
FormatOpt = Annotated[
    ReadFormat | None,
    typer.Option("--format", help="Read every file as this format (default: by extension)."),
]
RolesOpt = Annotated[
    str | None,
    typer.Option("--roles", help="Speaker roles, e.g. 'Dr. Lee=therapist,Sam=client'."),
]
ColumnsOpt = Annotated[
    str | None,
    typer.Option(
        "--columns",
        help="Table columns for speaker, text, start, end, role: 'speaker=Who,text=Said'.",
    ),
]
HeaderRowOpt = Annotated[
    int | None,
    typer.Option(
        "--header-row",
        min=1,
        help="Tables (CSV, TSV, XLSX): the 1-based row of the header, where title rows come "
        "above it and the guess fails.",
    ),
]
ManifestOpt = Annotated[
    Path | None,
    typer.Option(
        "--manifest",
        help="CSV with path, session_id, client_id, therapist_id, session_number, date.",
    ),
]
SessionTypeOpt = Annotated[
    SessionType | None,
    typer.Option(
        "--session-type",
        help="The codes, weights and findings that fit: "
        f"{', '.join(SESSION_TYPE_NAMES)} (default: a manifest's session_type column, "
        "else psychotherapy).",
    ),
]

# ---- models and codebooks -----------------------------------------------------------------
CodebookOpt = Annotated[
    Path | None,
    typer.Option("--codebook", help="A codebook YAML that extends (or replaces) the default."),
]
ModelArg = Annotated[str, typer.Argument(help="A model folder, or a shipped model: default, fast.")]
DataArg = Annotated[
    Path,
    typer.Argument(
        help="Coded utterances (.csv, .tsv, .jsonl): session_id, text, role, and codes "
        "(';'-separated) or one 0/1 column per code."
    ),
]
ClassifierOpt = Annotated[
    str, typer.Option("--classifier", help="default, fast, a model folder, or none (rules only).")
]
EstimatorOpt = Annotated[
    Path | None,
    typer.Option("--estimator", help="Estimator JSON from `calibrate` (default: packaged)."),
]
RedactOpt = Annotated[
    bool,
    typer.Option(
        "--redact",
        help="Pseudonymise names, places, dates and other identifiers before coding (the "
        "[deid] extra); markers keep original offsets.",
    ),
]

# ---- sessions tables, self-reports, outcomes ----------------------------------------------
SessionsArg = Annotated[Path, typer.Argument(help="sessions.csv (or .parquet) from `code`.")]
ReportsArg = Annotated[
    Path,
    typer.Argument(
        help="Self-report CSV: session_id (or client_id + session_number), items or subscales."
    ),
]


def _instrument(name: str | None) -> str | None:
    """A packaged instrument's name or a YAML file's path; anything else is a usage slip."""
    if name is None or name.casefold() in {i.value for i in Instrument}:
        return name
    if Path(name).suffix.casefold() in {".yaml", ".yml"}:
        return name
    raise typer.BadParameter(
        f"'{name}' is not one of {', '.join(i.value for i in Instrument)} or a .yaml file"
    )


InstrumentOpt = Annotated[
    str | None,
    typer.Option(
        "--instrument",
        callback=_instrument,
        metavar="[" + "|".join(i.value for i in Instrument) + "|YAML]",
        help="The self-report instrument, or an instrument YAML (default: guessed from the "
        "item columns).",
    ),
]
RaterOpt = Annotated[Rater, typer.Option("--rater", help="Whose ratings to fit to.")]
HistoryOpt = Annotated[
    list[Path] | None,
    typer.Option("--history", help="An earlier session of the same client (repeatable)."),
]
QuotesOpt = Annotated[
    bool, typer.Option("--quotes/--no-quotes", help="Show the words behind each finding.")
]


def value(choice: Enum | None) -> str | None:
    """A choice's string for the library (`None` stays `None`)."""
    return None if choice is None else str(choice.value)
