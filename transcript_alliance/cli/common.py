"""What every command shares: the typer app, consoles, common options, the reading loop
that goes on past a bad file, and the one place where errors become one line."""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ..errors import InputError, OptionError, TranscriptAllianceError
from ..read import FORMATS
from ..read.base import ReadOptions
from ..read.inputs import read_inputs
from ..session import Session

app = typer.Typer(
    name="transcript-alliance",
    help="Estimate the therapeutic working alliance from session transcripts, offline.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
codebook_app = typer.Typer(
    help="Show, validate and export the marker codebook.", no_args_is_help=True
)
app.add_typer(codebook_app, name="codebook")
stderr = Console(stderr=True, highlight=False, soft_wrap=True)
stdout = Console(highlight=False, soft_wrap=True)
_state = {"verbose": False}

Files = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Transcript files, folders (searched recursively) or globs.", show_default=False
    ),
]
FormatOpt = Annotated[
    str | None,
    typer.Option("--format", help=f"Read every file as this format: {', '.join(FORMATS)}."),
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


@app.callback()
def _options(
    verbose: Annotated[
        bool, typer.Option("--verbose", help="Show tracebacks with errors.")
    ] = False,
) -> None:
    _state["verbose"] = verbose


def parse_columns(spec: str | None) -> dict[str, str]:
    if not spec:
        return {}
    columns = {}
    for item in filter(None, (p.strip() for p in spec.split(","))):
        key, sep, value = item.partition("=")
        if not sep or key.strip() not in {"speaker", "text", "start", "end", "role", "header_row"}:
            raise OptionError(
                f"--columns: '{item}': expected FIELD=COLUMN with FIELD one of speaker, text, "
                "start, end, role (or header_row=N)"
            )
        columns[key.strip()] = value.strip()
    return columns


def with_header_row(columns: str | None, header_row: int | None) -> str | None:
    """`--header-row N` travels with the `--columns` spec to the readers."""
    if header_row is None:
        return columns
    return f"{columns},header_row={header_row}" if columns else f"header_row={header_row}"


def read_all(
    files: list[Path] | None,
    manifest: Path | None,
    fmt: str | None,
    roles: str | None,
    columns: str | None,
    failures: list[InputError],
) -> Iterator[Session]:
    """Each readable session in turn; a file that fails is reported and skipped."""
    if not files and manifest is None:
        raise OptionError("no input: name transcript files or folders, or pass --manifest")
    options = ReadOptions(format=fmt, roles=roles, columns=parse_columns(columns))
    yield from read_inputs(files or [], manifest, options, failures=failures, on_error=report)


def report(error: TranscriptAllianceError) -> None:
    if _state["verbose"]:
        stderr.print("".join(traceback.format_exception(error)), end="")
    stderr.print(f"error: {error}", markup=False)


def finish(failures: list[InputError], total: int | None = None) -> None:
    if failures:
        read = f" ({total} read)" if total is not None else ""
        stderr.print(f"{len(failures)} file(s) could not be read{read}; see the errors above.")
        raise typer.Exit(2)


CodebookOpt = Annotated[
    Path | None,
    typer.Option("--codebook", help="A codebook YAML that extends (or replaces) the default."),
]
