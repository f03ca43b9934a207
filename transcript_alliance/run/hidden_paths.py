"""Input paths in what a `--redact` run writes (errors.csv, run.json): a file name is often
a client's name and a date (`Maya_Johnson_2026-01-05.txt`), and a folder a client's name, so
each path is shown as its 1-based place among the run's inputs and a hash of the path
relative to the inputs' common folder, keeping the suffix: ``input 3 (9f2c41d07a.txt)``."""

from __future__ import annotations

import hashlib
import os
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
        """errors.csv rows (path, error) with paths hidden; a path that is not an input (a
        manifest) is hashed.

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
            out.append((shown, self.text(error)))
        return out
