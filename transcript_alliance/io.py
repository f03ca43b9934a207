"""Files in and out, in one place.

Writing: every file is written to a temporary name beside its target and renamed into
place, so it is either complete or absent; a failed write removes its temporary file, and
the temporary files of killed runs are removed by the next write into the same folder.
Every file the toolkit writes is readable and writable by its owner only (`FILE_MODE`,
0600): most of them quote sessions, and the rest carry session ids and file names, which
are often a client's name and a date. Tables go by suffix (CSV, TSV, Parquet, JSON Lines);
text cells of CSV and TSV files that a spreadsheet would run as a formula are neutralised
(`csv_safe`), Parquet and JSON keep the raw text.

Reading: user CSV files (manifests, self-reports, outcomes, coded utterances) through
`read_csv`, which names the file and the 1-based row of whatever it cannot read;
pydantic validation errors as one line through `validation_message`.
"""

from __future__ import annotations

import csv
import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from importlib import resources
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

import pandas as pd

from .errors import InputError, OptionError

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound="BaseModel")

FILE_MODE = 0o600  # owner-only: the one permission policy for every file written
TABLE_SUFFIXES = {".csv", ".tsv", ".parquet", ".jsonl"}

# The toolkit's temporary files: `.<target name>.<pid>-<8 random chars>.tmp` (mkstemp's
# random part); `.<name>.<8 chars>.tmp`, without the pid, is the naming of earlier versions.
_TEMPORARY = re.compile(r"^\.(?P<name>.+?)\.(?:(?P<pid>\d+)-)?[a-z0-9_]{8}\.tmp$")

# OWASP, "CSV Injection": a cell starting with one of these is run as a formula by
# spreadsheet programs. Such text cells get a leading single quote in CSV output.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_RAGGED = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\<>:"|?*]')
_RESERVED = re.compile(r"^(?:con|prn|aux|nul|com\d|lpt\d)(?:\.|$)", re.I)
MAX_STEM = 120


# ---------------------------------------------------------------- atomic writes


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process, or cannot tell: leave its file alone
    return True


