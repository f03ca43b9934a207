"""Commands that read and segment transcripts: `segment` and `inspect`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ..errors import InputError, OptionError
from ..io import check_table_path, write_csv, write_table
from ..read.base import ReadOptions
from ..read.inputs import read_inputs, require_inputs
from ..read.inspection import describe_session
from ..schema import utterance_table
from ..segment.utterances import segment_sessions
from ..session import Session
from .options import ColumnsOpt, Files, FormatOpt, HeaderRowOpt, ManifestOpt, RolesOpt, value
from .output import as_flags, finish, report, stderr, stdout, warn


def parse_columns(spec: str | None) -> dict[str, str]:
    """`--columns 'speaker=Who,text=Said'` as the readers' {field: column} map."""
    if not spec:
        return {}
    columns = {}
    for item in filter(None, (p.strip() for p in spec.split(","))):
        key, sep, column = item.partition("=")
        if not sep or key.strip() not in {"speaker", "text", "start", "end", "role", "header_row"}:
            raise OptionError(
                f"`columns`: '{item}': expected FIELD=COLUMN with FIELD one of speaker, text, "
                "start, end, role (or header_row=N)"
            )
        columns[key.strip()] = column.strip()
    return columns


def with_header_row(columns: str | None, header_row: int | None) -> str | None:
    """`--header-row N` travels with the `--columns` spec to the readers."""
    if header_row is None:
        return columns
    return f"{columns},header_row={header_row}" if columns else f"header_row={header_row}"


def read_all(
    files: list[Path] | None,
    manifest: Path | None,
    fmt: object,
    roles: str | None,
    columns: str | None,
    failures: list[InputError],
) -> list[Session]:
    """Each readable session, segmented; a file that fails is reported and skipped."""
    require_inputs(files or [], manifest)
    read = read_inputs(
        files or [],
        manifest,
        ReadOptions(format=value(fmt), roles=roles, columns=parse_columns(columns)),
        failures=failures,
        on_error=report,
    )
    return segment_sessions(read)


def segment(
    files: Files = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Write the utterance table here (.csv, .tsv, .parquet, .jsonl)."
        ),
    ] = None,
    manifest: ManifestOpt = None,
    fmt: FormatOpt = None,
    roles: RolesOpt = None,
    columns: ColumnsOpt = None,
    header_row: HeaderRowOpt = None,
) -> None:
    """Read transcripts and split turns into utterances; write the utterance table.

    Example: transcript-alliance segment --manifest data/samples/manifest.csv --out utterances.csv
    """
    columns = with_header_row(columns, header_row)
    if out is not None:
        check_table_path(out)
    failures: list[InputError] = []
    sessions = read_all(files, manifest, fmt, roles, columns, failures)
    for session in sessions:
        for warning in session.warnings:
            warn(f"{session.source_path}: {warning}")
    table = utterance_table(sessions)
    if out is None:
        write_csv(table, sys.stdout)
    elif not sessions:
        stderr.print(f"nothing read; {out} not written")
    else:
        write_table(table, out)
        stderr.print(f"{len(table)} utterances from {len(sessions)} session(s) written to {out}")
    finish(failures, len(sessions))


def inspect(
    files: Files = None,
    manifest: ManifestOpt = None,
    fmt: FormatOpt = None,
    roles: RolesOpt = None,
    columns: ColumnsOpt = None,
    header_row: HeaderRowOpt = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON, one object per file.")
    ] = False,
) -> None:
    """Show what was read from each file: format, encoding, speakers and roles (with
    confidence), turns, utterances, words, events and problems.

    Example: transcript-alliance inspect data/samples/sessions/maya_01.txt
    """
    columns = with_header_row(columns, header_row)
    failures: list[InputError] = []
    sessions = read_all(files, manifest, fmt, roles, columns, failures)
    for session in sessions:
        summary = describe_session(session)
        if as_json:
            stdout.print(json.dumps(summary, ensure_ascii=False), markup=False)
        else:
            _print_summary(summary)
    finish(failures, len(sessions))


def _print_summary(summary: dict) -> None:
    stdout.print(f"[bold]{summary['path']}[/bold]")
    facts = [
        ("session", summary["session_id"]),
        ("client / therapist", f"{summary['client_id'] or '-'} / {summary['therapist_id'] or '-'}"),
        ("session number", summary["session_number"] or "-"),
        ("format / encoding", f"{summary['format']} / {summary['encoding']}"),
        ("layout", summary.get("layout") or "-"),
        (
            "turns / utterances / words",
            f"{summary['turns']} / {summary['utterances']} / {summary['words']}",
        ),
        ("duration", f"{summary['duration_seconds']} s" if summary["duration_seconds"] else "-"),
        ("events", ", ".join(f"{k} {v}" for k, v in summary["events"].items()) or "-"),
    ]
    for name, fact in facts:
        stdout.print(f"  {name:<27}{fact}", markup=False)
    table = Table("speaker", "role", "confidence", "decided by", "turns", "words", "share")
    for s in summary["speakers"]:
        table.add_row(
            s["label"],
            s["role"],
            f"{s['confidence']:.2f}",
            s["decided_by"],
            str(s["turns"]),
            str(s["words"]),
            f"{s['talk_share']:.0%}",
        )
    stdout.print(table)
    for warning in summary["warnings"]:
        stdout.print(f"  warning: {as_flags(warning)}", markup=False)
    stdout.print()
