"""The `transcript-alliance` command line: each command a thin call into the Python API.

Errors the user can fix (`TranscriptAllianceError`) become one line on stderr and exit
status 2, here and nowhere else; `--verbose` adds the traceback.
"""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import click
import typer
from rich.console import Console
from rich.table import Table

from .errors import InputError, OptionError, TranscriptAllianceError
from .inputs import expand_inputs
from .inspection import describe_session
from .markers import annotate_sessions, load_codebook
from .markers.export import codebook_markdown
from .readers import FORMATS, read_session
from .segment import segment_sessions
from .session import Session
from .style import session_style, window_style
from .tables import check_table_path, marker_table, utterance_table, write_table

app = typer.Typer(
    name="transcript-alliance",
    help="Estimate the therapeutic working alliance from session transcripts, offline.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
codebook_app = typer.Typer(
    help="Show, validate and export the marker codebook.", no_args_is_help=True
)
app.add_typer(codebook_app, name="codebook")
stderr = Console(stderr=True, highlight=False, soft_wrap=True)
stdout = Console(highlight=False, soft_wrap=True)
_state = {"verbose": False}

Files = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Transcript files, folders (searched recursively) or globs.", show_default=False
    ),
]
FormatOpt = Annotated[
    str | None,
    typer.Option("--format", help=f"Read every file as this format: {', '.join(FORMATS)}."),
]
RolesOpt = Annotated[
    str | None,
    typer.Option("--roles", help="Speaker roles, e.g. 'Dr. Lee=therapist,Sam=client'."),
]
ColumnsOpt = Annotated[
    str | None,
    typer.Option(
        "--columns",
        help="Table columns for speaker, text, start, end, role: 'speaker=Who,text=Said'.",
    ),
]
ManifestOpt = Annotated[
    Path | None,
    typer.Option(
        "--manifest",
        help="CSV with path, session_id, client_id, therapist_id, session_number, date.",
    ),
]


@app.callback()
def _options(
    verbose: Annotated[
        bool, typer.Option("--verbose", help="Show tracebacks with errors.")
    ] = False,
) -> None:
    _state["verbose"] = verbose


def _parse_columns(spec: str | None) -> dict[str, str]:
    if not spec:
        return {}
    columns = {}
    for item in filter(None, (p.strip() for p in spec.split(","))):
        key, sep, value = item.partition("=")
        if not sep or key.strip() not in {"speaker", "text", "start", "end", "role"}:
            raise OptionError(
                f"--columns: '{item}': expected FIELD=COLUMN with FIELD one of speaker, text, "
                "start, end, role"
            )
        columns[key.strip()] = value.strip()
    return columns


def _read_all(
    files: list[Path] | None,
    manifest: Path | None,
    fmt: str | None,
    roles: str | None,
    columns: str | None,
    failures: list[InputError],
) -> Iterator[Session]:
    """Each readable session in turn; a file that fails is reported and skipped."""
    if not files and manifest is None:
        raise OptionError("no input: name transcript files or folders, or pass --manifest")
    column_map = _parse_columns(columns)
    inputs, missing = expand_inputs(files or [], manifest)
    for error in missing:
        _report(error)
        failures.append(error)
    for item in inputs:
        try:
            metadata = dict(item.metadata)
            file_roles = metadata.pop("roles", "") or roles  # a manifest row's own map wins
            yield read_session(
                item.path, format=fmt, roles=file_roles, columns=column_map, metadata=metadata
            )
        except InputError as error:
            _report(error)
            failures.append(error)


def _report(error: TranscriptAllianceError) -> None:
    if _state["verbose"]:
        stderr.print("".join(traceback.format_exception(error)), end="")
    stderr.print(f"error: {error}", markup=False)


def _finish(failures: list[InputError], total: int | None = None) -> None:
    if failures:
        read = f" ({total} read)" if total is not None else ""
        stderr.print(f"{len(failures)} file(s) could not be read{read}; see the errors above.")
        raise typer.Exit(2)


@app.command()
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
) -> None:
    """Read transcripts and split turns into utterances; write the utterance table.

    Example: transcript-alliance segment --manifest data/samples/manifest.csv --out utterances.csv
    """
    if out is not None:
        check_table_path(out)
    failures: list[InputError] = []
    sessions = segment_sessions(_read_all(files, manifest, fmt, roles, columns, failures))
    for session in sessions:
        for warning in session.warnings:
            stderr.print(f"warning: {session.source_path}: {warning}", markup=False)
    table = utterance_table(sessions)
    if out is None:
        table.to_csv(sys.stdout, index=False)
    elif not sessions:
        stderr.print(f"nothing read; {out} not written")
    else:
        write_table(table, out)
        stderr.print(f"{len(table)} utterances from {len(sessions)} session(s) written to {out}")
    _finish(failures, len(sessions))


