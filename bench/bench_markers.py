"""Markers + style measures against the spaCy components they run on, in one process: the
same utterances through `nlp.pipe` with the same components, then through the toolkit's
annotation pass (alliance_markers, negation/hedging, role filter, token statistics),
session and window style measures and the marker tables. Printed as a ratio.

    python bench/bench_markers.py --sessions 200 --words 8000
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

from transcript_alliance import read_session, segment_sessions
from transcript_alliance.annotate.markers import annotate_sessions, marker_pipeline
from transcript_alliance.annotate.markers.annotate import turn_docs
from transcript_alliance.annotate.style import session_style, window_style
from transcript_alliance.schema import marker_table, utterance_table

CHUNK = 1  # sessions held at once: one, as `code` streams them


def _components_only(nlp, sessions) -> float:
    """The same turn Docs the toolkit builds, through the same components, nothing else."""
    with nlp.select_pipes(disable=["alliance_markers"]):
        start = time.perf_counter()
        for _ in nlp.pipe((doc for doc, _ in turn_docs(nlp, sessions)), batch_size=256):
            pass
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--words", type=int, default=8000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    nlp = marker_pipeline()
    codes = nlp.get_pipe("alliance_markers").codebook.ids
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_corpus(Path(tmp), args.sessions, args.words)
        sessions = segment_sessions(read_session(p) for p in paths)
    texts = [u.text for s in sessions for u in s.utterances]
    words = sum(len(t.split()) for t in texts)
    chunks = [sessions[i : i + CHUNK] for i in range(0, len(sessions), CHUNK)]
    # Each chunk is timed both ways back to back, repeats times, and keeps its best time
    # each way: this machine has slow spells (the same pure-Python loop takes up to 1.8x
    # its usual time, for a second or so, then recovers), and timing the two sides in
    # alternation, one session at a time, with the best of several tries, keeps a slow
    # spell from landing on one side.
    raw_best = [float("inf")] * len(chunks)
    toolkit_best = [float("inf")] * len(chunks)
    n_markers = 0
    for _ in range(args.repeats):
        n_markers = 0
        for number, chunk in enumerate(chunks):
            raw_best[number] = min(raw_best[number], _components_only(nlp, chunk))
            start = time.perf_counter()
            annotate_sessions(chunk, nlp=nlp)
            for session in chunk:
                session_style(session)
                window_style(session)
            utterance_table(chunk, codes)
            marker_table(chunk)
            toolkit_best[number] = min(toolkit_best[number], time.perf_counter() - start)
            for session in chunk:  # written and dropped in a real run
                for u in session.utterances:
                    n_markers += len(u.markers)
                    u.markers, u.tokens = [], None
    raw, toolkit = sum(raw_best), sum(toolkit_best)
    print(f"machine: {platform.machine()}, python {platform.python_version()}")
    print(
        f"corpus: {args.sessions} sessions, {len(texts):,} utterances, {words:,} words "
        f"(streamed {CHUNK} sessions at a time, best of {args.repeats} per chunk)"
    )
    print(f"components: {', '.join(p for p in nlp.pipe_names if p != 'alliance_markers')}")
    print(f"spaCy components alone:              {words / raw:>9,.0f} words/s")
    print(f"+ markers, style, tables (toolkit):   {words / toolkit:>9,.0f} words/s")
    print(f"markers found: {n_markers:,}")
    print(f"toolkit time / components time:       {toolkit / raw:>9.3f}")


if __name__ == "__main__":
    main()
