"""The `transcript-alliance` command line: each command parses its options, calls the
library function of the same name with the same arguments, and prints what it returned.

`main()` is the console entry point (and `python -m transcript_alliance`). Usage slips
(an unknown command or option, a missing argument, a bad number or choice) are one short
message and exit status 2; errors the user can fix (`TranscriptAllianceError`) are one
line on stderr and exit status 2, printed in `output.report`, nowhere else; `--verbose`
adds the traceback.
"""

from __future__ import annotations

import sys

from ..errors import TranscriptAllianceError
from .app import app
from .output import report

__all__ = ["app", "main"]


def main(argv: list[str] | None = None) -> None:
    """Console entry point: run the app on `argv` (default: the command line) and exit.

    Typer's standalone mode turns usage errors into its short message and exit status 2,
    whichever click (its own vendored copy or the `click` package) raised them; the
    toolkit's own errors become one line here.
    """
    try:
        app(args=argv, prog_name="transcript-alliance", standalone_mode=True)
    except TranscriptAllianceError as error:
        report(error)
        sys.exit(2)
    except BrokenPipeError:
        sys.exit(0)
