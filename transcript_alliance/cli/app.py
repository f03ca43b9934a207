"""The typer app: the global options, and every command registered here, in the order
`--help` lists them."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Annotated

import typer

from .. import __version__
from . import classifying, estimating, marking, reading, reporting
from .output import state, stdout

HELP_OPTIONS = {"help_option_names": ["-h", "--help"]}

app = typer.Typer(
    name="transcript-alliance",
    help="Estimate the therapeutic working alliance from session transcripts, offline.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings=HELP_OPTIONS,
)
codebook_app = typer.Typer(
    help="Show, validate and export the marker codebook.",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings=HELP_OPTIONS,
)


def _help(command: Callable[..., None]) -> str:
    """The command's docstring, its example line kept whole (click's `\\b` marker) so that
    it can be copied from any terminal width."""
    return (inspect.getdoc(command) or "").replace("\n\nExample:", "\n\n\b\nExample:")


def _print_version(wanted: bool) -> None:
    if wanted:
        stdout.print(f"transcript-alliance {__version__}", markup=False)
        raise typer.Exit()


@app.callback()
def _options(
    verbose: Annotated[
        bool, typer.Option("--verbose", help="Show tracebacks with errors.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Print the version and exit.",
            is_eager=True,
            callback=_print_version,
        ),
    ] = False,
) -> None:
    state["verbose"] = verbose


for command in (
    reading.segment,
    reading.inspect,
    marking.markers,
    classifying.train,
    classifying.evaluate,
    classifying.predict,
    classifying.suggest,
    estimating.code,
    estimating.calibrate,
    estimating.compare,
    reporting.report,
    reporting.feedback,
    reporting.deidentify,
):
    app.command(help=_help(command))(command)
for name, command in (
    ("show", marking.codebook_show),
    ("validate", marking.codebook_validate),
    ("export", marking.codebook_export),
):
    codebook_app.command(name, help=_help(command))(command)
app.add_typer(codebook_app, name="codebook")
