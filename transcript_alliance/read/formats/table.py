"""Spreadsheet transcripts (CSV, TSV, XLSX): one row per turn or utterance, with speaker
and text columns named by `--columns` or guessed from common names.

The header is the first row (of the first 20) that names a speaker and a text column, so
title rows above it ("Session 4 transcript") are skipped with a warning; `header_row`
(`--header-row N`) names it where the guess fails. CSV delimiters are tried in turn (`,`,
`;`, tab, `|`) and the one that yields such a header wins; Excel's `sep=;` first line is
honoured. Times may be seconds (`12.5`, or `12,5` where the delimiter is not a comma) or
`hh:mm:ss`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import warnings
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ...errors import InputError
from ...session import Role, Session, Turn
from ..base import Source, check_archive, merge_consecutive
from ..labels import MAX_TURN_CHARS, parse_timestamp

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

# Guesses, in order of preference, for each field when --columns does not name it.
COLUMN_GUESSES: dict[str, tuple[str, ...]] = {
    "speaker": ("speaker", "speaker_label", "name", "who", "spk", "participant", "speaker_name"),
    "text": ("text", "utterance", "transcript", "content", "message", "speech", "line", "said"),
    "start": ("start", "start_time", "begin", "time", "timestamp", "start_sec", "onset"),
    "end": ("end", "end_time", "stop", "end_sec", "offset"),
    "role": ("role", "speaker_role"),
}
HEADER_SEARCH_ROWS = 20  # title rows above the header: at most this many rows are searched
_DELIMITERS = (",", ";", "\t", "|")
_EXCEL_SEP = re.compile(r'^\s*"?sep=(.)"?\s*$')
_DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")
_HEADER_HINT = "if title rows come above the header, name the header's row with `header_row`=N"


@dataclass
class Grid:
    """A table as rows of text cells, each with its 1-based row (line) in the file.

    Attributes
    ----------
    rows : list of (int, list of str)
        (1-based row, cells) in file order.
    delimiter : str or None
        The CSV delimiter found; None for XLSX.
    warnings : list of str
        What loading had to guess (delimiter, sheet, cell types).
    sheet : str or None
        The XLSX sheet read; None for CSV.
    """

    rows: list[tuple[int, list[str]]]
    delimiter: str | None = None  # CSV only
    warnings: list[str] = field(default_factory=list)
    sheet: str | None = None  # XLSX only


def match_header(cells: list[str], given: Mapping[str, str]) -> dict[str, int] | None:
    """Column index of each field when `cells` is a header naming speaker and text columns
    (by `given` names, else by the usual names); None otherwise."""
    mapped = _fields(cells, given)
    return mapped if "speaker" in mapped and "text" in mapped else None


def _fields(cells: list[str], given: Mapping[str, str]) -> dict[str, int]:
    by_fold: dict[str, int] = {}
    for i, cell in enumerate(cells):
        by_fold.setdefault(" ".join(cell.casefold().split()), i)
    mapped: dict[str, int] = {}
    for fieldname, name in given.items():
        if name.casefold().strip() in by_fold:
            mapped[fieldname] = by_fold[name.casefold().strip()]
    for fieldname, guesses in COLUMN_GUESSES.items():
        if fieldname not in mapped and fieldname not in given:
            found = next((by_fold[g] for g in guesses if g in by_fold), None)
            if found is not None and found not in mapped.values():
                mapped[fieldname] = found
    return mapped


def read(source: Source) -> Session:
    """Read a spreadsheet transcript: one row per turn or utterance.

    Parameters
    ----------
    source : Source
        The file's bytes (CSV, TSV or XLSX) and its `ReadOptions`: ``columns`` names
        the speaker, text, start, end and role columns where the usual names do not
        match (`COLUMN_GUESSES`); ``header_row`` (1-based) names the header row.

    Returns
    -------
    Session
        One turn per row with text (consecutive rows of one speaker merged); start and
        end in seconds where the table has time columns; a row with an empty speaker
        continues the speaker above. ``metadata["header_row"]`` is the header's 1-based
        row and ``metadata["speaker_roles"]`` the roles a role column states. Title rows
        above the header, the sheet read and ignored cells are reported as warnings.

    Raises
    ------
    InputError
        No header naming a speaker and a text column, a row with more fields than the
        header (CSV), a cell longer than `MAX_TURN_CHARS`, a time that cannot be read, a
        first turn without a speaker, a role other than therapist, client or other, or
        no row with text (the message names the 1-based row).
    """
    grid = _load_grid(source)
    header_line, header, columns = _find_header(grid, source)
    rows = _Rows(source, grid, header, columns)
    warnings_ = list(grid.warnings) + _preamble_warnings(grid, header_line)
    turns: list[Turn] = []
    roles: dict[str, str] = {}
    extra_ignored: list[int] = []
    for number, cells in grid.rows:
        if number <= header_line:
            continue
        if rows.has_extra_cells(number, cells):
            extra_ignored.append(number)
        turn, role = rows.turn(number, cells, turns[-1].speaker if turns else None, len(turns))
        if turn is None:
            continue
        if role:
            roles[turn.speaker] = role
        turns.append(turn)
    if extra_ignored:
        warnings_.append(
            f"{_rows(extra_ignored)}: cells to the right of the header's columns were ignored"
        )
    if not turns:
        raise InputError(source.name, "no rows with text; expected one row per turn")
    session = source.new_session(
        merge_consecutive(turns), source.options.format or "table", warnings_
    )
    if roles:
        session.metadata["speaker_roles"] = roles
    session.metadata["header_row"] = header_line
    return session


def _preamble_warnings(grid: Grid, header_line: int) -> list[str]:
    """Warnings for title rows above the header and for the sheet chosen."""
    out = []
    above = [n for n, cells in grid.rows if n < header_line and any(cells)]
    if above:
        span = f"row {above[0]}" if len(above) == 1 else f"rows {above[0]}-{above[-1]}"
        out.append(f"{span} above the header (row {header_line}) read as a title, not speech")
    if grid.sheet:
        out.append(f"read the sheet '{grid.sheet}' (the first with speaker and text columns)")
    return out


@dataclass
class _Rows:
    """The rows below a table's header, read one at a time into turns."""

    source: Source
    grid: Grid
    header: list[str]
    columns: dict[str, int]

    def has_extra_cells(self, number: int, cells: list[str]) -> bool:
        """True for a spreadsheet row with notes right of the table (ignored); a CSV row
        with more fields than the header is refused."""
        header = self.header
        if len(cells) <= len(header) or not any(c.strip() for c in cells[len(header) :]):
            return False
        if self.grid.delimiter is None:  # a spreadsheet: notes beside the table
            return True
        raise InputError(
            self.source.name,
            f"not a well-formed table: {len(cells)} fields; expected {len(header)} as in "
            f"the header (quote text that contains the delimiter "
            f"'{_shown(self.grid.delimiter)}')",
            f"row {number}",
        )

    def turn(
        self, number: int, cells: list[str], previous: str | None, index: int
    ) -> tuple[Turn | None, str | None]:
        """The row's turn (None for a row without text) and the role its role column
        states; an empty speaker continues `previous`."""
        source, header, columns = self.source, self.header, self.columns
        values = cells + [""] * (len(header) - len(cells))
        text = values[columns["text"]].strip()
        speaker = values[columns["speaker"]].strip()
        if len(text) > MAX_TURN_CHARS:
            raise InputError(
                source.name, f"a cell of {len(text):,} characters; expected speech", f"row {number}"
            )
        if not text:
            return None, None
        start = _time(values, columns.get("start"), header, self.grid, source, number)
        end = _time(values, columns.get("end"), header, self.grid, source, number)
        if not speaker:
            if previous is None:
                raise InputError(
                    source.name,
                    f"expected a speaker in column '{header[columns['speaker']]}'",
                    f"row {number}",
                )
            speaker = previous
        role = self._role(number, values)
        return Turn(index, speaker, text, start=start, end=end, source_line=number), role

    def _role(self, number: int, values: list[str]) -> str | None:
        if "role" not in self.columns:
            return None
        role = values[self.columns["role"]].strip().casefold()
        if role and role not in {r.value for r in Role}:
            raise InputError(
                self.source.name,
                f"role '{role}' in column '{self.header[self.columns['role']]}'; expected "
                "therapist, client or other",
                f"row {number}",
            )
        return role or None


