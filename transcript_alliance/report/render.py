"""The report's content into one self-contained HTML file: a jinja2 template with
autoescaping (transcript text is never trusted as markup), inline CSS and SVG."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import jinja2

from ..io import write_text
from .charts import timeline_svg, trajectory_svg
from .content import HIGH, LABELS, LOW, PARTS, ReportContent


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    here = resources.files("transcript_alliance.report")
    env = jinja2.Environment(
        autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined
    )
    template = env.from_string(here.joinpath("report.html.j2").read_text(encoding="utf-8"))
    template.globals["css"] = here.joinpath("report.css").read_text(encoding="utf-8")
    return template


def _pct(score: float) -> float:
    """A 1-5 score as a position on the page's scale bars (0-100%)."""
    return round(max(0.0, min(100.0, (score - 1) * 25)), 2)


def render_html(report: ReportContent) -> str:
    """The report as one self-contained HTML page (Jinja2 template, CSS inlined, SVG charts).

    Parameters
    ----------
    report : ReportContent
        What the report says.

    Returns
    -------
    str
        The HTML document.

    Raises
    ------
    jinja2.UndefinedError
        When the template reads a value the content lacks (strict undefined).
    """
    from .. import __version__

    return _template().render(
        r=report,
        version=__version__,
        parts=PARTS,
        labels=LABELS,
        pct=_pct,
        low_band=LOW,
        high_band=HIGH,
        symptom_measures=sorted({m for p in report.trajectory for m in p.symptoms}),
        trajectory_svg=trajectory_svg(report.trajectory) if report.trajectory else "",
        timeline_svg=timeline_svg(report.timeline, report.episodes, report.repair_turns)
        if report.scorable and report.timeline
        else "",
    )


def write_report(report: ReportContent, path: str | Path) -> Path:
    """Render and write atomically: a failed render leaves no half-written page. The file
    is private to its owner (io.FILE_MODE): it quotes a therapy session."""
    return write_text(path, render_html(report))


def unused_path(path: str | Path) -> Path:
    """`path` if no file is there, else the first free `<stem>-2<suffix>`, `-3`, ...: a
    report written without a name never replaces an earlier one."""
    path = Path(path)
    n = 2
    candidate = path
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate
