"""End-to-end throughput of `code` with the default classifier (issue 21, item 4), in
words per second, beside its floor, all in one run.

    python bench/bench_throughput.py [--sessions 20] [--words 8000]

- `code --workers 1` and `--workers 2`, cold, each in a fresh process (start-up included),
  on a synthetic corpus (bench/corpus.py) whose utterances do not repeat (`--repeating`
  lets them repeat as the samples' recombinations do: the scorer then embeds far fewer);
- the floor: the marker pipeline's `nlp.pipe` over the same turns plus one pass of the
  untuned base encoder over every utterance, warm, in this process;
- what encoding each utterance once saves: the default model's scoring (each distinct
  utterance embedded once, the previous turn read from those embeddings) against the same
  encoder run over (utterance, previous turn) pairs, as the first design did.
"""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import write_corpus

from transcript_alliance import read_session, segment_sessions
from transcript_alliance.annotate.classifier import load_classifier, session_inputs
from transcript_alliance.annotate.markers import marker_pipeline
from transcript_alliance.annotate.markers.annotate import turn_docs


def cold_code(corpus: Path, out: Path, workers: int) -> float:
    """Wall seconds of one `code` run in a fresh process."""
    command = [sys.executable, "-m", "transcript_alliance", "code", str(corpus)]
    command += ["--out", str(out), "--quiet", "--workers", str(workers)]
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--words", type=int, default=8000)
    parser.add_argument("--repeating", action="store_true", help="utterances may repeat")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        write_corpus(corpus, args.sessions, args.words, distinct=not args.repeating)
        sessions = segment_sessions(read_session(p) for p in sorted(corpus.iterdir()))
        inputs = session_inputs(sessions)
        words = sum(len(text.split()) for text in inputs.texts)
        print(
            f"{platform.processor() or platform.machine()}, torch threads {torch.get_num_threads()}"
        )
        distinct = len(set(zip(inputs.roles, inputs.texts)))
        print(
            f"corpus: {len(sessions)} sessions, {len(inputs)} utterances ({distinct} distinct), "
            f"{words} words"
        )
        one = cold_code(corpus, Path(tmp) / "w1", 1)
        two = cold_code(corpus, Path(tmp) / "w2", 2)
        print(f"code, 1 worker, cold:  {one:6.1f} s  {words / one:6.0f} words/s")
        print(
            f"code, 2 workers, cold: {two:6.1f} s  {words / two:6.0f} words/s  (x{one / two:.2f})"
        )

        nlp = marker_pipeline()
        model = load_classifier("default")
        scorer = model.scorer
        spacy_s = timed(
            lambda: [
                None for _ in nlp.pipe((d for d, _ in turn_docs(nlp, sessions)), batch_size=256)
            ]
        )
        units = scorer.tokenize([f"{r}: {t}" for r, t in zip(inputs.roles, inputs.texts)])
        scorer.model.eval()
        with torch.inference_mode():
            encoder_s = timed(lambda: scorer.embed(units))
            pairs = scorer.tokenize(
                [f"{r}: {t}" for r, t in zip(inputs.roles, inputs.texts)], inputs.contexts
            )
            pairs_s = timed(lambda: scorer.embed(pairs))
        scoring_s = timed(lambda: model.predict_proba(inputs))
        floor = spacy_s + encoder_s
        print(
            f"floor: spaCy pass {spacy_s:.1f} s + one encoder pass {encoder_s:.1f} s = "
            f"{floor:.1f} s  {words / floor:6.0f} words/s; code 1 worker at x{one / floor:.2f}"
        )
        tokens = (sum(len(u["input_ids"]) for u in units), sum(len(p["input_ids"]) for p in pairs))
        print(
            f"classifier: scoring once per utterance {scoring_s:.1f} s; the encoder over "
            f"(utterance, previous turn) pairs {pairs_s:.1f} s (x{pairs_s / scoring_s:.2f}); "
            f"tokens {tokens[0]} against {tokens[1]}"
        )


if __name__ == "__main__":
    main()
