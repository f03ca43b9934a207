"""Word documents: paragraphs with speaker labels, as in plain text; or a transcript table.

A transcript table is found by its header (`Time | Speaker | Content`, `Speaker | Text`,
the names `--columns` gives): tables that are not transcripts (a confidence-statistics
table above an AWS transcript, say) are never turns. Without any such header, two-column
tables are read as speaker | speech. Damaged document properties (docProps/core.xml) are
a warning: the body is what matters.
"""

from __future__ import annotations

import io
import re
import zipfile

import docx
from docx.opc.exceptions import PackageNotFoundError

from ...errors import InputError
from ...session import Session, Turn
from ..base import Source, check_archive, merge_consecutive
from ..labels import parse_timestamp, require_labels, turns_from_lines
from .table import match_header

_CORE = "docProps/core.xml"
_BLANK_CORE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    b'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"/>'
)
MAX_TURNS = 100_000  # paragraphs and table rows (see `base.check_archive`)
_TIME = re.compile(r"^\s*(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?\s*$|^\s*\d+(?:\.\d+)?\s*$")


def read(source: Source) -> Session:
    """Read a Word document (.docx) as a session.

    Turns come from paragraphs with speaker labels, or from a transcript table when the
    tables give more turns; consecutive turns of one speaker are merged. The document's
    title, when readable, goes into the session's metadata.

    Parameters
    ----------
    source : Source
        The file and its read options.

    Returns
    -------
    Session
        Source format "docx", with any warnings.

    Raises
    ------
    InputError
        When the file is not a readable document, holds more than `MAX_TURNS` (100,000)
        paragraphs and table rows, or has no speaker labels.
    """
    document, warnings = _open(source)
    n_rows = sum(len(t.rows) for t in document.tables)
    if len(document.paragraphs) + n_rows > MAX_TURNS:
        raise InputError(
            source.name,
            f"{len(document.paragraphs):,} paragraphs and {n_rows:,} table rows; expected at "
            f"most {MAX_TURNS:,} in a transcript",
        )
    paragraphs = [(n, p.text) for n, p in enumerate(document.paragraphs, start=1)]
    turns, paragraph_warnings = turns_from_lines(
        paragraphs, source.name, source.options.known_labels, unit="paragraph"
    )
    table_turns, table_warnings = _turns_from_tables(document, source)
    if len(table_turns) > len(turns):
        turns, warnings = table_turns, warnings + table_warnings
    else:
        warnings += paragraph_warnings
    require_labels(turns, source.name, len(paragraphs), unit="paragraph")
    session = source.new_session(merge_consecutive(turns), "docx", warnings)
    try:
        if title := document.core_properties.title:
            session.metadata["title"] = title
    except Exception as err:  # python-docx cannot read some producers' properties
        session.warn(f"the document's properties ({_CORE}) could not be read ({err}); ignored")
    return session


def _open(source: Source) -> tuple[docx.document.Document, list[str]]:
    if not zipfile.is_zipfile(io.BytesIO(source.data)):
        raise InputError(source.name, "not a Word .docx file (not a ZIP archive); expected .docx")
    check_archive(source, "Word transcript")
    try:
        return docx.Document(io.BytesIO(source.data)), []
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, OSError) as err:
        first = err
    except Exception as err:  # lxml and zip internals raise many types on damaged files
        first = err
    try:  # the document properties may be what is damaged: read the body without them
        document = docx.Document(io.BytesIO(_without_core(source.data)))
    except Exception:
        raise InputError(source.name, f"not a readable Word .docx file ({first})") from None
    return document, [f"the document's properties ({_CORE}) could not be read ({first}); ignored"]


def _without_core(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        if _CORE not in zin.namelist():
            raise KeyError(_CORE)
        for item in zin.infolist():
            zout.writestr(item, _BLANK_CORE if item.filename == _CORE else zin.read(item))
    return out.getvalue()


def _turns_from_tables(
    document: docx.document.Document, source: Source
) -> tuple[list[Turn], list[str]]:
    """Rows of every table whose header names speaker and text columns; without any such
    table, two-column tables as speaker | speech. Rows are numbered within their table."""
    turns: list[Turn] = []
    tables = [[[c.text.strip() for c in row.cells] for row in t.rows] for t in document.tables]
    headers = [match_header(rows[0], source.options.columns) if rows else None for rows in tables]
    for rows, columns in zip(tables, headers):
        if columns is None:
            continue
        for row_number, cells in enumerate(rows[1:], start=2):
            speaker, text = cells[columns["speaker"]], cells[columns["text"]]
            if not speaker or not text:
                continue
            start = _seconds(cells[columns["start"]]) if "start" in columns else None
            end = _seconds(cells[columns["end"]]) if "end" in columns else None
            turns.append(
                Turn(len(turns), speaker, text, start=start, end=end, source_line=row_number)
            )
    if any(h is not None for h in headers):
        others = [str(n) for n, h in enumerate(headers, start=1) if h is None]
        if not others:
            return turns, []
        plural = "s" if len(others) > 1 else ""
        return turns, [
            f"table{plural} {', '.join(others)} without speaker and text headers "
            "(not the transcript) skipped"
        ]
    for table in document.tables:
        for row_number, row in enumerate(table.rows, start=1):
            cells = [c.text.strip() for c in row.cells]
            if len(cells) != 2 or not cells[0] or not cells[1] or _TIME.match(cells[0]):
                continue
            turns.append(Turn(len(turns), cells[0], cells[1], source_line=row_number))
    return turns, []


def _seconds(cell: str) -> float | None:
    try:
        return parse_timestamp(cell.strip()) if _TIME.match(cell) else None
    except ValueError:
        return None
