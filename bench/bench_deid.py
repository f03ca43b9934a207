"""De-identification speed against the spaCy pass it is built on, in the same run.

    python bench/bench_deid.py [--copies 20] [--repeats 3] [--asr]

Times `pseudonymise_sessions` over the planted transcripts and the sample sessions
(repeated `--copies` times) against the full spaCy pipeline (`nlp.pipe` over the same
turn texts, NER included): the ratio says what Presidio, the patterns and the
pseudonym bookkeeping add on top of the NER pass they need anyway. Best of `--repeats`.
`--asr`: the lower-case, speech-recognition-style planted files (29-58, tags removed)
instead of the sample sessions (mostly cased), where the case-restored and the learned
NER run."""

from __future__ import annotations

import argparse
import copy
import tempfile
import time
from pathlib import Path

import spacy

from transcript_alliance.deid import pseudonymise_sessions
from transcript_alliance.deid.engine import analyzer
from transcript_alliance.nlp import model_name
from transcript_alliance.read import read_session
from transcript_alliance.read.manifest import read_manifest

ROOT = Path(__file__).resolve().parents[1]


def sessions():
    entries = read_manifest(ROOT / "data" / "samples" / "manifest.csv")
    return [read_session(e.path, metadata=e.metadata) for e in entries]


def asr_sessions():
    from transcript_alliance.deid.evaluation import _planted_file

    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in sorted((ROOT / "data" / "deid" / "planted").glob("*.txt")):
            if path.name[:2] >= "29":
                plain = Path(tmp) / path.name
                plain.write_text("\n".join(_planted_file(path)[0]) + "\n", encoding="utf-8")
                out.append(read_session(plain))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--asr", action="store_true", help="the planted ASR-style files 29-58")
    args = parser.parse_args()
    base = (asr_sessions() if args.asr else sessions()) * args.copies
    texts = [t.text for s in base for t in s.turns]
    words = sum(len(t.split()) for t in texts)
    nlp = spacy.load(model_name())
    analyzer()  # loading is not what is timed
    best_nlp = best_deid = float("inf")
    for _ in range(args.repeats):
        start = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=32):
            pass
        best_nlp = min(best_nlp, time.perf_counter() - start)
        work = [copy.deepcopy(s) for s in base]
        start = time.perf_counter()
        pseudonymise_sessions(work)
        best_deid = min(best_deid, time.perf_counter() - start)
    print(f"{len(base)} sessions, {len(texts)} turns, {words} words")
    print(f"spaCy full pipeline: {words / best_nlp:,.0f} words/s")
    print(
        f"pseudonymise_sessions: {words / best_deid:,.0f} words/s "
        f"(x{best_deid / best_nlp:.2f} the spaCy pass)"
    )


if __name__ == "__main__":
    main()