def remove_stale_temporaries(folder: str | Path, name: str | None = None) -> list[Path]:
    """Remove the toolkit's temporary files left in `folder` by runs that were killed
    (their process is gone) or by earlier versions (no process id in the name).

    Parameters
    ----------
    folder
        The folder to clean; a missing folder is left alone.
    name
        Only the temporary files of this target name (e.g. ``"utterances.csv"``);
        all of them when None.

    Returns
    -------
    list of Path
        The files removed.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return []
    pattern = f".{glob_escape(name)}.*.tmp" if name else ".*.tmp"
    removed = []
    for path in folder.glob(pattern):
        match = _TEMPORARY.match(path.name)
        if not match or (name and match["name"] != name) or not path.is_file():
            continue
        pid = match["pid"]
        if pid is not None and _alive(int(pid)):
            continue
        path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def glob_escape(text: str) -> str:
    """`text` with glob wildcards escaped, for `Path.glob`.

    Parameters
    ----------
    text : str
        A file name that may hold ``*``, ``?`` or ``[``.

    Returns
    -------
    str
        Each wildcard wrapped in brackets (``a*b`` -> ``a[*]b``).
    """
    return re.sub(r"([*?\[])", r"[\1]", text)


def temporary_file(folder: str | Path, name: str) -> Path:
    """A new empty owner-only file named for target `name` in `folder` (created), once
    stale temporary files for the same name are removed. The caller removes it on failure
    (`atomic_path` does both)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(folder, name)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.{os.getpid()}-", suffix=".tmp")
    os.close(fd)  # mkstemp creates it 0600
    return Path(tmp)


def move_into_place(tmp: str | Path, path: str | Path) -> Path:
    """Rename a finished temporary file to its target, owner-only (`FILE_MODE`, 0600).

    Parameters
    ----------
    tmp : str or Path
        The temporary file (`temporary_file`), in the target's folder.
    path : str or Path
        The target; replaced atomically if it exists.

    Returns
    -------
    Path
        The target.
    """
    os.chmod(tmp, FILE_MODE)  # a writer may have replaced the file mkstemp created
    os.replace(tmp, path)
    return Path(path)


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path to write `path`'s content to; renamed to `path` when the block
    ends without an exception, removed when it raises (or is interrupted).

    Examples
    --------
    >>> with atomic_path(folder / "notes.txt") as tmp:  # doctest: +SKIP
    ...     tmp.write_text("...")
    """
    path = Path(path)
    tmp = temporary_file(path.parent, path.name)
    try:
        yield tmp
        move_into_place(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def safe_file_stem(session_id: str) -> str:
    """A session id as a file name that stays inside the folder it is written to:
    separators, control and reserved characters become `_`, leading and trailing dots
    and spaces go (no `..`, no hidden file), Windows device names get a `_` in front,
    and the stem is cut to 120 characters. `'../../x'` -> `'_.._x'`; `'/abs/p'` ->
    `'_abs_p'`.

    Parameters
    ----------
    session_id : str
        Any id, including one a transcript chose for itself.

    Returns
    -------
    str
        A non-empty file stem without path separators (`'session'` when nothing is left).
    """
    text = str(session_id).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    stem = _UNSAFE.sub("_", unicodedata.normalize("NFC", text))
    stem = stem.strip(" .")[:MAX_STEM].strip(" .")
    if _RESERVED.match(stem):
        stem = f"_{stem}"
    return stem or "session"


def unique_session_id(session_id: str, used: set[str]) -> str:
    """The one rule that keeps session ids unique in a run (`code`'s sessions.csv,
    `deidentify`'s files, `iter_code`, `report --redact`'s history): an id already in
    `used` (case-insensitively: ids become file names, and macOS and Windows fold case)
    gets `-2`, `-3`, ... in input order; the id returned is added to `used`.

    Parameters
    ----------
    session_id : str
        The id as read (or as pseudonymised).
    used : set of str
        The case-folded ids taken so far in the run; updated in place.

    Returns
    -------
    str
        `session_id` itself when it was free, else `<session_id>-<n>` with the smallest
        free n >= 2 (`PERSON_1_DATE_1`, `PERSON_1_DATE_1-2`, `PERSON_1_DATE_1-3`).

    Examples
    --------
    >>> used = set()
    >>> [unique_session_id(s, used) for s in ("s1", "S1", "s1", "s1-2")]
    ['s1', 'S1-2', 's1-3', 's1-2-2']
    """
    new, n = session_id, 1
    while new.casefold() in used:
        n += 1
        new = f"{session_id}-{n}"
    used.add(new.casefold())
    return new


def renamed_note(given: str, renamed: str) -> str:
    """The warning a session carries when `unique_session_id` renamed it.

    Parameters
    ----------
    given, renamed : str
        The id as read and as written.

    Returns
    -------
    str
        One line for the session's warnings.
    """
    return f"session_id '{given}' is another file's in this run too; renamed '{renamed}'"


def write_text(path: str | Path, text: str) -> Path:
    """Write UTF-8 text atomically and owner-only (0600).

    Parameters
    ----------
    path : str or Path
        The target; its folder is created if missing.
    text : str

    Returns
    -------
    Path
        The target.
    """
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def write_json(path: str | Path, data: Any, *, indent: int = 2) -> Path:
    """Write JSON (UTF-8, not ASCII-escaped, a final newline) atomically and owner-only.

    Parameters
    ----------
    path : str or Path
        The target; its folder is created if missing.
    data : Any
        JSON-serialisable data.
    indent : int
        Spaces per level.

    Returns
    -------
    Path
        The target.

    Raises
    ------
    TypeError
        `data` holds something JSON cannot encode.
    """
    return write_text(path, json.dumps(data, indent=indent, ensure_ascii=False) + "\n")


# ---------------------------------------------------------------- tables


def _neutralise(value: Any) -> Any:
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not _NUMBER.fullmatch(value)  # "-3.5" is a number, not a formula
    ):
        return "'" + value
    return value


def _is_text(column: pd.Series) -> bool:
    return pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column)


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell that a spreadsheet would run as a formula (one
    starting with ``= + - @``, a tab or a carriage return) prefixed with a single quote,
    as OWASP advises against CSV injection. Numbers (negative ones included) and text that
    is a plain number stay as they are. The frame passed in is not changed.

    Parameters
    ----------
    frame
        Any table.

    Returns
    -------
    pandas.DataFrame
        The same columns and dtypes; only text (object and string) columns can change.
    """
    texts = [c for c in frame.columns if _is_text(frame[c])]
    changed = {}
    for column in texts:
        values = frame[column].tolist()
        if any(isinstance(v, str) and v.startswith(FORMULA_STARTS) for v in values):
            changed[column] = pd.Series(
                [_neutralise(v) for v in values], index=frame.index, dtype=frame[column].dtype
            )
    return frame.assign(**changed) if changed else frame


def check_table_path(path: Path) -> None:
    """Refuse a table path whose suffix no table writer handles, before any work.

    Parameters
    ----------
    path : Path
        The table's path; its suffix must be one of `TABLE_SUFFIXES` (.csv, .tsv,
        .parquet, .jsonl), in any case.

    Raises
    ------
    OptionError
        Any other suffix.
    """
    if path.suffix.casefold() not in TABLE_SUFFIXES:
        raise OptionError(
            f"`out` {path}: expected a file ending in {', '.join(sorted(TABLE_SUFFIXES))}"
        )


def write_table(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write a table by suffix (.csv, .tsv, .parquet, .jsonl), atomically and owner-only;
    CSV and TSV through `csv_safe`.

    Raises
    ------
    OptionError
        For any other suffix.
    """
    path = Path(path)
    check_table_path(path)
    suffix = path.suffix.casefold()
    with atomic_path(path) as tmp:
        if suffix == ".parquet":
            frame.to_parquet(tmp, index=False)
        elif suffix == ".jsonl":
            frame.to_json(tmp, orient="records", lines=True, force_ascii=False)
        else:
            write_csv(frame, tmp, sep="\t" if suffix == ".tsv" else ",")
    return path


def write_csv(
    frame: pd.DataFrame,
    target: str | Path | TextIO,
    *,
    sep: str = ",",
    append: bool = False,
    header: bool = True,
) -> None:
    """The one CSV writer: text cells through `csv_safe`; a file (not atomic: see
    `write_table`) or a text stream such as standard output.

    When a text cell holds a carriage return, every text cell is quoted: Python's csv
    writer quotes only the line terminator's characters (a newline), and a bare
    carriage return left unquoted splits the row for every reader.

    Parameters
    ----------
    frame
        The rows.
    target
        A path or an open text stream.
    sep
        The delimiter ("," or a tab).
    append
        Append to the file (with `header` False after the first chunk).
    header
        Write the column names first.
    """
    safe = csv_safe(frame)
    texts = [c for c in safe.columns if _is_text(safe[c])]
    carriage = any(isinstance(v, str) and "\r" in v for c in texts for v in safe[c].tolist())
    quoting = csv.QUOTE_NONNUMERIC if carriage else csv.QUOTE_MINIMAL
    mode = "a" if append else "w"
    safe.to_csv(target, sep=sep, index=False, header=header, quoting=quoting, mode=mode)


def append_csv(frame: pd.DataFrame, path: str | Path, *, header: bool) -> None:
    """Append rows to a CSV file being built (`write_csv`), e.g. a `temporary_file`
    that `move_into_place` renames once it is whole."""
    write_csv(frame, path, append=True, header=header)


def csv_round_trip(frame: pd.DataFrame, dtype: dict[str, Any] | None = None) -> pd.DataFrame:
    """The frame as a reader of its CSV file sees it (pandas' type inference, `dtype`
    where given), but with the raw text, not the neutralised text the file holds."""
    return pd.read_csv(StringIO(frame.to_csv(index=False)), dtype=dtype)


def read_table(path: str | Path, *, what: str = "a table") -> pd.DataFrame:
    """Read a table the toolkit wrote (or one like it) by suffix: .parquet, .jsonl, or
    CSV/TSV with pandas' type inference.

    Raises
    ------
    InputError
        A missing file, or one that cannot be parsed, naming the file.
    """
    path = Path(path)
    suffix = path.suffix.casefold()
    try:
        if suffix == ".parquet":
            return pd.read_parquet(path)
        if suffix == ".jsonl":
            return pd.read_json(path, lines=True, dtype=False)
        return pd.read_csv(path, sep="\t" if suffix == ".tsv" else ",")
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, f"a folder; expected {what}") from None
    except (ValueError, OSError, pd.errors.ParserError) as err:
        raise InputError(path, f"could not be read as {what} ({_first_line(err)})") from None


def read_sessions_table(path: str | Path) -> pd.DataFrame:
    """The sessions table `code` wrote (`sessions.csv`, or `.parquet`/`.tsv`/`.jsonl` by
    suffix), one row per session (columns: docs/COLUMNS.md).

    Raises
    ------
    InputError
        When the file is missing or cannot be read as a table.
    """
    return read_table(path, what="a sessions table")


# ---------------------------------------------------------------- user CSV files


def read_csv(path: str | Path, *, sep: str | None = ",", what: str = "a CSV table") -> pd.DataFrame:
    """Read a user's CSV file as text cells (no type guessing, empty cells as ""), with
    column names stripped of surrounding spaces.

    Parameters
    ----------
    path
        The file (UTF-8, with or without a byte order mark).
    sep
        The delimiter; None sniffs it (comma, semicolon, tab).
    what
        What the file should be, for messages ("a manifest").

    Returns
    -------
    pandas.DataFrame
        One row per data row (file row 2 is frame row 0), every cell a str.

    Raises
    ------
    InputError
        Naming the file and, where there is one, the 1-based row (row 1 is the header):
        a missing or unreadable file, bytes that are not UTF-8, no header, a row with
        more fields than the header.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, f"no such file; expected {what}") from None
    except IsADirectoryError:
        raise InputError(path, f"a folder; expected {what}") from None
    except OSError as err:
        raise InputError(path, f"cannot be read ({err.strerror})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        row = data[: err.start].count(b"\n") + 1
        raise InputError(
            path, f"bytes that are not UTF-8; expected {what} saved as UTF-8", f"row {row}"
        ) from None
    return parse_csv(text, path, sep=sep, what=what)


def parse_csv(
    text: str, name: str | Path, *, sep: str | None = ",", what: str = "a CSV table"
) -> pd.DataFrame:
    """`read_csv` on text already decoded.

    Parameters
    ----------
    text : str
        The CSV's text.
    name : str or Path
        The file it came from, for messages.
    sep : str or None
        The delimiter; None to sniff it (pandas' python engine).
    what : str
        What the file should be ("an outcome CSV"), for messages.

    Returns
    -------
    DataFrame
        Every cell a str (empty cells ""), header names stripped.

    Raises
    ------
    InputError
        An empty file, a row with more fields than the header (1-based row named), or a
        file pandas cannot parse.
    """
    try:
        frame = pd.read_csv(
            StringIO(text),
            sep=sep,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=True,
            index_col=False,
            engine="python" if sep is None else "c",
        )
    except pd.errors.EmptyDataError:
        raise InputError(name, f"empty; expected {what} with a header row", "row 1") from None
    except (pd.errors.ParserError, csv.Error, ValueError) as err:
        if m := _RAGGED.search(str(err)):
            raise InputError(
                name,
                f"{m.group(3)} fields; expected {m.group(1)} as in the header (quote text "
                "that contains the delimiter)",
                f"row {m.group(2)}",
            ) from None
        raise InputError(name, f"not {what} ({_first_line(err)})") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def _first_line(err: Exception) -> str:
    return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__


# ---------------------------------------------------------------- validation errors


def packaged_yaml(package: str, name: str, model: type[M]) -> M:
    """A YAML data file shipped in `package` (read with importlib.resources), validated
    by the pydantic `model`.

    Raises
    ------
    InputError
        Naming the file and the first problem (a broken install or a bad edit).
    """
    import yaml
    from pydantic import ValidationError

    where = f"{package.replace('.', '/')}/{name}"
    text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    try:
        return model.model_validate(yaml.safe_load(text))
    except ValidationError as err:
        raise InputError(where, validation_message(err)) from None
    except yaml.YAMLError as err:
        raise InputError(where, f"not valid YAML ({err})") from None


def _location(loc: Sequence[Any]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")


def validation_message(
    err: ValidationError, *, location: Callable[[Sequence[Any]], str] = _location
) -> str:
    """A pydantic validation error as one line: where (``turns[3].text``) and what.

    An unknown key comes first when there is one: a misspelt field explains the
    "field required" that comes with it.

    Parameters
    ----------
    err
        The error.
    location
        Turns an error's ``loc`` tuple into words (the codebook names a code by its id).
    """
    first = sorted(err.errors(), key=lambda e: e["type"] != "extra_forbidden")[0]
    message = first["msg"][:1].lower() + first["msg"][1:]  # "field required", as ours read
    if first["type"] == "extra_forbidden":
        message = "unknown field (check its spelling)"
    where = location(first["loc"])
    return f"{where}: {message}" if where else message
