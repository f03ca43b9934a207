"""The microskills codes (issue 21) on held-out turns, beside TF-IDF + logistic regression
baselines trained in the same run on the same data. Prints the Markdown of
docs/VALIDATION.md ("Counselling microskills").

    python scripts/validate_microskills.py [--models esconv default] > /tmp/microskills.md

Three test sets: the project corpus's test sessions (its split column; written by the
project, every code coded); ESConv dialogues held out by dialogue (the seeded 20% draw of
`esconv_labels.py` that training left out; no dialogue on both sides); and ESConv's
failed dialogues (never trained on). ESConv rows are scored for the codes their strategy
maps to, one supporter message at a time with the seeker's turn before it as context (as
the models were trained). Per code: precision, recall and F1 at 0.5, ROC AUC; and the
issue's aims for groups of codes: a message is a reflection if either reflection code is
on (scored by the higher probability), likewise questions and advice. ESConv data is read
where it lies (CC BY-NC 4.0), never copied.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

sys.path.insert(0, str(Path(__file__).resolve().parent))

from esconv_labels import DIALOGUES, FAILED, esconv_coded, keep_training_share

from transcript_alliance.annotate.classifier import (
    load_classifier,
    per_code_metrics,
    read_coded_utterances,
    train_classifier,
)
from transcript_alliance.annotate.classifier.data import CodedUtterances, concat_coded
from transcript_alliance.annotate.markers import load_codebook

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "annotations" / "utterances.csv"
MICROSKILLS = [
    "simple_reflection",
    "complex_reflection",
    "open_question",
    "closed_question",
    "affirm",
    "emphasize_autonomy",
    "seek_collaboration",
    "give_information",
    "advise_with_permission",
    "advise_without_permission",
    "confront",
    "change_talk",
    "sustain_talk",
    "self_disclosure",
    "reassure",
]
# group -> (codes, aim for AUC on real turns or None)
GROUPS = {
    "reflections": (["simple_reflection", "complex_reflection"], 0.85),
    "questions": (["open_question", "closed_question"], 0.90),
    "advice": (["advise_with_permission", "advise_without_permission"], 0.80),
    "empathic (complex reflection, affirm, reassure)": (
        ["complex_reflection", "affirm", "reassure"],
        None,
    ),
}


def group_auc(data: CodedUtterances, probs: np.ndarray, codes: list[str]) -> tuple[int, float]:
    """(positives, AUC) of "any of these codes" scored by the highest of their probabilities,
    over rows where all of them are coded."""
    columns = [data.codes.index(c) for c in codes]
    rows = data.mask[:, columns].all(axis=1)
    truth = data.labels[rows][:, columns].max(axis=1)
    score = probs[rows][:, columns].max(axis=1)
    if not 0 < truth.sum() < len(truth):
        return int(truth.sum()), float("nan")
    return int(truth.sum()), float(roc_auc_score(truth, score))


def _fmt(value: float) -> str:
    return "-" if value != value else f"{value:.2f}"


def report(name: str, data: CodedUtterances, systems: dict[str, np.ndarray], real: bool) -> None:
    codes = [c for c in MICROSKILLS if c in data.codes]
    coded = [c for c in codes if data.mask[:, data.codes.index(c)].any()]
    columns = [data.codes.index(c) for c in coded]
    print(f"### {name}\n")
    print(f"{len(data.labels)} utterances in {len(set(data.sessions))} sessions.\n")
    print("| code | positives / coded | system | precision | recall | F1 | AUC |")
    print("|---|---|---|---|---|---|---|")
    tables = {
        s: per_code_metrics(
            data.labels[:, columns], p[:, columns], coded, known=data.mask[:, columns]
        )
        for s, p in systems.items()
    }
    for k, code in enumerate(coded):
        for i, (system, table) in enumerate(tables.items()):
            row = table.iloc[k]
            head = f"| {code} | {row.support} / {row.n} " if i == 0 else "| | "
            print(
                f"{head}| {system} | {row.precision:.2f} | {row.recall:.2f} | {row.f1:.2f} "
                f"| {_fmt(row.auc)} |"
            )
    print(
        "\n| group (any of its codes) | positives | aim (real turns) | "
        + " | ".join(f"AUC {s}" for s in systems)
        + " |"
    )
    print("|---|---|---|" + "---|" * len(systems))
    for group, (members, aim) in GROUPS.items():
        if not all(c in coded for c in members):
            continue
        results = [group_auc(data, p, members) for p in systems.values()]
        shown = f">= {aim:.2f}" if aim and real else "-"
        cells = " | ".join(
            _fmt(a)
            + (" (met)" if aim and real and a >= aim else " (missed)" if aim and real else "")
            for _, a in results
        )
        print(f"| {group} | {results[0][0]} | {shown} | {cells} |")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=["default", "esconv"])
    parser.add_argument("--codebook", help="a codebook file (development only)")
    args = parser.parse_args()
    started = time.perf_counter()
    book = load_codebook(args.codebook)
    project = read_coded_utterances(CORPUS, book.ids)
    project.path = Path("data/annotations/utterances.csv")
    esconv, counts = esconv_coded(DIALOGUES, book.ids)
    share = float(load_classifier("esconv").info.training.get("esconv_share", 1.0))
    esconv = keep_training_share(esconv, share)  # the baseline sees what `esconv` saw
    failed, failed_counts = esconv_coded(FAILED, book.ids, test_share=None)
    both = concat_coded([project, esconv])
    project_test = project.subset(np.flatnonzero(project.split == "test"))
    esconv_test = esconv.subset(np.flatnonzero(esconv.split == "test"))
    sets = {"project": project_test, "esconv": esconv_test, "failed": failed}
    probs: dict[str, dict[str, np.ndarray]] = {k: {} for k in sets}
    for name in args.models:
        model = load_classifier(name, codebook=args.codebook)
        assert model.codes == book.ids
        for key, data in sets.items():
            probs[key][f"`{name}`"] = model.predict_proba(data.inputs)
    baselines = {"TF-IDF+LR (project)": project, "TF-IDF+LR (project+ESConv)": both}
    for label, data in baselines.items():
        model, _ = train_classifier(data, backend="linear", codebook_version=book.version, seed=0)
        for key, test in sets.items():
            probs[key][label] = model.predict_proba(test.inputs)
    seconds = time.perf_counter() - started
    print(
        f"`python scripts/validate_microskills.py` ({seconds:.0f} s). Systems: the shipped "
        f"{', '.join(f'`{m}`' for m in args.models)}; baselines trained in this run with "
        "the `linear` backend (TF-IDF over words and character n-grams, the role and the "
        "previous turn, one logistic regression per code; seed 0), one on the project corpus "
        "(the same data as `default`) and one on the project corpus plus ESConv's training "
        f"dialogues (the same data as `esconv`, {share:.0%} of the training dialogues, the same "
        "masking). Threshold 0.5 for "
        f"precision, recall and F1. ESConv messages: {counts['messages']} in the 910 "
        f"dialogues ({counts['question_undecided']} questions of undecided form leave open "
        f"and closed uncoded), {failed_counts['messages']} in the 98 failed ones.\n"
    )
    report(
        "Project corpus, held-out test sessions (written by the project)",
        project_test,
        probs["project"],
        real=False,
    )
    report(
        "ESConv, dialogues held out by dialogue (real turns)",
        esconv_test,
        probs["esconv"],
        real=True,
    )
    report(
        "ESConv, the 98 failed dialogues (real turns, never trained on)",
        failed,
        probs["failed"],
        real=True,
    )


if __name__ == "__main__":
    main()