# -- finding the header -------------------------------------------------------------------


def _find_header(grid: Grid, source: Source) -> tuple[int, list[str], dict[str, int]]:
    found = _header_in(grid, source)
    if found is not None:
        return found
    asked = source.options.header_row
    rows = [(n, cells) for n, cells in grid.rows if any(c.strip() for c in cells)]
    if asked is not None:
        at = next((cells for n, cells in grid.rows if n == asked), None)
        if at is None:
            raise InputError(
                source.name, f"`header_row` {asked}: the table has no row {asked}", "row 1"
            )
        number, cells = asked, at
    elif rows:
        number, cells = rows[0]
    else:
        raise InputError(source.name, "no header row; expected columns such as speaker,text")
    header = [c.strip() for c in cells]
    given = source.options.columns
    folded = {" ".join(c.casefold().split()) for c in header}
    for fieldname, name in given.items():
        if name.casefold().strip() not in folded:
            raise InputError(
                source.name,
                f"`columns` names '{name}' for {fieldname}, but the columns are: "
                f"{', '.join(header)}" + ("" if asked else f" ({_HEADER_HINT})"),
                f"row {number}",
            )
    found = _fields(header, given)
    missing = next(f for f in ("speaker", "text") if f not in found)
    raise InputError(
        source.name,
        f"no {missing} column; expected one named {', '.join(COLUMN_GUESSES[missing][:4])} "
        f"(or `columns` {missing}=NAME); the columns are: {', '.join(header)}"
        + ("" if asked else f"; {_HEADER_HINT}"),
        f"row {number}",
    )


