"""Commands for the rule markers: `markers` and the `codebook` group."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ..annotate.markers.codebook import load_codebook
from ..annotate.markers.export import codebook_markdown
from ..annotate.markers.outputs import write_marker_tables
from ..annotate.style import session_style
from ..errors import InputError
from ..io import check_table_path
from ..session import Session
from .options import (
    CodebookOpt,
    ColumnsOpt,
    ExportFormat,
    Files,
    FormatOpt,
    HeaderRowOpt,
    ManifestOpt,
    RolesOpt,
    SessionTypeOpt,
    value,
)
from .output import finish, stderr, stdout
from .reading import read_all, with_header_row


def markers(
    files: Files = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Utterance table with m_<code> counts (.csv, .tsv, .parquet, .jsonl); the "
            "markers, style and window tables go beside it (_markers, _style, _windows).",
        ),
    ] = None,
    codebook: CodebookOpt = None,
    session_type: SessionTypeOpt = None,
    manifest: ManifestOpt = None,
    fmt: FormatOpt = None,
    roles: RolesOpt = None,
    columns: ColumnsOpt = None,
    header_row: HeaderRowOpt = None,
) -> None:
    """Find the codebook's alliance markers in each utterance, with the words behind each,
    and the sessions' style measures. Without --out, print the evidence.

    Example: transcript-alliance markers data/samples/sessions/maya_02.docx
    """
    columns = with_header_row(columns, header_row)
    from ..annotate.markers.annotate import annotate_sessions, codebook_of, marker_pipeline

    if out is not None:
        check_table_path(out)
    nlp = marker_pipeline(str(codebook) if codebook else None, session_type=value(session_type))
    failures: list[InputError] = []
    sessions = read_all(files, manifest, fmt, roles, columns, failures)
    annotate_sessions(sessions, nlp=nlp)
    if out is None:
        for session in sessions:
            _print_markers(session)
    elif sessions:
        written = write_marker_tables(sessions, out, codebook_of(nlp).ids)
        names = ", ".join(p.name for p in written)
        stderr.print(f"markers of {len(sessions)} session(s) written to {out.parent}: {names}")
    finish(failures, len(sessions))


def _print_markers(session: Session) -> None:
    table = Table("turn", "role", "code", "words", "flags", title=str(session.source_path))
    for u in session.utterances:
        for m in u.markers:
            flags = ", ".join(f for f, on in (("negated", m.negated), ("hedged", m.hedged)) if on)
            table.add_row(str(u.turn), u.role.value, m.code, m.text, flags)
    stdout.print(table)
    style = session_style(session)
    stdout.print(
        f"  LSM {style['lsm']}, client talk share {style['talk_share_client']:.0%}, "
        f"client minimal responses {style['minimal_response_rate_client'] or 0:.0%}",
        markup=False,
    )


def codebook_show(codebook: CodebookOpt = None, session_type: SessionTypeOpt = None) -> None:
    """List the codes: component, who says them, number of rules, definition.

    Example: transcript-alliance codebook show --session-type medication
    """
    book = load_codebook(codebook, session_type=value(session_type))
    table = Table(
        "code", "component", "speaker", "rules", "definition", title=f"{book.name} {book.version}"
    )
    for c in book.codes:
        table.add_row(c.id, c.component.value, c.speaker.value, str(len(c.patterns)), c.definition)
    stdout.print(table)


def codebook_validate(
    file: Annotated[Path, typer.Argument(help="The codebook YAML to check.")],
) -> None:
    """Check a codebook file: fields, ids, and that spaCy accepts every pattern.

    Example: transcript-alliance codebook validate my_codebook.yaml
    """
    book = load_codebook(file)
    stdout.print(f"ok: {file}: {len(book.codes)} codes (version {book.version})", markup=False)


def codebook_export(
    export_format: Annotated[
        ExportFormat, typer.Option("--format", help="The document format.")
    ] = ExportFormat.MD,
    codebook: CodebookOpt = None,
    session_type: SessionTypeOpt = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write here instead of stdout.")] = None,
) -> None:
    """Write the codebook as a document (Markdown); docs/CODEBOOK_MEDICATION.md is the
    default plus the medication pack (--session-type medication).

    Example: transcript-alliance codebook export --format md --out docs/CODEBOOK.md
    """
    text = codebook_markdown(load_codebook(codebook, session_type=value(session_type)))
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
