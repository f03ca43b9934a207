"""The toolkit's own errors. The CLI turns each into one line and exit status 2."""

from __future__ import annotations

from pathlib import Path


def path_text(path: str | Path) -> str:
    """A path (or a file's stem) as text any output can hold: bytes of a file name that are
    not UTF-8, which Python keeps as lone surrogates, become U+FFFD (a CSV or Parquet
    writer refuses the surrogates, and loses the whole table)."""
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


class TranscriptAllianceError(Exception):
    """Base class: anything the user can fix by changing input or options.

    The CLI prints such an error as one line and exits with status 2, no traceback.
    """


class InputError(TranscriptAllianceError):
    """An input file that cannot be read as a transcript.

    `where` names the line, row, cue or segment ("line 12", "row 4", "cue 7"); `expected`
    says what the reader wanted to find there.
    """

    def __init__(self, path: str | Path | None, problem: str, where: str | None = None) -> None:
        self.path = path_text(path) if path is not None else None
        self.where = where
        self.problem = problem
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """The error as one line: ``path: where: problem`` (missing parts left out).

        Returns
        -------
        str
        """
        parts = [p for p in (self.path, self.where) if p]
        prefix = ": ".join(parts)
        return f"{prefix}: {self.problem}" if prefix else self.problem


class OptionError(TranscriptAllianceError):
    """An option value that does not make sense (a bad roles map, an unknown format).

    Messages name the parameter; the CLI maps parameters to its flags.
    """