def _header_in(grid: Grid, source: Source) -> tuple[int, list[str], dict[str, int]] | None:
    asked = source.options.header_row
    candidates = [(n, cells) for n, cells in grid.rows if any(c.strip() for c in cells)]
    if asked is not None:
        candidates = [(n, cells) for n, cells in grid.rows if n == asked]
    for number, cells in candidates[:HEADER_SEARCH_ROWS]:
        columns = match_header(cells, source.options.columns)
        if columns is not None:
            return number, [c.strip() for c in cells], columns
    return None


# -- loading ------------------------------------------------------------------------------


def _load_grid(source: Source) -> Grid:
    fmt = source.options.format or source.path.suffix.casefold().lstrip(".")
    if fmt == "xlsx":
        return _load_xlsx(source)
    return _load_delimited(source, fmt)


def _load_delimited(source: Source, fmt: str) -> Grid:
    text = source.text
    first, _, rest = text.partition("\n")
    offset = 0
    candidates: tuple[str, ...] = ("\t",) if fmt == "tsv" else _DELIMITERS
    if m := _EXCEL_SEP.match(first):
        candidates, text, offset = (m.group(1),), rest, 1
    best: Grid | None = None
    best_score = -1
    for delimiter in candidates:
        grid = _parse_delimited(text, delimiter, offset, source)
        found = _header_in(grid, source)
        if found is None:
            continue
        width = len(found[1])
        score = sum(1 for n, cells in grid.rows if n > found[0] and len(cells) == width)
        if score > best_score:
            best, best_score = grid, score
    if best is not None:
        return best
    # No delimiter yields a header: parse with the first line's likeliest, for the error.
    counts = {d: first.count(d) for d in candidates}
    return _parse_delimited(text, max(candidates, key=lambda d: counts[d]), offset, source)


def _parse_delimited(text: str, delimiter: str, offset: int, source: Source) -> Grid:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    line = 0
    try:
        for cells in reader:
            start, line = line + 1, reader.line_num
            if cells:
                rows.append((start + offset, cells))
    except csv.Error as err:
        raise InputError(
            source.name, f"not a well-formed table ({err})", f"row {line + 1 + offset}"
        ) from None
    return Grid(rows, delimiter=delimiter)