@app.command()
def inspect(
    files: Files = None,
    manifest: ManifestOpt = None,
    fmt: FormatOpt = None,
    roles: RolesOpt = None,
    columns: ColumnsOpt = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON, one object per file.")
    ] = False,
) -> None:
    """Show what was read from each file: format, encoding, speakers and roles (with
    confidence), turns, utterances, words, events and problems.

    Example: transcript-alliance inspect data/samples/sessions/maya_01.txt
    """
    failures: list[InputError] = []
    sessions = segment_sessions(_read_all(files, manifest, fmt, roles, columns, failures))
    for session in sessions:
        summary = describe_session(session)
        if as_json:
            stdout.print(json.dumps(summary, ensure_ascii=False), markup=False)
        else:
            _print_summary(summary)
    _finish(failures, len(sessions))


CodebookOpt = Annotated[
    Path | None,
    typer.Option("--codebook", help="A codebook YAML that extends (or replaces) the default."),
]


def sibling(path: Path, name: str) -> Path:
    """out/utterances.csv -> out/utterances_markers.csv"""
    return path.with_name(f"{path.stem}_{name}{path.suffix}")


@app.command()
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
    manifest: ManifestOpt = None,
    fmt: FormatOpt = None,
    roles: RolesOpt = None,
    columns: ColumnsOpt = None,
) -> None:
    """Find the codebook's alliance markers in each utterance, with the words behind each,
    and the sessions' style measures. Without --out, print the evidence.

    Example: transcript-alliance markers data/samples/sessions/maya_02.docx
    """
    if out is not None:
        check_table_path(out)
    book = load_codebook(codebook)
    failures: list[InputError] = []
    sessions = segment_sessions(_read_all(files, manifest, fmt, roles, columns, failures))
    annotate_sessions(sessions, codebook)
    if out is None:
        for session in sessions:
            _print_markers(session)
    elif sessions:
        import pandas as pd

        write_table(utterance_table(sessions, book.ids), out)
        write_table(marker_table(sessions), sibling(out, "markers"))
        write_table(pd.DataFrame([session_style(s) for s in sessions]), sibling(out, "style"))
        windows = [row for s in sessions for row in window_style(s)]
        write_table(pd.DataFrame(windows), sibling(out, "windows"))
        stderr.print(f"markers of {len(sessions)} session(s) written to {out} and beside it")
    _finish(failures, len(sessions))


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


@codebook_app.command("show")
def codebook_show(codebook: CodebookOpt = None) -> None:
    """List the codes: component, who says them, number of rules, definition.

    Example: transcript-alliance codebook show
    """
    book = load_codebook(codebook)
    table = Table(
        "code", "component", "speaker", "rules", "definition", title=f"{book.name} {book.version}"
    )
    for c in book.codes:
        table.add_row(c.id, c.component.value, c.speaker.value, str(len(c.patterns)), c.definition)
    stdout.print(table)


@codebook_app.command("validate")
def codebook_validate(
    file: Annotated[Path, typer.Argument(help="The codebook YAML to check.")],
) -> None:
    """Check a codebook file: fields, ids, and that spaCy accepts every pattern.

    Example: transcript-alliance codebook validate my_codebook.yaml
    """
    book = load_codebook(file)
    stdout.print(f"ok: {file}: {len(book.codes)} codes (version {book.version})", markup=False)


@codebook_app.command("export")
def codebook_export(
    export_format: Annotated[str, typer.Option("--format", help="Only 'md' for now.")] = "md",
    codebook: CodebookOpt = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write here instead of stdout.")] = None,
) -> None:
    """Write the codebook as a document (Markdown).

    Example: transcript-alliance codebook export --format md --out docs/CODEBOOK.md
    """
    if export_format != "md":
        raise OptionError(f"--format: '{export_format}': only 'md' is supported")
    text = codebook_markdown(load_codebook(codebook))
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")


def _print_summary(summary: dict) -> None:
    stdout.print(f"[bold]{summary['path']}[/bold]")
    facts = [
        ("session", summary["session_id"]),
        ("client / therapist", f"{summary['client_id'] or '-'} / {summary['therapist_id'] or '-'}"),
        ("session number", summary["session_number"] or "-"),
        ("format / encoding", f"{summary['format']} / {summary['encoding']}"),
        (
            "turns / utterances / words",
            f"{summary['turns']} / {summary['utterances']} / {summary['words']}",
        ),
        ("duration", f"{summary['duration_seconds']} s" if summary["duration_seconds"] else "-"),
        ("events", ", ".join(f"{k} {v}" for k, v in summary["events"].items()) or "-"),
    ]
    for name, value in facts:
        stdout.print(f"  {name:<27}{value}", markup=False)
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
        stdout.print(f"  warning: {warning}", markup=False)
    stdout.print()


def main() -> None:
    """Console entry point: run the app, turning the toolkit's errors into one line."""
    try:
        code = app(standalone_mode=False)
    except TranscriptAllianceError as error:
        _report(error)
        sys.exit(2)
    except click.exceptions.UsageError as error:
        error.show()
        sys.exit(2)
    except click.exceptions.Abort:
        stderr.print("aborted")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    sys.exit(code if isinstance(code, int) else 0)
