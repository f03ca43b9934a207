"""Read + segment throughput against the raw spaCy sentence pipeline on the same text, in
the same process: the toolkit's overhead (readers, roles, events, offsets, tables) as a
ratio. Not a test; run it and copy the figures into docs/PERFORMANCE.md.

    python bench/bench_segment.py --sessions 20 --words 8000
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import write_corpus

from transcript_alliance import read_session, segment_sessions, utterance_table
from transcript_alliance.nlp import sentence_pipeline
from transcript_alliance.segment.utterances import _blank_events, find_events


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--words", type=int, default=8000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    nlp = sentence_pipeline()
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_corpus(Path(tmp), args.sessions, args.words)
        sessions = [read_session(p) for p in paths]
        texts = [_blank_events(t.text, find_events(t.text)) for s in sessions for t in s.turns]
        words = sum(len(t.split()) for t in texts)
        raw, toolkit = [], []
        for _ in range(args.repeats):
            start = time.perf_counter()
            for doc in nlp.pipe(texts, batch_size=256):
                list(doc.sents)
            raw.append(time.perf_counter() - start)
            start = time.perf_counter()
            done = segment_sessions(read_session(p) for p in paths)
            utterance_table(done)
            toolkit.append(time.perf_counter() - start)
    raw_s, toolkit_s = min(raw), min(toolkit)
    print(
        f"machine: {platform.processor() or platform.machine()}, python {platform.python_version()}"
    )
    print(f"corpus: {args.sessions} sessions, {words:,} words (best of {args.repeats})")
    print(f"raw spaCy senter nlp.pipe:        {words / raw_s:>10,.0f} words/s")
    print(f"read + segment + table (toolkit): {words / toolkit_s:>10,.0f} words/s")
    print(f"toolkit time / raw time:          {toolkit_s / raw_s:>10.2f}")


if __name__ == "__main__":
    main()