def _load_xlsx(source: Source) -> Grid:
    if not zipfile.is_zipfile(io.BytesIO(source.data)):
        raise InputError(source.name, "not an Excel .xlsx file (not a ZIP archive)")
    check_archive(source, "spreadsheet")
    import openpyxl

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            values = openpyxl.load_workbook(io.BytesIO(source.data), data_only=True)
            formulas = openpyxl.load_workbook(io.BytesIO(source.data), data_only=False)
        except Exception as err:  # openpyxl raises many types on damaged workbooks
            raise InputError(
                source.name, f"not a readable spreadsheet ({_first_line(err)})"
            ) from None
    library = [f"the workbook: {_first_line(w.message)}" for w in caught]  # type: ignore[arg-type]
    grids = [_sheet_grid(sheet, formulas[sheet.title]) for sheet in values.worksheets]
    if not grids:
        raise InputError(source.name, "the workbook has no sheets")
    chosen = grids[0]
    if source.options.header_row is None and _header_in(chosen, source) is None:
        chosen = next((g for g in grids[1:] if _header_in(g, source) is not None), chosen)
        if chosen is grids[0]:
            chosen.sheet = None
    else:
        chosen.sheet = None
    chosen.warnings = list(dict.fromkeys(library + chosen.warnings))
    return chosen


def _sheet_grid(sheet: Worksheet, formula_sheet: Worksheet) -> Grid:
    rows: list[tuple[int, list[str]]] = []
    uncached: list[str] = []
    for cells, formula_cells in zip(sheet.iter_rows(), formula_sheet.iter_rows()):
        texts = []
        for cell, formula_cell in zip(cells, formula_cells):
            if cell.value is None and _is_formula(formula_cell.value):
                uncached.append(formula_cell.coordinate)
            texts.append(_cell_text(cell.value))
        while texts and not texts[-1].strip():
            texts.pop()
        if texts:
            rows.append((cells[0].row, texts))
    warnings_ = []
    if uncached:
        more = f" and {len(uncached) - 8} more" if len(uncached) > 8 else ""
        warnings_.append(
            f"cells {', '.join(uncached[:8])}{more} of sheet '{sheet.title}' hold formulas with "
            "no saved value and were read as empty (open and save the file in Excel so that "
            "the values are stored)"
        )
    return Grid(rows, warnings=warnings_, sheet=sheet.title)


def _is_formula(value: object) -> bool:
    return (isinstance(value, str) and value.startswith("=")) or type(value).__name__ in {
        "ArrayFormula",
        "DataTableFormula",
    }


def _cell_text(value: object) -> str:
    """A cell as text; Excel times and durations as seconds."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        if value.year < 1901:  # a duration past 24 h, stored from Excel's day zero
            return repr((value - dt.datetime(1899, 12, 30)).total_seconds())
        return value.isoformat(sep=" ")
    if isinstance(value, dt.time):
        return repr(value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6)
    if isinstance(value, dt.timedelta):
        return repr(value.total_seconds())
    return str(value)


# -- cells --------------------------------------------------------------------------------


def _time(
    values: list[str],
    column: int | None,
    header: list[str],
    grid: Grid,
    source: Source,
    row: int,
) -> float | None:
    if column is None:
        return None
    raw = values[column].strip()
    if not raw:
        return None
    if grid.delimiter != "," and _DECIMAL_COMMA.match(raw):
        raw = raw.replace(",", ".")  # European decimal comma: 0,5
    try:
        return float(raw) if ":" not in raw else parse_timestamp(raw)
    except ValueError:
        raise InputError(
            source.name,
            f"'{raw[:30]}' in column '{header[column]}'; expected seconds or hh:mm:ss",
            f"row {row}",
        ) from None


def _rows(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:8])
    more = f" and {len(numbers) - 8} more" if len(numbers) > 8 else ""
    return f"row{'s' if len(numbers) > 1 else ''} {shown}{more}"


def _shown(delimiter: str) -> str:
    return "\\t" if delimiter == "\t" else delimiter


def _first_line(err: object) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__
