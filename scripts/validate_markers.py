"""Per-code precision and recall of the rule markers on the project's hand-coded utterance
files; prints the Markdown tables of docs/VALIDATION.md.

    python scripts/validate_markers.py
"""

from __future__ import annotations

from pathlib import Path

from transcript_alliance.annotate.markers.evaluate import evaluate_markers

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"


def report(name: str) -> str:
    frame = evaluate_markers(DATA / name)
    lines = [f"### {name}", "", "| code | support | precision | recall |", "|---|---|---|---|"]
    for row in frame.itertuples():
        p = "-" if row.precision is None else f"{row.precision:.2f}"
        r = "-" if row.recall is None else f"{row.recall:.2f}"
        lines.append(f"| {row.code} | {row.support} | {p} | {r} |")
    tp, fp, fn = frame.tp.sum(), frame.fp.sum(), frame.fn.sum()
    lines += ["", f"Micro-averaged: precision {tp / (tp + fp):.2f}, recall {tp / (tp + fn):.2f}."]
    lines += ["", "Disagreements (text, predicted but not coded, coded but not predicted):", ""]
    lines += [f"- {text!r}: +{extra} -{missed}" for text, extra, missed in frame.attrs["errors"]]
    return "\n".join(lines)


if __name__ == "__main__":
    print(report("markers_gold.csv"))
    print()
    print(report("markers_heldout.csv"))
