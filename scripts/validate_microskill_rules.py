"""The microskill rules (codebook 2.0.0) against the project corpus, turn by turn, with
the previous turn in place so the reflection split works as in `code`.

    python scripts/validate_microskill_rules.py [--split test]

Each corpus turn is one utterance; a turn counts as found when a non-negated rule match of
the code lies in it (after the split of reflections by the client's previous turn)."""

from __future__ import annotations

import argparse
import tempfile
from collections import Counter
from pathlib import Path

import pandas as pd

from transcript_alliance import read_session, segment_sessions
from transcript_alliance.annotate.markers import annotate_sessions, load_codebook

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "annotations" / "utterances.csv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", choices=["train", "test"])
    args = parser.parse_args()
    book = load_codebook()
    codes = [c.id for c in book.codes if c.component.value == "microskill"]
    frame = pd.read_csv(CORPUS, dtype=str, keep_default_na=False)
    frame = frame[frame["split"] == args.split]
    groups = list(frame.groupby("session_id", sort=True))
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for session_id, group in groups:
            path = Path(folder) / f"{session_id}.txt"
            lines = [f"{row.role.capitalize()}: {row.text}\n" for row in group.itertuples()]
            path.write_text("".join(lines), encoding="utf-8")
            paths.append(path)
        roles = "Therapist=therapist,Client=client"
        sessions = segment_sessions(read_session(p, roles=roles) for p in paths)
    annotate_sessions(sessions)
    tp, fp, fn = Counter(), Counter(), Counter()
    for (_, group), session in zip(groups, sessions, strict=True):
        found: dict[int, set[str]] = {}
        for utterance in session.utterances:
            found.setdefault(utterance.turn, set()).update(
                m.code for m in utterance.markers if not m.negated
            )
        for turn, cell in enumerate(group["codes"]):
            gold = set(filter(None, cell.split(";")))
            for code in codes:
                said, coded = code in found.get(turn, set()), code in gold
                tp[code] += said and coded
                fp[code] += said and not coded
                fn[code] += coded and not said
    print(f"{len(frame)} utterances, {len(groups)} sessions ({args.split})")
    print("| code | support | precision | recall |\n|---|---|---|---|")
    for code in codes:
        precision = tp[code] / (tp[code] + fp[code]) if tp[code] + fp[code] else float("nan")
        recall = tp[code] / (tp[code] + fn[code]) if tp[code] + fn[code] else float("nan")
        print(f"| `{code}` | {tp[code] + fn[code]} | {precision:.2f} | {recall:.2f} |")


if __name__ == "__main__":
    main()
