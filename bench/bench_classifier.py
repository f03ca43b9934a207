"""Classifier inference speed: utterances per second for each backend, batched (the
transformer in packed rows) against a naive one-utterance-at-a-time loop, in one run; for
the transformer also padded batches, sorted by length and in file order.

    python bench/bench_classifier.py [--utterances 3840] [--naive 300]
    python bench/bench_classifier.py --widths --sessions 16   # how the encoder is fed
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

import transcript_alliance.annotate.classifier.transformer as transformer
from transcript_alliance import read_session, segment_sessions
from transcript_alliance.annotate.classifier import (
    load_classifier,
    read_coded_utterances,
    session_inputs,
)
from transcript_alliance.annotate.classifier.data import UtteranceInputs
from transcript_alliance.annotate.markers import load_codebook

CORPUS = Path(__file__).resolve().parents[1] / "data" / "annotations" / "utterances.csv"


def rate(n: int, seconds: float) -> float:
    return n / seconds if seconds else float("inf")


def timed(fn, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def unsorted_batches(scorer, inputs: UtteranceInputs, batch_size: int = 32) -> None:
    """The transformer batched in file order: padding to the longest in each batch."""
    for start in range(0, len(inputs), batch_size):
        index = np.arange(start, min(start + batch_size, len(inputs)))
        scorer.scores(inputs.subset(index), batch_size=batch_size, pack=False)


def widths(inputs: UtteranceInputs, sessions: int, words: int, repeats: int) -> None:
    """The default model fed padded batches (sorted by length) against packed rows of
    several widths: on synthetic sessions scored one at a time (as `code` scores) and on
    the annotation corpus at once; alternating, best of `repeats`."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from corpus import write_corpus

    scorer = load_classifier("default").scorer
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_corpus(Path(tmp), sessions, words)
        each = [session_inputs([s]) for s in segment_sessions(read_session(p) for p in paths)]
    feeds = ["padded", 128, 96, 64]
    for label, parts in ((f"{sessions} sessions one at a time", each), ("corpus", [inputs])):
        times: dict[object, list[float]] = {feed: [] for feed in feeds}
        for repeat in range(repeats):
            for feed in feeds[:: 1 if repeat % 2 == 0 else -1]:
                if feed != "padded":
                    transformer.PACKED_WIDTH = feed  # read at each call
                start = time.perf_counter()
                for part in parts:
                    scorer.scores(part, pack=feed != "padded")
                times[feed].append(time.perf_counter() - start)
        best = ", ".join(f"{feed} {min(t):.1f} s" for feed, t in times.items())
        print(f"{label}, best of {repeats}: padded batches of 32 / packed rows of: {best}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--utterances", type=int, default=3840)
    parser.add_argument("--naive", type=int, default=300, help="utterances for the naive loop")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument(
        "--widths", action="store_true", help="padded batches against packed rows of 128, 96, 64"
    )
    parser.add_argument("--sessions", type=int, default=16, help="for --widths")
    parser.add_argument("--words", type=int, default=2000, help="for --widths")
    args = parser.parse_args()
    data = read_coded_utterances(CORPUS, load_codebook().ids)
    reps = -(-args.utterances // len(data.labels))
    index = np.tile(np.arange(len(data.labels)), reps)[: args.utterances]
    inputs = data.inputs.subset(index)
    naive = inputs.subset(np.arange(min(args.naive, len(inputs))))
    if args.widths:
        widths(inputs, args.sessions, args.words, max(args.repeats, 3))
        return
    print(f"{platform.processor() or platform.machine()}, torch threads {torch.get_num_threads()}")
    print(
        f"{len(inputs)} utterances (mean {np.mean([len(t.split()) for t in inputs.texts]):.1f}"
        " words, with the previous turn as context)"
    )
    for name in ("fast", "default"):
        model = load_classifier(name)
        model.predict_proba(naive.subset(np.arange(8)))  # warm-up
        batched = timed(lambda m=model: m.predict_proba(inputs), args.repeats)
        one = timed(
            lambda m=model: [
                m.predict_proba(naive.subset(np.array([i]))) for i in range(len(naive))
            ],
            1,
        )
        fast, slow = rate(len(inputs), batched), rate(len(naive), one)
        line = (
            f"{name:8s} ({model.info.backend}): batched {fast:8.0f} utt/s"
            f" | one at a time {slow:7.0f} utt/s | speed-up x{fast / slow:.1f}"
        )
        if model.info.backend == "transformer":
            padded = timed(lambda m=model: m.scorer.scores(inputs, pack=False), args.repeats)
            plain = timed(lambda m=model: unsorted_batches(m.scorer, inputs), 1)
            line += (
                f" | padded, sorted by length {rate(len(inputs), padded):6.0f} utt/s"
                f" | padded in file order {rate(len(inputs), plain):6.0f} utt/s"
            )
        print(line)


if __name__ == "__main__":
    main()
