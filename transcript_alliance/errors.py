"""The toolkit's own errors. The CLI turns each into one line and exit status 2."""

from __future__ import annotations

from pathlib import Path


def path_text(path: str | Path) -> str:
    """A path (or a file's stem) as text any output can hold: bytes of a file name that are
    not UTF-8, which Python keeps as lone surrogates, become U+FFFD (a CSV or Parquet
    writer refuses the surrogates, and loses the whole table)."""
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


# What a session says when its id is a guess from a file name that is not UTF-8 (no name
# quoted: the id is often the client's).
NAME_GUESSED = (
    "the file name is not UTF-8: its bytes were read as Windows-1252 for the session id, "
    "a guess; check the id, or rename the file in UTF-8"
)


def name_text(name: str | Path) -> tuple[str, bool]:
    """A file name (or stem) as text for a session id, where it must be read as a word,
    not shown: bytes that are not UTF-8 (Python keeps them as lone surrogates) are read as
    Windows-1252, the usual encoding of such names (`Jos\\xe9` -> `José`; U+FFFD for
    the five bytes Windows-1252 leaves undefined), so that de-identification sees the name
    whole (`path_text` would give `Jos\\ufffd`, and a name cut by U+FFFD is not found).

    Parameters
    ----------
    name : str or Path
        A name as `os.fsdecode` gives it.

    Returns
    -------
    (str, bool)
        The text, and whether any byte was guessed (then warn with `NAME_GUESSED`).
    """
    text = str(name)
    if not any(0xDC80 <= ord(ch) <= 0xDCFF for ch in text):
        return path_text(text), False
    out = []
    for ch in text:
        if 0xDC80 <= ord(ch) <= 0xDCFF:
            byte = bytes([ord(ch) - 0xDC00])
            try:
                ch = byte.decode("cp1252")
            except UnicodeDecodeError:  # undefined there: unreadable (de-identification
                ch = "\ufffd"  # replaces a word that holds it)
        out.append(ch)
    return path_text("".join(out)), True


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
