"""The `transcript-alliance` command line: each command a thin call into the Python API.

Errors the user can fix (`TranscriptAllianceError`) become one line on stderr and exit
status 2, in `main()` and in the reading loop (`common.py`), nowhere else; `--verbose`
adds the traceback.
"""

from __future__ import annotations

import sys

import click

from ..errors import TranscriptAllianceError
from . import reading  # noqa: F401  (registers segment, inspect)

# isort: split
from . import marking  # noqa: F401  (registers markers, codebook; listed after reading)

# isort: split
from . import classifying  # noqa: F401  (registers train, evaluate, predict, suggest)

# isort: split
from . import estimating  # noqa: F401  (registers code)

# isort: split
from . import reporting  # noqa: F401  (registers report, feedback)
from .common import app, report, stderr

try:  # typer 0.2x carries its own copy of click: its usage errors are not click's
    from typer._click.exceptions import UsageError as _TyperUsageError
except ImportError:  # pragma: no cover  (a typer that uses click itself)
    _TyperUsageError = click.exceptions.UsageError

__all__ = ["app", "main"]


def main() -> None:
    """Console entry point: run the app, turning the toolkit's errors into one line."""
    try:
        code = app(standalone_mode=False)
    except TranscriptAllianceError as error:
        report(error)
        sys.exit(2)
    except (click.exceptions.UsageError, _TyperUsageError) as error:
        error.show()
        sys.exit(2)
    except click.exceptions.Abort:
        stderr.print("aborted")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    sys.exit(code if isinstance(code, int) else 0)
