"""The shipped classifiers and the rule markers against ESConv supporter strategies.

ESConv (Liu et al., 2021) labels every supporter turn in real peer-support chats with one
of eight strategies. Three of them correspond to codebook codes; this script scores each
shipped model (and the rules) per supporter turn: an utterance-level probability, the
highest in the turn, against the turn's strategy. Prints the Markdown of
docs/VALIDATION.md. The data stays where it is (research-only licence).

    python scripts/validate_esconv.py [--data ../shared/datasets/esconv-dev/dialogues.jsonl]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import precision_recall_fscore_support, roc_auc_score

sys.path.insert(0, str(Path(__file__).resolve().parent))

from esconv_data import DEFAULT_DATA, read_sessions

from transcript_alliance.annotate.classifier import load_classifier, session_inputs
from transcript_alliance.annotate.markers import annotate_sessions, marker_pipeline
from transcript_alliance.segment.utterances import segment_sessions
from transcript_alliance.session import Role, Session

# strategy -> code, and how closely they correspond
MAPPING = {
    "empathy_validation": (["Reflection of feelings", "Affirmation and Reassurance"], "close"),
    "task_talk": (["Providing Suggestions"], "close: a suggestion of something to do"),
    "invitation": (
        ["Question"],
        "partial: invitations are a kind of question, most "
        "questions are not invitations; precision is the figure to read",
    ),
}


def supporter_turn_keys(sessions: list[Session]) -> list[tuple[str, int]]:
    return [(s.session_id, t.index) for s in sessions for t in s.turns if t.role == Role.THERAPIST]


def turn_max(sessions, values: np.ndarray, codes: list[str]) -> pd.DataFrame:
    """Utterance values to one row per supporter turn: the highest value in the turn."""
    keys = [(s.session_id, u.turn) for s in sessions for u in s.utterances]
    frame = pd.DataFrame(values, columns=codes, index=pd.MultiIndex.from_tuples(keys))
    return frame.groupby(level=[0, 1]).max().reindex(supporter_turn_keys(sessions))


def score(truth: np.ndarray, prob: np.ndarray) -> dict[str, float]:
    p, r, f1, _ = precision_recall_fscore_support(
        truth, prob >= 0.5, average="binary", zero_division=0
    )
    auc = roc_auc_score(truth, prob) if 0 < truth.sum() < len(truth) else float("nan")
    return {"precision": p, "recall": r, "f1": f1, "auc": auc}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--models", nargs="+", default=["default", "fast"])
    args = parser.parse_args()
    sessions, strategies = read_sessions(args.data)
    sessions = segment_sessions(sessions)
    nlp = marker_pipeline()
    annotate_sessions(sessions, nlp=nlp)
    codes = list(MAPPING)
    systems = {}
    for name in args.models:
        model = load_classifier(name)
        probs = model.predict_proba(session_inputs(sessions))
        systems[f"classifier `{name}`"] = turn_max(
            sessions, probs[:, [model.codes.index(c) for c in codes]], codes
        )
    counts = [
        [sum(m.code == c and not m.negated for m in u.markers) for c in codes]
        for s in sessions
        for u in s.utterances
    ]
    systems["rule markers"] = turn_max(sessions, np.minimum(np.array(counts), 1.0), codes)
    print(f"{len(strategies)} supporter turns in {len(sessions)} dialogues.\n")
    print("| code | strategy (n turns) | system | precision | recall | F1 | AUC |")
    print("|---|---|---|---|---|---|---|")
    for code, (names, _) in MAPPING.items():
        truth = np.array([any(n in s.split("|") for n in names) for s in strategies])
        label = " + ".join(names) + f" ({int(truth.sum())})"
        for system, table in systems.items():
            m = score(truth, table[code].to_numpy())
            auc = "-" if system == "rule markers" else f"{m['auc']:.2f}"
            print(
                f"| {code} | {label} | {system} | {m['precision']:.2f} | {m['recall']:.2f} "
                f"| {m['f1']:.2f} | {auc} |"
            )
    print("\nMapping notes:")
    for code, (names, note) in MAPPING.items():
        print(f"- {code} <- {', '.join(names)}: {note}")


if __name__ == "__main__":
    main()
