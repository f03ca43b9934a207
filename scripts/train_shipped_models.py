"""Train the two shipped classifiers on the project's corpus, or rewrite their cards.

    python scripts/train_shipped_models.py                # both (transformer: ~10 min on 2 cores)
    python scripts/train_shipped_models.py --only fast
    python scripts/train_shipped_models.py --cards-only   # MODEL_CARD.md from model.json

Same training as `transcript-alliance train data/annotations/utterances.csv --seed 0`
(with `--backend transformer` for `default`); the corpus's split column fixes the test
sessions whose figures go into model.json and the card.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from transcript_alliance.annotate.classifier import (
    read_coded_utterances,
    summarize,
    train_classifier,
)
from transcript_alliance.annotate.classifier.card import model_card
from transcript_alliance.annotate.classifier.modeldir import (
    CARD_FILE,
    MODEL_FILE,
    SHIPPED,
    ModelInfo,
)
from transcript_alliance.annotate.markers import load_codebook

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "annotations" / "utterances.csv"
MODELS = {
    "default": ("transformer", "transcript_alliance `default`: MiniLM-L6 with LoRA adapters"),
    "fast": ("linear", "transcript_alliance `fast`: TF-IDF + logistic regression"),
}
EXTRA = """\
## What the test figures mean
The test sessions are made of fragments the training sessions never contain (every
fifth fragment of each code was held out when the corpus was built), so the figures are
for new phrasings of the same codes, written by the same authors. They are not figures
for real transcripts; see the real-data check below and data/annotations/README.md.

## Real-data check
On real peer-support chats (ESConv, supporter turns labelled with strategies), see
docs/VALIDATION.md for this model's per-code figures and the strategy mapping.
"""


def write_card(name: str) -> None:
    directory = SHIPPED / name
    info = ModelInfo.model_validate_json((directory / MODEL_FILE).read_text(encoding="utf-8"))
    info.training["data"] = "data/annotations/utterances.csv"  # the path, not this machine's
    (directory / CARD_FILE).write_text(model_card(info, MODELS[name][1], EXTRA), "utf-8")


def train(name: str) -> None:
    backend, _ = MODELS[name]
    book = load_codebook()
    data = read_coded_utterances(CORPUS, book.ids)
    data.path = Path("data/annotations/utterances.csv")
    model, test = train_classifier(
        data, backend=backend, codebook_version=book.version, seed=0, log=print
    )
    probs = model.predict_proba(test.inputs)
    model.info.metrics = {"split": "test", **summarize(test.labels, probs, test.codes)}
    target = SHIPPED / name
    shutil.rmtree(target, ignore_errors=True)
    model.save(target)
    write_card(name)
    print(f"{name}: macro-F1 {model.info.metrics['macro_f1']} -> {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(MODELS))
    parser.add_argument("--cards-only", action="store_true")
    args = parser.parse_args()
    for name in [args.only] if args.only else list(MODELS):
        write_card(name) if args.cards_only else train(name)


if __name__ == "__main__":
    main()
