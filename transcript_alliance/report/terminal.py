"""`feedback`: the report's summary, short, in the terminal."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from ..schema import PARTS
from .content import ReportContent

LEVEL_STYLE = {"high": "green", "usual": "default", "low": "red"}


def print_feedback(report: ReportContent, console: Console, quotes: bool = True) -> None:
    """The report's summary in the terminal (`feedback`): heading, notes, the components
    with their 90% intervals, each clinician's scores, talk balance, findings (with a
    quote each unless `quotes` is False) and rupture episodes."""
    _heading(report, console)
    if not report.scorable:
        return
    _components(report, console)
    if report.dyads:
        _dyads(report, console)
    b = report.balance
    console.print(
        f"talk share: therapist {b['therapist']['talk_share']:.0%}, client "
        f"{b['client']['talk_share']:.0%} · questions: therapist "
        f"{b['therapist']['question_rate']:.0%} of utterances, client "
        f"{b['client']['question_rate']:.0%}"
    )
    _findings(report, console, quotes)
    if report.episodes:
        console.print("[bold]ruptures[/]")
        for e in report.episodes:
            state = "repaired" if e.repaired else "not repaired"
            console.print(f"  - {e.kind}, turns {e.start_turn}-{e.end_turn}: {state}", markup=False)
    console.print(
        "[dim]Estimates from the words, not the client's rating; see the report for "
        "what they rest on.[/]"
    )


def _heading(report: ReportContent, console: Console) -> None:
    h = report.heading
    who = " · ".join(
        str(x)
        for x in (
            h.get("client") and f"client {h['client']}",
            h.get("session_number") is not None and f"session {h['session_number']}",
            h.get("date"),
        )
        if x
    )
    # ids, names and dates come from the file: never read as rich markup ("[/]" would crash)
    console.print(
        f"[bold]{escape(report.session_id)}[/]  {escape(who)}  "
        f"({h['utterances']} utterances, {h['words']} words)"
    )
    for note in (*report.notes, *report.warnings):
        console.print(Text.assemble(("note: ", "yellow"), note))


def _components(report: ReportContent, console: Console) -> None:
    table = Table(box=None, pad_edge=False)
    for column in ("", "estimate", "90% interval", "reading"):
        table.add_column(column)
    for c in report.components:
        table.add_row(
            c.label,
            f"[{LEVEL_STYLE[c.level]}]{c.score:.1f}[/]",
            f"{c.low:.1f}-{c.high:.1f}",
            c.level,
        )
    console.print(table)


def _dyads(report: ReportContent, console: Console) -> None:
    dyads = Table(box=None, pad_edge=False)
    for column in ("clinician", "utterances", *PARTS):
        dyads.add_column(column)
    for d in report.dyads:
        dyads.add_row(
            escape(str(d["clinician"])),
            str(d["n_utterances"]),
            *(f"{d[p]:.1f} ({d[p + '_low']:.1f}-{d[p + '_high']:.1f})" for p in PARTS),
        )
    console.print(dyads)


def _findings(report: ReportContent, console: Console, quotes: bool) -> None:
    for title, items in (("went well", report.went_well), ("to look at", report.look_at)):
        console.print(f"[bold]{title}[/]" + ("" if items else ": nothing stood out"))
        for f in items:
            console.print(f"  - {f.text}", markup=False)
            if f.source:
                console.print(Text(f"    {f.source}", style="dim"))
            if quotes and f.quotes:
                q = f.quotes[0]
                console.print(f"      turn {q.turn} ({q.role}): “{q.text}”", markup=False)
