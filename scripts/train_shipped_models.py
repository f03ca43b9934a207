"""Train the shipped classifiers, or rewrite their cards.

    python scripts/train_shipped_models.py                # all three
    python scripts/train_shipped_models.py --only fast
    python scripts/train_shipped_models.py --only esconv --epochs 2 --max-length 96
    python scripts/train_shipped_models.py --cards-only   # MODEL_CARD.md from model.json

`default` (transformer) and `fast` (linear) are trained on the project's own corpus only,
the same training as `transcript-alliance train data/annotations/utterances.csv --seed 0`
(with `--backend transformer` for `default`). `esconv` (transformer) adds the ESConv
supporter messages (Liu et al., 2021; read where they lie, never copied here), coded for
the microskills codes by `esconv_labels.py`, with every other code masked on those rows;
ESConv's licence (CC BY-NC 4.0) makes that model non-commercial, so it is opt-in. The
corpus's split column and a seeded draw of 20% of ESConv dialogues fix the test rows whose
figures go into model.json and the card.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from esconv_labels import DIALOGUES, esconv_coded, keep_training_share

from transcript_alliance.annotate.classifier import (
    read_coded_utterances,
    summarize,
    train_classifier,
)
from transcript_alliance.annotate.classifier.card import model_card
from transcript_alliance.annotate.classifier.data import concat_coded
from transcript_alliance.annotate.classifier.modeldir import (
    CARD_FILE,
    MODEL_FILE,
    SHIPPED,
    ModelInfo,
)
from transcript_alliance.annotate.markers import load_codebook

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "annotations" / "utterances.csv"
CORPUS_NAME = "data/annotations/utterances.csv"
ESCONV_NAME = "ESConv dialogues.jsonl (Liu et al., 2021; not in the repository)"
MODELS = {
    "default": ("transformer", "transcript_alliance `default`: MiniLM-L6 with LoRA adapters"),
    "fast": ("linear", "transcript_alliance `fast`: TF-IDF + logistic regression"),
    "esconv": (
        "transformer",
        "transcript_alliance `esconv`: MiniLM-L6 with LoRA adapters, trained with ESConv "
        "(non-commercial use only)",
    ),
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
ESCONV_EXTRA = """\
## Licence and attribution: non-commercial use only
Trained in part on ESConv (Liu, S., Zheng, C., Demasi, O., Sabour, S., Li, Y., Yu, Z.,
Jiang, Y., & Huang, M. (2021). Towards Emotional Support Dialog Systems. ACL 2021),
released under CC BY-NC 4.0. This model is therefore for non-commercial use only, under
the terms of CC BY-NC 4.0 (https://creativecommons.org/licenses/by-nc/4.0/), with this
attribution kept. None of ESConv's text is in this folder or in the repository; the
weights are what was learned from it. For an unencumbered model use `default` (trained on
the project's own corpus only).

## Training data
The project's corpus (`data/annotations/utterances.csv`, all codes) and the supporter
messages of {share} of ESConv's training dialogues (the development share's 80% not
drawn for test), each coded for the microskills codes from its
strategy (see `scripts/esconv_labels.py` for the mapping: Question to open or closed
question by the question's form, Restatement to simple reflection, Reflection of feelings
to complex reflection, Affirmation and Reassurance to affirm and reassure, Providing
Suggestions to advice with or without permission, Information to give information,
Self-disclosure to self-disclosure). On ESConv rows every other code is unknown and left
out of the loss, not taken as a negative. ESConv is peer support in text chat, not
psychotherapy; its strategies are not MITI codes, only near them.

## ESConv test dialogues
{table}

Per-code figures on the ESConv dialogues held out by dialogue (seeded draw of 20%, none
of them in training), and on the project's corpus test sessions above. See
docs/VALIDATION.md (`scripts/validate_microskills.py`) for these beside a TF-IDF + logistic
regression baseline and for the dialogues the authors set aside as failed.
"""


def _table(summary: dict) -> str:
    lines = ["| code | support | precision | recall | F1 | AUC |", "|---|---|---|---|---|---|"]
    for code, row in summary.get("per_code", {}).items():
        auc = "-" if row.get("auc") is None else f"{row['auc']:.2f}"
        lines.append(
            f"| {code} | {row['support']} | {row['precision']:.2f} | {row['recall']:.2f} "
            f"| {row['f1']:.2f} | {auc} |"
        )
    return "\n".join(lines)


def write_card(name: str) -> None:
    directory = SHIPPED / name
    info = ModelInfo.model_validate_json((directory / MODEL_FILE).read_text(encoding="utf-8"))
    extra = EXTRA
    if name == "esconv":
        share = f"{float(info.training.get('esconv_share', 1.0)):.0%}"
        table = _table(info.metrics.get("esconv_test", {}))
        extra = ESCONV_EXTRA.format(table=table, share=share) + EXTRA
    if "hardware" in info.training:
        extra += (
            f"\n## How it was trained\n{info.training['settings']}; {info.training['hardware']}.\n"
        )
    (directory / CARD_FILE).write_text(model_card(info, MODELS[name][1], extra), "utf-8")


def training_data(
    name: str, codebook: str | None = None, esconv_share: float = 1.0, dialogues: Path = DIALOGUES
):
    """The project's corpus, plus ESConv's coded supporter messages for `esconv`."""
    book = load_codebook(codebook)
    data = read_coded_utterances(CORPUS, book.ids)
    data.path = Path(CORPUS_NAME)
    if name == "esconv":
        esconv, counts = esconv_coded(dialogues, book.ids)
        print(f"ESConv: {counts}")
        esconv = keep_training_share(esconv, esconv_share)
        print(f"ESConv training dialogues kept: {esconv_share:.0%}, {len(esconv.labels)} rows")
        data = concat_coded([data, esconv], path=Path(f"{CORPUS_NAME} + {ESCONV_NAME}"))
    return book, data


def progress_lines(label: str, total: int):
    """A progress callback that prints a line every 5% (the logs say how far it got)."""
    done, started, step = [0], time.perf_counter(), max(total // 20, 1)

    def advance(n: int) -> None:
        before, done[0] = done[0], done[0] + n
        if done[0] // step > before // step:
            rate = done[0] / (time.perf_counter() - started)
            print(f"{label}: {done[0]}/{total} ({rate:.1f}/s)", flush=True)

    return advance


def test_metrics(name: str, model, test) -> dict:
    """model.json's figures: the project's test sessions, and ESConv's test dialogues."""
    probs = model.predict_proba(test.inputs)
    project = np.flatnonzero(~np.char.startswith(test.sessions.astype(str), "esconv_"))
    part = test.subset(project)
    summary = summarize(part.labels, probs[project], part.codes, known=part.known)
    metrics = {"split": "test", **summary}
    if name == "esconv":
        rows = np.flatnonzero(np.char.startswith(test.sessions.astype(str), "esconv_"))
        esconv = test.subset(rows)
        summary = summarize(esconv.labels, probs[rows], esconv.codes, known=esconv.known)
        coded = esconv.mask.any(axis=0)
        summary["per_code"] = {
            c: v for k, (c, v) in enumerate(summary["per_code"].items()) if coded[k]
        }
        metrics["esconv_test"] = summary
    return metrics


def train(name: str, args: argparse.Namespace) -> None:
    backend, _ = MODELS[name]
    book, data = training_data(name, args.codebook, args.esconv_share, args.dialogues)
    lora: dict[str, object] = {}
    if args.lora_layers:
        lora["layers_to_transform"] = args.lora_layers
    if args.lora_r:
        lora.update(r=args.lora_r, lora_alpha=2 * args.lora_r)
    if args.lora_modules:
        lora["target_modules"] = args.lora_modules
    started = time.perf_counter()
    model, test = train_classifier(
        data,
        backend=backend,
        codebook_version=book.version,
        base=args.base,
        seed=0,
        log=print,
        epochs=args.epochs,
        max_length=args.max_length,
        lora=lora or None,
        batch_size=args.batch_size,
        encoder_lr=args.encoder_lr,
        progress=progress_lines,
    )
    model.info.training["data"] = str(data.path)
    model.info.training["seconds"] = round(time.perf_counter() - started)
    if name == "esconv":
        model.info.training["esconv_share"] = args.esconv_share
    model.info.metrics = test_metrics(name, model, test)
    target = args.out / name
    shutil.rmtree(target, ignore_errors=True)
    model.save(target)
    if args.out == SHIPPED:
        write_card(name)
    print(f"{name}: macro-F1 {model.info.metrics['macro_f1']} -> {target}")


def rescore(name: str, args: argparse.Namespace) -> None:
    """Recompute a shipped model's test figures here, with the packaged base encoder (for
    a model trained elsewhere, e.g. on a GPU with the base's weights carried as fp16), and
    record the packaged base's name and hash."""
    from transcript_alliance.annotate.classifier import load_classifier
    from transcript_alliance.annotate.classifier.data import train_test_split
    from transcript_alliance.annotate.classifier.encoder import (
        DEFAULT_BASE,
        resolve_base,
        sha256_of,
    )

    directory = SHIPPED / name
    path = directory / MODEL_FILE
    raw = json.loads(path.read_text(encoding="utf-8"))
    _, base_dir = resolve_base(None)
    raw["base_model"]["name"] = DEFAULT_BASE
    raw["base_model"]["sha256"] = sha256_of(base_dir / "model.safetensors")
    path.write_text(json.dumps(raw, indent=2) + "\n", encoding="utf-8")
    _, data = training_data(name, args.codebook, raw["training"].get("esconv_share", 1.0))
    _, test_idx = train_test_split(data, raw["training"]["seed"])
    test = data.subset(test_idx)
    assert sorted(set(test.sessions.tolist())) == raw["training"]["test_sessions"]
    raw["metrics"] = test_metrics(name, load_classifier(directory), test)
    path.write_text(json.dumps(raw, indent=2) + "\n", encoding="utf-8")
    write_card(name)
    print(f"{name}: rescored here, macro-F1 {raw['metrics']['macro_f1']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(MODELS))
    parser.add_argument("--cards-only", action="store_true")
    parser.add_argument("--rescore", action="store_true", help="recompute figures and cards")
    parser.add_argument("--epochs", type=int, help="most epochs (transformer; default 8)")
    parser.add_argument("--max-length", type=int, default=128, help="transformer input tokens")
    parser.add_argument("--batch-size", type=int, default=16, help="utterances per step")
    parser.add_argument("--encoder-lr", type=float, help="the encoder's peak learning rate")
    parser.add_argument("--codebook", help="a codebook file (development only)")
    parser.add_argument(
        "--esconv-share", type=float, default=1.0, help="share of ESConv training dialogues"
    )
    parser.add_argument(
        "--lora-layers", type=int, nargs="+", help="adapters in these encoder layers only"
    )
    parser.add_argument("--lora-r", type=int, help="adapter rank (alpha twice that)")
    parser.add_argument("--lora-modules", nargs="+", help="modules given adapters")
    parser.add_argument("--base", help="a local base encoder folder (default: the packaged one)")
    parser.add_argument("--dialogues", type=Path, default=DIALOGUES, help="ESConv's dialogues")
    parser.add_argument("--out", type=Path, default=SHIPPED, help="where the models go")
    args = parser.parse_args()
    for name in [args.only] if args.only else list(MODELS):
        if args.cards_only:
            write_card(name)
        elif args.rescore:
            rescore(name, args)
        else:
            train(name, args)


if __name__ == "__main__":
    main()
