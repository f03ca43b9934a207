"""The files `compare` writes: comparison.json, comparison.csv, plots, and a short
summary in Markdown and HTML (the same content; the HTML shows the plots inline)."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pandas as pd

from ..io import atomic_path, write_json, write_table, write_text
from .agreement import flat_table, join_reports
from .selfreport import SelfReports


def _save(fig: Any, path: Path) -> None:
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=110, format="png")


def _plots(merged: pd.DataFrame, parts: list[str], same_scale: bool, out: Path) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt

    names = []
    fig, axes = plt.subplots(1, len(parts), figsize=(3.2 * len(parts), 3.2), squeeze=False)
    for ax, part in zip(axes[0], parts):
        ax.scatter(merged[part], merged[f"{part}_sr"], s=18)
        ax.set(title=part, xlabel="estimate (1-5)", ylabel="self-report")
    fig.tight_layout()
    _save(fig, out / "scatter.png")
    plt.close(fig)
    names.append("scatter.png")
    if same_scale:
        fig, axes = plt.subplots(1, len(parts), figsize=(3.2 * len(parts), 3.2), squeeze=False)
        for ax, part in zip(axes[0], parts):
            mean = (merged[part] + merged[f"{part}_sr"]) / 2
            diff = merged[part] - merged[f"{part}_sr"]
            ax.scatter(mean, diff, s=18)
            bias, sd = diff.mean(), diff.std()
            for y, style in ((bias, "-"), (bias - 1.96 * sd, "--"), (bias + 1.96 * sd, "--")):
                ax.axhline(y, linestyle=style, linewidth=1)
            ax.set(title=part, xlabel="mean of the two", ylabel="estimate - self-report")
        fig.tight_layout()
        _save(fig, out / "bland_altman.png")
        plt.close(fig)
        names.append("bland_altman.png")
    if merged["session_number"].notna().any():
        part = parts[-1]
        fig, ax = plt.subplots(figsize=(5, 3.2))
        for client, group in merged.sort_values("session_number").groupby("client_id"):
            line = ax.plot(group["session_number"], group[part], marker="o", label=f"{client}")
            ax.plot(
                group["session_number"],
                group[f"{part}_sr"],
                marker="s",
                linestyle="--",
                color=line[0].get_color(),
            )
        ax.set(
            title=f"{part}: estimate (solid) and self-report (dashed)",
            xlabel="session",
            ylabel=part,
        )
        ax.legend(fontsize="small")
        fig.tight_layout()
        _save(fig, out / "trajectories.png")
        plt.close(fig)
        names.append("trajectories.png")
    return names


def _fmt(value: Any) -> str:
    return "-" if value is None or value != value else f"{value:.2f}"


def write_comparison(
    sessions: pd.DataFrame, reports: SelfReports, results: list[dict], out: str | Path
) -> list[Path]:
    """Write the comparison's files into a folder.

    Parameters
    ----------
    sessions : DataFrame
        The sessions table (session_id, client_id, session_number, goal, task, bond,
        total; 1-5 WAI-SR metric).
    reports : SelfReports
        The scored self-reports.
    results : list of dict
        `compare_reports`' output.
    out : str or Path
        The folder, created if missing.

    Returns
    -------
    list of Path
        comparison.json (instrument, level, results, notes), comparison.csv
        (`flat_table`), summary.md (a table per rater and component) and the plots
        (scatter, Bland-Altman where the metrics match, trajectories).

    Raises
    ------
    InputError
        No self-report matched a coded session.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    table = flat_table(results)
    write_json(
        out / "comparison.json",
        {
            "instrument": reports.instrument.name,
            "level": reports.level,
            "results": results,
            "notes": reports.notes,
        },
    )
    write_table(table, out / "comparison.csv")
    merged = join_reports(sessions, reports)
    plots = _plots(merged, reports.parts, reports.instrument.on_wai_sr_metric, out)
    lines = [
        f"# Estimates against {reports.instrument.description or reports.instrument.name}",
        "",
        f"{int(table['n'].max()) if len(table) else 0} sessions with both, "
        f"{int(table['clients'].max()) if len(table) else 0} clients. Correlations with 95% "
        "CIs; ICC, Bland-Altman and MAE only where the self-report is on the 1-5 metric.",
        "",
        "| rater | component | n | Pearson r [95% CI] | Spearman rho | ICC(A,1) | bias "
        "[limits] | MAE | rm-corr |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in table.itertuples():
        lines.append(
            f"| {row.rater} | {row.component} | {row.n} | {_fmt(row.pearson_r)} "
            f"[{_fmt(row.pearson_low)}, {_fmt(row.pearson_high)}] | {_fmt(row.spearman_rho)} "
            f"| {_fmt(row.icc2_1)} | {_fmt(row.ba_bias)} [{_fmt(row.ba_lower)}, "
            f"{_fmt(row.ba_upper)}] | {_fmt(row.mae)} | {_fmt(row.rm_corr_r)} |"
        )
    lines += [""] + [f"![{name}]({name})" for name in plots]
    markdown = "\n".join(lines) + "\n"
    write_text(out / "summary.md", markdown)
    body = "".join(
        f"<p>{html.escape(line)}</p>" if not line.startswith(("|", "!")) else "" for line in lines
    )
    rows = table.to_html(index=False, float_format=lambda v: f"{v:.2f}", na_rep="-")
    images = "".join(f'<img src="{n}" alt="{n}">' for n in plots)
    page = (
        f"<!doctype html><html><head><meta charset='utf-8'><title>comparison</title>"
        f"</head><body>{body}{rows}{images}</body></html>"
    )
    write_text(out / "summary.html", page)
    return [out / n for n in ("comparison.json", "comparison.csv", "summary.md", *plots)]


def write_outcome_comparison(results: list[dict], outcomes: Any, out: str | Path) -> list[Path]:
    """outcomes.json, outcomes.csv and outcomes.md: the alliance-outcome figures, each with
    its model stated, and what they can and cannot show."""
    from .outcomes import EARLY_SESSIONS, outcome_table

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    write_json(out / "outcomes.json", {"measures": outcomes.measures, "results": results})
    table = outcome_table(results)
    write_table(table, out / "outcomes.csv")
    lines = [
        "# Alliance and outcome",
        "",
        f"Early alliance: each client's mean estimate over the first {EARLY_SESSIONS} coded "
        "sessions, against change (post - pre; negative = fewer symptoms). Lagged: alliance "
        "at one session against symptoms at the next, within and between clients, "
        "symptoms at the same session held constant. Associations in observational data, "
        "not effects: symptom change can drive the alliance as much as the reverse, and "
        "with few clients the intervals are wide.",
        "",
        "| analysis | measure | component | clients | n | statistic | estimate [95% CI] | p | "
        "model or note |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in table.itertuples():
        statistic = row.statistic if isinstance(row.statistic, str) else "-"
        lines.append(
            f"| {row.analysis} | {row.measure} | {row.component} | {row.clients} | {row.n} | "
            f"{statistic} | {_fmt(row.estimate)} [{_fmt(row.ci_low)}, "
            f"{_fmt(row.ci_high)}] | {_fmt(row.p)} | {row.note} |"
        )
    write_text(out / "outcomes.md", "\n".join(lines) + "\n")
    return [out / n for n in ("outcomes.json", "outcomes.csv", "outcomes.md")]
