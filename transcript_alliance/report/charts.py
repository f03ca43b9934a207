"""The report's charts as inline SVG (matplotlib's SVG backend, text kept as text so the
page's own fonts draw it): nothing to fetch, prints sharply, scales to any screen."""

from __future__ import annotations

import io
import re

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ..schema import COMPONENTS
from .content import LABELS, Episode, TrajectoryPoint, Window

COLOURS = {"goal": "#1b6ca8", "task": "#d17a00", "bond": "#2a9d5c", "total": "#555555"}
RATER_MARKERS = {"client": "D", "therapist": "s", "observer": "^"}
RUPTURE_SHADE, REPAIR_COLOUR = "#f4c7c3", "#2a9d5c"
_STYLE = {
    "svg.fonttype": "none",  # <text>, not glyph paths: smaller, selectable, no font files
    "font.family": "sans-serif",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def _svg(fig: Figure, name: str, label: str) -> str:
    buffer = io.StringIO()
    with matplotlib.rc_context({**_STYLE, "svg.hashsalt": name}):
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buffer.getvalue()
    text = re.sub(r"<\?xml[^>]*\?>\s*|<!DOCTYPE[^>]*>\s*", "", text)
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.S)
    text = re.sub(r'<svg ([^>]*?)width="[^"]*" height="[^"]*"', r"<svg \1", text, count=1)
    return text.replace("<svg ", f'<svg role="img" aria-label="{label}" class="chart" ', 1)


def trajectory_svg(points: list[TrajectoryPoint]) -> str:
    """Goal, Task and Bond per session with 90% intervals; self-reports beside them."""
    measures = sorted({m for p in points for m in p.symptoms})
    with matplotlib.rc_context(_STYLE):
        fig = Figure(figsize=(10 if measures else 7.5, 2.6))
        axes = list(fig.subplots(1, 4 if measures else 3))
        for ax in axes[1:3]:
            ax.sharey(axes[0])
        x = list(range(len(points)))
        if measures:
            _symptom_panel(axes[3], points, measures, x)
        for ax, part in zip(axes, COMPONENTS):
            est = [p.scores[part] for p in points]
            ax.errorbar(
                x,
                [e[0] for e in est],
                yerr=[[e[0] - e[1] for e in est], [e[2] - e[0] for e in est]],
                color=COLOURS[part],
                marker="o",
                capsize=3,
                lw=1.5,
                label="estimate",
            )
            for i, p in enumerate(points):
                if p.current:
                    ax.plot([i], [p.scores[part][0]], "o", ms=10, mfc="none", color="black")
            raters = sorted({r for p in points for r in p.self_reports})
            for rater in raters:
                xs = [i for i, p in enumerate(points) if part in p.self_reports.get(rater, {})]
                ys = [points[i].self_reports[rater][part] for i in xs]
                ax.plot(
                    xs,
                    ys,
                    RATER_MARKERS.get(rater, "x"),
                    color="black",
                    ms=5,
                    mfc="white",
                    label=f"{rater} rating",
                )
            ax.set_title(LABELS[part], color=COLOURS[part], fontweight="bold")
            ax.set_xticks(x, [p.label.replace("Session ", "S") for p in points])
            ax.set_ylim(1, 5.2)
            ax.set_xlim(-0.5, len(points) - 0.5)
            ax.grid(axis="y", color="#dddddd", lw=0.6)
        axes[0].set_ylabel("1-5 (WAI-SR metric)")
        axes[0].legend(loc="lower left", fontsize=7, frameon=False)
        fig.tight_layout()
        return _svg(fig, "trajectory", "Goal, Task and Bond estimates across sessions")


def _symptom_panel(ax, points: list[TrajectoryPoint], measures: list[str], x: list[int]) -> None:
    """Symptom scores per session, each measure on its own scale (higher = more symptoms)."""
    for measure, colour in zip(measures, ("#8e44ad", "#c0392b", "#16a085", "#7f8c8d")):
        xs = [i for i, p in enumerate(points) if measure in p.symptoms]
        ax.plot(
            xs,
            [points[i].symptoms[measure] for i in xs],
            marker="s",
            color=colour,
            label=measure.upper(),
        )
    ax.set_title("Symptoms", fontweight="bold")
    ax.set_xticks(x, [p.label.replace("Session ", "S") for p in points])
    ax.set_xlim(-0.5, len(points) - 0.5)
    ax.set_ylim(bottom=0)
    ax.legend(loc="lower left", fontsize=7, frameon=False)
    ax.grid(axis="y", color="#dddddd", lw=0.6)


def timeline_svg(windows: list[Window], episodes: list[Episode], repairs: list[int]) -> str:
    """Collaboration and bond evidence, and the therapist's share of words, across the
    session's turns; rupture episodes shaded, repair moments marked."""
    with matplotlib.rc_context(_STYLE):
        fig = Figure(figsize=(7.5, 3.4))
        top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[3, 2])
        mid = [(w.first_turn + w.last_turn) / 2 for w in windows]
        top.plot(
            mid,
            [w.collaboration for w in windows],
            color=COLOURS["task"],
            marker=".",
            label="collaboration",
        )
        top.plot(mid, [w.bond for w in windows], color=COLOURS["bond"], marker=".", label="bond")
        top.set_ylabel("evidence per\nutterance")
        bottom.plot(
            mid,
            [w.therapist_share for w in windows],
            color=COLOURS["goal"],
            marker=".",
            label="therapist share of words",
        )
        bottom.axhline(0.5, color="#999999", lw=0.8, ls=":")
        bottom.set_ylim(0, 1)
        bottom.set_ylabel("therapist\nshare")
        bottom.set_xlabel("turn")
        bottom.xaxis.set_major_locator(MaxNLocator(integer=True))  # turns are whole numbers
        for ax in (top, bottom):
            for e in episodes:
                ax.axvspan(e.start_turn - 0.5, e.end_turn + 0.5, color=RUPTURE_SHADE, lw=0)
            for turn in repairs:
                ax.axvline(turn, color=REPAIR_COLOUR, lw=1, ls="--")
            ax.grid(axis="y", color="#eeeeee", lw=0.6)
        if episodes:
            top.plot([], [], "s", color=RUPTURE_SHADE, ms=8, label="rupture episode")
        if repairs:
            top.plot([], [], ls="--", color=REPAIR_COLOUR, label="repair")
        top.legend(loc="upper left", fontsize=7, frameon=False, ncols=4)
        top.set_ylim(bottom=0)
        fig.tight_layout()
        return _svg(fig, "timeline", "Collaboration, bond and talk share across the session")
