"""Input paths in what a `--redact` run writes (errors.csv, run.json): a file name is often
a client's name and a date (`Maya_Johnson_2026-01-05.txt`), and a folder a client's name, so
each path is shown as its 1-based place among the run's inputs and a hash of the path
relative to the inputs' common folder, keeping the suffix: ``input 3 (9f2c41d07a.txt)``.
An error message quotes speaker labels, a roles map's names, transcript text or a manifest's
values, so under `--redact` it is written as a code and its 1-based line, row or cue
numbers only (`safe_error`); the terminal still shows it in full."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from ..errors import path_text


class PathHider:
    """Replaces input paths, wherever they stand in a text, with their pointers.

    Parameters
    ----------
    inputs : list of Path
        The run's input files in input order (numbered from 1).
    """

    def __init__(self, inputs: list[Path]) -> None:
        self.inputs = [Path(p) for p in inputs]
        resolved = [os.path.abspath(p) for p in self.inputs]
        self.root = os.path.commonpath([os.path.dirname(p) for p in resolved]) if resolved else ""
        self.pointers = {path_text(p): self.pointer(p, i) for i, p in enumerate(self.inputs, 1)}

    def pointer(self, path: str | Path, number: int | None = None) -> str:
        """``input N (hash.suffix)``: N the 1-based input number (left out when the path is
        not an input), the hash the first 10 hex digits of SHA-256 of the path relative to
        the inputs' common folder, written with ``/``.

        Parameters
        ----------
        path : str or Path
            A path.
        number : int, optional
            Its 1-based place among the inputs.

        Returns
        -------
        str
        """
        absolute = os.path.abspath(path)
        relative = os.path.relpath(absolute, self.root) if self.root else absolute
        digest = hashlib.sha256(path_text(Path(relative).as_posix()).encode()).hexdigest()[:10]
        name = f"{digest}{Path(path).suffix}"
        return f"input {number} ({name})" if number else name

    def text(self, text: str) -> str:
        """`text` with every input path in it (as given, absolute, by name or stem of three
        characters or more) replaced by its pointer; longer forms first.

        Parameters
        ----------
        text : str
            An error message or a path.

        Returns
        -------
        str
        """
        forms: dict[str, str] = {}
        for p in self.inputs:
            shown = self.pointers[path_text(p)]
            for form in (os.path.abspath(p), str(p), p.name, p.stem):
                form = path_text(form)
                if len(form) >= 3:
                    forms.setdefault(form, shown)
        for form in sorted(forms, key=len, reverse=True):
            text = text.replace(form, forms[form])
        return text

    def failures(self, failures: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """errors.csv rows (path, error) with paths hidden (a path that is not an input, a
        manifest, is hashed) and each message in its safe form (`safe_error`): the pointer,
        a code and the numbers of the lines, rows or cues it names.

        Parameters
        ----------
        failures : list of (str, str)
            Path and message per failed input.

        Returns
        -------
        list of (str, str)
        """
        out = []
        for path, error in failures:
            shown = self.pointers.get(path) or (self.pointer(path) if path else "")
            out.append((shown, f"{shown}: {safe_error(error)}" if shown else safe_error(error)))
        return out


# (code, pattern searched in the message); the first match wins. Anchored on the fixed
# words of the messages, never on what they quote.
ERROR_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (code, re.compile(pattern))
    for code, pattern in (
        ("WORKER_KILLED", r"the worker coding it stopped abruptly"),
        ("ANALYSIS_FAILED", r"could not be analysed \("),
        ("NOT_FOUND", r"no such file|a symbolic link that leads nowhere"),
        ("NOT_A_REGULAR_FILE", r"not a regular file"),
        ("UNREADABLE", r"cannot be read|could not be read|folder cannot be read"),
        ("RTTM_NO_WORDS", r"an RTTM file says who spoke when but holds no words"),
        ("ROLES_MAP_UNMATCHED", r"roles map names .* who never speaks? in this file"),
        ("ENCODING", r"neither UTF-8 nor cp1252|not UTF-8"),
        (
            "MANIFEST_VALUE",
            r"\brow \d+: (?:session_number|session_type|week|date|roles|session_id|empty path|"
            r"no 'path' column)",
        ),
        ("UNKNOWN_FORMAT", r"unknown extension"),
    )
)
# `line 4`, `lines 4, 7 and 9`, `rows 2-3`, `cue 12`: the unit and its numbers
_NUMBERED = re.compile(
    r"\b(lines?|rows?|cues?|segments?|paragraphs?|pages?)\s+"
    r"(\d+(?:(?:\s*,\s*|\s*-\s*|\s*\u2013\s*|\s+and\s+|\s+to\s+)\d+)*)"
)
_TYPE = re.compile(r"could not be analysed \(([A-Za-z_][A-Za-z0-9_.]*)")


def error_code(message: str) -> str:
    """The code of one error message (``INPUT_ERROR`` when no rule knows it).

    Parameters
    ----------
    message : str
        An error as errors.csv holds it.

    Returns
    -------
    str
        One of the codes in `ERROR_RULES`, or ``INPUT_ERROR``.
    """
    for code, pattern in ERROR_RULES:
        if pattern.search(message):
            return code
    return "INPUT_ERROR"


def safe_error(message: str) -> str:
    """An error message as a redacted run writes it: its code, the Python exception's type
    name where the analysis failed, and the 1-based line, row or cue numbers it names;
    nothing it quotes (labels, names, text, values, paths).

    Parameters
    ----------
    message : str
        The message in full (as the terminal shows it).

    Returns
    -------
    str
        E.g. ``ROLES_MAP_UNMATCHED (redacted; `inspect FILE` says more)`` or
        ``ENCODING at line 4 (redacted; ...)``.
    """
    code = error_code(message)
    if code == "ANALYSIS_FAILED" and (found := _TYPE.search(message)):
        code = f"{code} ({found.group(1)})"
    places = list(
        dict.fromkeys(f"{unit} {numbers}" for unit, numbers in _NUMBERED.findall(message))
    )
    where = f" at {', '.join(places)}" if places else ""
    return f"{code}{where} (details redacted; `inspect FILE` shows them)"
