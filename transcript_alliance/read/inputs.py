"""What the user named on the command line (files, folders, globs, a manifest) to the list
of transcript files to read, each with the metadata the manifest gives it."""

from __future__ import annotations

import glob
import os
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, OptionError, name_text, path_text
from ..session import Session
from . import EXTENSIONS, read_session
from .base import ReadOptions
from .manifest import read_manifest

# Tables the toolkit writes beside transcripts (deidentify's entities.csv; code's outputs):
# a folder search leaves them out, so an output folder can go back in as input.
SIDE_FILES = frozenset(
    {
        "entities.csv",
        "sessions.csv",
        "dyads.csv",
        "evidence.csv",
        "ruptures.csv",
        "errors.csv",
        "program.csv",
        "run.json",
        "comparison.csv",
        "comparison.json",
    }
)


# Kinds of file a folder search takes although no reader reads them, so that a batch
# lists each in errors.csv with the reason given for it by name (`read._refuse_rttm`).
REFUSED_KINDS = frozenset({".rttm"})


@dataclass
class InputFile:
    """One transcript file to read, with the session metadata it comes with.

    Attributes
    ----------
    path : Path
        The file.
    metadata : dict[str, Any]
        Session metadata (from the manifest row, when there is one).
    """

    path: Path
    metadata: dict[str, Any] = field(default_factory=dict)


def expand_inputs(
    paths: Iterable[str | Path],
    manifest: str | Path | None = None,
    skipped: dict[str, int] | None = None,
) -> tuple[list[InputFile], list[InputError]]:
    """Files in the order given; folders searched recursively for known extensions (the
    toolkit's own side files, `SIDE_FILES`, left out with a warning; RTTM files, which hold
    no words, taken so that reading refuses each); globs expanded. Names that match nothing
    come back as errors, so a batch can go on.

    Parameters
    ----------
    paths : iterable of str or Path
        Files, folders and globs.
    manifest : str or Path, optional
        A manifest CSV (its rows first).
    skipped : dict, optional
        Filled with the files a folder search left out, counted by why: ``hidden`` (a name
        starting with '.') and ``unknown extension`` (no reader's extension); each folder
        with such files is also one warning.

    Returns
    -------
    (list of InputFile, list of InputError)
        The files to read, and the names that could not be used.
    """
    found: list[InputFile] = []
    errors: list[InputError] = []
    if manifest is not None:
        found += [InputFile(e.path, e.metadata) for e in read_manifest(manifest, errors)]
    by_path = {f.path.resolve(): f for f in found}
    for raw in paths:
        for path in _expand(Path(raw), errors, skipped if skipped is not None else {}):
            key = path.resolve()
            if key not in by_path:
                by_path[key] = InputFile(path)
                found.append(by_path[key])
    unique_session_ids(found)
    return found, errors


def unique_session_ids(found: list[InputFile]) -> None:
    """Files that share a stem (`clientA/session1.txt`, `clientB/session1.txt`) and have no
    session id from a manifest get the path relative to their common folder, without the
    suffix (`clientA/session1`; with it where that still collides), so sessions never merge
    (DESIGN.md, "Session identity"). Each file's `path` relative to that folder is kept in
    its metadata (sessions.csv's `path` column)."""
    if not found:
        return
    resolved = [f.path.resolve() for f in found]
    try:
        common = Path(os.path.commonpath([p.parent for p in resolved]))
    except ValueError:  # different drives
        common = Path(resolved[0].anchor)
    relative = [p.relative_to(common) for p in resolved]
    stems: dict[str, int] = {}
    for item in found:
        if not item.metadata.get("session_id"):
            stems[item.path.stem] = stems.get(item.path.stem, 0) + 1
    plain = [name_text(r.with_suffix("").as_posix())[0] for r in relative]
    for item, rel, name in zip(found, relative, plain):
        item.metadata.setdefault("path", path_text(rel.as_posix()))
        if item.metadata.get("session_id") or stems.get(item.path.stem, 0) < 2:
            continue
        whole = name_text(rel.as_posix())[0]
        item.metadata["session_id"] = name if plain.count(name) == 1 else whole


