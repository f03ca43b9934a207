"""What the commands print with: the consoles, the one place where the toolkit's errors
and warnings become one line (with the library's parameter names turned into the CLI's
flags), and progress bars."""

from __future__ import annotations

import contextlib
import re
import traceback
import warnings
from collections.abc import Callable, Iterator

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from ..errors import InputError, TranscriptAllianceError, path_text

stderr = Console(stderr=True, highlight=False, soft_wrap=True)
stdout = Console(highlight=False, soft_wrap=True)
state = {"verbose": False}

# Library messages name a parameter in backticks (`roles`); on the command line the same
# thing is a flag. The one map from the one to the other.
FLAGS: dict[str, str] = {
    "backend": "--backend",
    "base": "--base",
    "classifier": "--classifier",
    "codebook": "--codebook",
    "min_positives": "--min-positives",
    "columns": "--columns",
    "estimator": "--estimator",
    "fmt": "--format",
    "format": "--format",
    "groups": "--groups",
    "header_row": "--header-row",
    "instrument": "--instrument",
    "manifest": "--manifest",
    "markers": "--markers",
    "n": "--n",
    "out": "--out",
    "outcomes": "--outcomes",
    "rater": "--rater",
    "resamples": "--resamples",
    "resume": "--resume",
    "roles": "--roles",
    "scheduler": "--scheduler",
    "selfreports": "SELFREPORTS",
    "session_type": "--session-type",
    "split": "--split",
    "target": "--target",
    "workers": "--workers",
}
_PARAMETER = re.compile(r"`([a-z_]+)`")


def as_flags(message: str) -> str:
    """`message` with each backticked parameter the CLI has as a flag written as the flag."""
    return _PARAMETER.sub(lambda m: FLAGS.get(m.group(1), m.group(0)), message)


def report(error: TranscriptAllianceError) -> None:
    """One line on stderr for an error the user can fix (`--verbose`: the traceback too)."""
    if state["verbose"]:
        stderr.print("".join(traceback.format_exception(error)), end="")
    stderr.print(f"error: {as_flags(str(error))}", markup=False)


def warn(message: str) -> None:
    """Print a warning on stderr, with backticked parameter names written as their CLI flags.

    Parameters
    ----------
    message : str
        The warning, one line; printed after "warning: ", without rich markup.
    """
    # a file name that is not UTF-8 (lone surrogates) would stop the terminal's encoder
    stderr.print(f"warning: {as_flags(path_text(message))}", markup=False)


def finish(failures: list[InputError], total: int | None = None) -> None:
    """Exit status 2 after naming how many files could not be read, if any."""
    if failures:
        read = f" ({total} read)" if total is not None else ""
        stderr.print(f"{len(failures)} file(s) could not be read{read}; see the errors above.")
        raise typer.Exit(2)


@contextlib.contextmanager
def warnings_as_lines() -> Iterator[None]:
    """The library's `UserWarning`s, printed as `warning: ...` lines once the block ends."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        yield
    for warning in caught:
        if issubclass(warning.category, UserWarning):
            warn(str(warning.message))


@contextlib.contextmanager
def progress_bars() -> Iterator[Callable[[str, int], Callable[[int], None]]]:
    """A factory for progress callbacks: `bar(description, total)` -> advance(n)."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=stderr, transient=True) as progress:

        def bar(description: str, total: int) -> Callable[[int], None]:
            task = progress.add_task(description, total=total)
            return lambda n: progress.advance(task, n)

        yield bar
