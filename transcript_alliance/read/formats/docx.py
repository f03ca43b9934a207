"""Word documents: paragraphs with speaker labels, as in plain text; or, when the document
is a table of speaker and speech columns, its rows."""

from __future__ import annotations

import io
import zipfile

import docx
from docx.opc.exceptions import PackageNotFoundError

from ...errors import InputError
from ...session import Session, Turn
from ..base import Source, merge_consecutive
from ..labels import require_labels, turns_from_lines


def read(source: Source) -> Session:
    document = _open(source)
    paragraphs = [(n, p.text) for n, p in enumerate(document.paragraphs, start=1)]
    turns, warnings = turns_from_lines(
        paragraphs, source.name, source.options.known_labels, unit="paragraph"
    )
    if not turns:
        turns = _turns_from_tables(document)
    require_labels(turns, source.name, len(paragraphs), unit="paragraph")
    session = source.new_session(merge_consecutive(turns), "docx", warnings)
    props = document.core_properties
    if props.title:
        session.metadata["title"] = props.title
    return session


def _open(source: Source) -> docx.document.Document:
    if not zipfile.is_zipfile(io.BytesIO(source.data)):
        raise InputError(source.name, "not a Word .docx file (not a ZIP archive); expected .docx")
    try:
        return docx.Document(io.BytesIO(source.data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, OSError) as err:
        raise InputError(source.name, f"not a readable Word .docx file ({err})") from None
    except Exception as err:  # lxml and zip internals raise many types on damaged files
        raise InputError(source.name, f"not a readable Word .docx file ({err})") from None


def _turns_from_tables(document: docx.document.Document) -> list[Turn]:
    """Two-column transcripts: the first column the speaker, the last the speech."""
    turns: list[Turn] = []
    for table in document.tables:
        for number, row in enumerate(table.rows, start=1):
            cells = [c.text.strip() for c in row.cells]
            if len(cells) < 2 or not cells[0] or not cells[-1]:
                continue
            if number == 1 and cells[0].casefold() in {"speaker", "name", "who"}:
                continue
            turns.append(Turn(len(turns), cells[0], cells[-1], source_line=number))
    return turns