def _expand(path: Path, errors: list[InputError], skipped: dict[str, int]) -> list[Path]:
    if path.is_dir():
        left_out: dict[str, int] = {}
        found = _walk(path, errors, left_out)
        if left_out:
            for why, n in left_out.items():
                skipped[why] = skipped.get(why, 0) + n
            counts = ", ".join(f"{n} {why}" for why, n in sorted(left_out.items()))
            warnings.warn(
                f"{path}: skipped {sum(left_out.values())} file(s) that are not transcripts by "
                f"their name ({counts}); expected one of {', '.join(sorted(EXTENSIONS))}; "
                "name a file on its own (with `fmt`) to read it",
                stacklevel=3,
            )
        side = [p for p in found if p.name.casefold() in SIDE_FILES]
        if side:
            names = ", ".join(sorted({p.name for p in side}))
            warnings.warn(
                f"{path}: left out the toolkit's own side file(s) {names} (not transcripts); "
                "name one on its own to read it",
                stacklevel=3,
            )
        return [p for p in found if p not in side]
    if path.exists():
        if not path.is_file():  # a pipe would stall the run while its key is hashed
            errors.append(InputError(path, "not a regular file (a pipe or a device)"))
            return []
        return [path]
    if not glob.has_magic(str(path)):
        missing = "no such file or folder"
        if path.is_symlink():  # exists() is False for a link in a loop or to nothing
            missing = "a symbolic link that leads nowhere (a link loop or a missing target)"
        errors.append(InputError(path, missing))
        return []
    # glob's `**` follows symbolic links to folders, and a link loop never ends: expand the
    # pattern's folder part without `**`, and walk (links not followed) where it had one.
    matches = _glob(path, errors)
    if not matches:
        errors.append(InputError(path, "no such file or folder"))
    return [p for p in matches if p.is_file()]


def _glob(pattern: Path, errors: list[InputError]) -> list[Path]:
    text = str(pattern)
    if "**" not in text:
        return sorted(Path(p) for p in glob.glob(text))
    head, _, tail = text.partition("**")
    tail = tail.lstrip("/" + os.sep)
    roots = [Path(p) for p in glob.glob(head)] if glob.has_magic(head) else [Path(head or ".")]
    found: set[Path] = set()
    for root in roots:
        if not root.is_dir():
            continue
        folders = [Path(d) for d, _, _ in _walk_folders(root, errors)]
        for folder in folders:
            found.update(Path(p) for p in glob.glob(os.path.join(glob.escape(str(folder)), tail)))
    return sorted(found)


def _walk_folders(root: Path, errors: list[InputError]) -> Iterator[tuple[str, list, list]]:
    """os.walk without following links to folders; an unreadable folder is reported."""

    def unreadable(err: OSError) -> None:
        errors.append(InputError(err.filename, f"folder cannot be read ({err.strerror}); skipped"))

    yield from os.walk(root, onerror=unreadable, followlinks=False)


def _walk(root: Path, errors: list[InputError], skipped: dict[str, int]) -> list[Path]:
    """Transcript files under a folder, by known extension (and `REFUSED_KINDS`); hidden
    files and other extensions are left out and counted in `skipped`; links to folders
    are not followed (a link loop would never end)."""
    found = []
    for folder, _, files in _walk_folders(root, errors):
        for name in files:
            path = Path(folder) / name
            suffix = path.suffix.casefold()
            if name.startswith("."):
                why = "hidden"
            elif suffix in EXTENSIONS or suffix in REFUSED_KINDS:
                if path.is_file():
                    found.append(path)
                continue
            else:
                why = "unknown extension"
            skipped[why] = skipped.get(why, 0) + 1
    return sorted(found)


def read_input(
    path: Path, metadata: dict[str, Any] | None = None, options: ReadOptions | None = None
) -> Session:
    """One file with its manifest metadata, read as `options` say (format, roles map,
    columns); the row's own roles map wins over the options'.

    Raises
    ------
    InputError
        The file cannot be read as a transcript.
    """
    options = options or ReadOptions()
    metadata = dict(metadata or {})
    file_roles = metadata.pop("roles", "") or options.roles
    return read_session(
        path,
        format=options.format,
        roles=file_roles,
        columns=dict(options.columns),
        metadata=metadata,
        header_row=options.header_row,
    )


def read_inputs(
    files: list[Path],
    manifest: Path | None = None,
    options: ReadOptions | None = None,
    *,
    failures: list[InputError] | None = None,
    on_error: Callable[[InputError], None] = lambda _: None,
) -> Iterator[Session]:
    """Each readable session in turn, read as `options` say; a file that fails goes into
    `failures` (and to `on_error`) and the rest are read."""
    failures = failures if failures is not None else []
    inputs, missing = expand_inputs(files, manifest)
    for error in missing:
        on_error(error)
        failures.append(error)
    for item in inputs:
        try:
            yield read_input(item.path, item.metadata, options)
        except InputError as error:
            on_error(error)
            failures.append(error)


def require_inputs(files: Sequence[object], manifest: object) -> None:
    """Check that something was named to read.

    Parameters
    ----------
    files
        The files, folders or globs named.
    manifest
        The manifest path, or None.

    Raises
    ------
    OptionError
        When neither files nor a manifest are named.
    """
    if not files and manifest is None:
        raise OptionError("no input: name transcript files or folders, or pass a `manifest`")
