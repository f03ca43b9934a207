"""Batch `code` end to end: overhead against the raw components, 2 workers against 1, and
peak memory at two corpus sizes. Printed as ratios measured in one run.

    python bench/bench_batch.py --sessions 16 --words 2000 --memory 50 500 --memory-words 600

- overhead: `code` (1 worker, markers + the default classifier) against the same text
  through the marker pipeline (`nlp.pipe`, same components) plus the classifier's
  batched inference, in this process;
- workers: `code --workers 2` against `--workers 1` (wall-clock, each in a subprocess;
  `--scaling-sessions N` adds a cold, fast-classifier comparison, best of `--repeats`,
  beside the machine's own ceiling: a pure-Python loop in 2 processes against 1);
- scoring: the `default` classifier on the corpus one session at a time (as each worker
  scores its files) against all sessions at once (the raw side of the overhead), in this
  process, alternating, best of `--repeats`; with the tokens the encoder runs either way,
  packed (as it scores) and padded in sorted batches of 32 (as it scored before packing);
- memory: peak resident memory of `code` (a subprocess, `fast` classifier) on N and M
  sessions of the same size.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import write_corpus

from transcript_alliance import read_session, segment_sessions
from transcript_alliance.annotate.classifier import load_classifier, session_inputs
from transcript_alliance.annotate.classifier.packing import packed_batches
from transcript_alliance.annotate.classifier.transformer import PACKED_TOKENS, PACKED_WIDTH
from transcript_alliance.annotate.markers import marker_pipeline
from transcript_alliance.annotate.markers.annotate import turn_docs

# A wrapper process per run, so each peak is that run's own (RUSAGE_CHILDREN keeps the
# largest child a process has ever waited for).
MEASURE = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=False); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def coding_phase(out: Path) -> float:
    """Seconds from the first file coded to the last (run.json): the steady state, with
    start-up (imports, models, the first file) and the final assembly left out."""
    timings = json.loads((out / "run.json").read_text())["timings"]
    return timings["last_file_done_s"] - timings["first_file_done_s"]


def run_code(corpus: Path, out: Path, *extra: str) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one `code` run in a fresh process."""
    command = [
        sys.executable,
        "-m",
        "transcript_alliance",
        "code",
        str(corpus),
        "--out",
        str(out),
        "--quiet",
        *extra,
    ]
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - start
    return seconds, int(done.stdout.strip().splitlines()[-1])


def raw_components(corpus: Path, with_matcher: bool = True) -> float:
    """The same text through the marker pipeline (`nlp.pipe`, the same components, the
    `alliance_markers` matcher included unless `with_matcher` is False: its own cost is
    issue 3's benchmark) and the classifier's batched inference, nothing else."""
    nlp = marker_pipeline()
    classifier = load_classifier("default")
    sessions = segment_sessions(read_session(p) for p in sorted(corpus.iterdir()))
    start = time.perf_counter()
    with nlp.select_pipes(disable=[] if with_matcher else ["alliance_markers"]):
        for _ in nlp.pipe((doc for doc, _ in turn_docs(nlp, sessions)), batch_size=256):
            pass
    classifier.predict_proba(session_inputs(sessions))
    return time.perf_counter() - start


def warm_code(corpus: Path, out: Path) -> float:
    """`code` in this process with its tools already loaded: the steady state of a long
    run, where start-up is paid once."""
    import transcript_alliance as ta
    from transcript_alliance.nlp import sentence_pipeline
    from transcript_alliance.run.pipeline import Pipeline

    Pipeline().load()
    sentence_pipeline()  # segmentation's, loaded with the rest in a worker (cached)
    start = time.perf_counter()
    ta.code([corpus], out, workers=1)
    return time.perf_counter() - start


def overhead(corpus: Path, tmp: Path, args) -> float:
    """Warm `code` against the raw components, alternating, best of `--repeats` each (the
    machine's slow spells otherwise land on one side: x1.16 and x1.21 in single runs)."""
    raws, warms = [], []
    for repeat in range(args.repeats):
        raws.append(raw_components(corpus))
        warms.append(warm_code(corpus, tmp / f"warm{repeat}"))
        print(
            f"  run {repeat + 1}: warm code {warms[-1]:.1f} s, raw {raws[-1]:.1f} s: "
            f"x{warms[-1] / raws[-1]:.2f}"
        )
    raw, warm = min(raws), min(warms)
    bare = raw_components(corpus, with_matcher=False)
    print(
        f"warm, in-process code (tools loaded), best of {args.repeats}: {warm:.1f} s against "
        f"raw {raw:.1f} s: overhead x{warm / raw:.2f} (against the components without the "
        f"matcher, one run, {bare:.1f} s: x{warm / bare:.2f})"
    )
    return raw


def workers(corpus: Path, tmp: Path, args, words: int, raw: float) -> None:
    one, _ = run_code(corpus, tmp / "w1", "--workers", "1")
    two, _ = run_code(corpus, tmp / "w2", "--workers", "2")
    print(f"{args.sessions} sessions x ~{args.words} words (markers + default classifier)")
    print(
        f"raw components {raw:.1f} s ({words / raw:,.0f} words/s); code, 1 worker "
        f"{one:.1f} s ({words / one:,.0f} words/s; includes start-up and model "
        f"loading); overhead x{one / raw:.2f}"
    )
    steady = coding_phase(tmp / "w1") / coding_phase(tmp / "w2")
    print(
        f"code, 2 workers {two:.1f} s: speed-up x{one / two:.2f}; first to last file "
        f"coded: x{steady:.2f} (the encoder already uses both cores with 1 worker)"
    )
    fast = ("--classifier", "fast")
    one_fast, _ = run_code(corpus, tmp / "f1", "--workers", "1", *fast)
    two_fast, _ = run_code(corpus, tmp / "f2", "--workers", "2", *fast)
    steady = coding_phase(tmp / "f1") / coding_phase(tmp / "f2")
    print(
        f"with the fast classifier: 1 worker {one_fast:.1f} s, 2 workers {two_fast:.1f} s:"
        f" speed-up x{one_fast / two_fast:.2f}; first to last file coded: "
        f"x{steady:.2f}"
    )


def scoring(corpus: Path, args) -> None:
    """What scoring one session at a time costs against scoring the whole corpus at once.
    Padded batches of a session's sorted utterances carry more padding than the corpus's
    (fewer utterances of each length to fill them); packed rows fill either way."""
    classifier = load_classifier("default")
    sessions = segment_sessions(read_session(p) for p in sorted(corpus.iterdir()))
    each = [session_inputs([session]) for session in sessions]
    pooled = session_inputs(sessions)
    lengths = [[len(e["input_ids"]) for e in classifier.scorer.encode(x)] for x in each]
    times: dict[str, list[float]] = {"one session at a time": [], "all at once": []}
    for repeat in range(args.repeats):
        for name in list(times)[:: 1 if repeat % 2 == 0 else -1]:  # alternating
            start = time.perf_counter()
            for inputs in each if name != "all at once" else [pooled]:
                classifier.predict_proba(inputs)
            times[name].append(time.perf_counter() - start)
    apart, together = (min(t) for t in times.values())
    everything = [n for session in lengths for n in session]
    packed = sum(_packed(n) for n in lengths) / _packed(everything)
    padded = sum(_padded(n) for n in lengths) / _padded(everything)
    print(
        f"classifier, {len(sessions)} sessions, best of {args.repeats}: one session at a "
        f"time {apart:.1f} s, all at once {together:.1f} s: x{apart / together:.2f} "
        f"(tokens run: packed x{packed:.3f}, {sum(everything) / _packed(everything):.1%} "
        f"of them real; padded batches of 32 x{padded:.2f})"
    )


def _packed(lengths: list[int], max_length: int = 128) -> int:
    """Tokens the encoder runs for these inputs in packed rows, as `scores` packs them
    (the default model's maximum length is 128)."""
    batches = packed_batches(lengths, max_length, PACKED_WIDTH, PACKED_TOKENS)
    return sum(len(b) * max(sum(lengths[i] for i in row) for row in b) for b in batches)


def _padded(lengths: list[int], batch_size: int = 32) -> int:
    """Tokens the encoder runs for these inputs, sorted and in padded batches."""
    ordered = np.sort(lengths)
    return sum(
        len(b) * b.max() for b in np.split(ordered, range(batch_size, len(ordered), batch_size))
    )


# A fixed pure-Python loop: what two processes get from this machine's two cores at the
# moment, with nothing of the toolkit in it (it has swung between x1.4 and x2.2 here).
SPIN = "s = 0\nfor i in range(20_000_000):\n    s += i * i % 7"


def ceiling() -> tuple[float, float]:
    """Seconds for the loop run twice one after the other, and twice side by side."""
    start = time.perf_counter()
    for _ in range(2):
        subprocess.run([sys.executable, "-c", SPIN], check=True)
    serial = time.perf_counter() - start
    start = time.perf_counter()
    pair = [subprocess.Popen([sys.executable, "-c", SPIN]) for _ in range(2)]
    for process in pair:
        process.wait()
    return serial, time.perf_counter() - start


def scaling(tmp: Path, args) -> None:
    """1 worker against 2 (fast classifier), cold, alternating; best of `--repeats` per
    side, since this machine has slow spells that a single pair of runs can land in."""
    big = tmp / "scaling"
    write_corpus(big, args.scaling_sessions, args.words, seed=7)
    fast = ("--classifier", "fast")
    times: dict[int, list[float]] = {1: [], 2: []}
    steady: dict[int, list[float]] = {1: [], 2: []}
    spins: dict[int, list[float]] = {1: [], 2: []}
    for repeat in range(args.repeats):
        serial, side_by_side = ceiling()
        spins[1].append(serial)
        spins[2].append(side_by_side)
        for workers in (1, 2):
            out = tmp / f"s{workers}-{repeat}"
            seconds, _ = run_code(big, out, "--workers", str(workers), *fast)
            times[workers].append(seconds)
            steady[workers].append(coding_phase(out))
        print(
            f"  run {repeat + 1}: 1 worker {times[1][-1]:.1f} s, 2 workers "
            f"{times[2][-1]:.1f} s: x{times[1][-1] / times[2][-1]:.2f} (machine ceiling "
            f"just before: x{serial / side_by_side:.2f})"
        )
    print(
        f"scaling, {args.scaling_sessions} sessions x ~{args.words} words, fast classifier,"
        f" best of {args.repeats}: 1 worker {min(times[1]):.1f} s, 2 workers "
        f"{min(times[2]):.1f} s: x{min(times[1]) / min(times[2]):.2f}; first to last file "
        f"coded: x{min(steady[1]) / min(steady[2]):.2f}; machine ceiling (a pure-Python "
        f"loop, 2 processes against 1, best of {args.repeats}): "
        f"x{min(spins[1]) / min(spins[2]):.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=16)
    parser.add_argument("--words", type=int, default=2000)
    parser.add_argument("--memory", type=int, nargs=2, default=[50, 500])
    parser.add_argument("--memory-words", type=int, default=600)
    parser.add_argument(
        "--scaling-sessions",
        type=int,
        default=0,
        help="also time 1 vs 2 workers (fast classifier) on this many sessions "
        "of --words, where start-up weighs less",
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=3,
        help="alternating runs of each side (scaling, overhead, scoring); best kept",
    )
    parser.add_argument(
        "--skip", nargs="*", default=[], choices=["overhead", "workers", "scoring", "memory"]
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = tmp / "corpus"
        write_corpus(corpus, args.sessions, args.words)
        words = args.sessions * args.words
        if args.scaling_sessions:
            scaling(tmp, args)
        if "overhead" not in args.skip:
            raw = overhead(corpus, tmp, args)
            if "workers" not in args.skip:
                workers(corpus, tmp, args, words, raw)
        if "scoring" not in args.skip:
            scoring(corpus, args)
        if "memory" in args.skip:
            return
        peaks = []
        for n in args.memory:
            small = tmp / f"mem{n}"
            write_corpus(small, n, args.memory_words, seed=n)
            seconds, peak = run_code(small, tmp / f"m{n}", "--workers", "1", "--classifier", "fast")
            peaks.append(peak)
            print(
                f"memory: {n} sessions x ~{args.memory_words} words: {seconds:.0f} s, peak "
                f"RSS {peak / 1024:,.0f} MiB"
            )
        print(
            f"peak memory {args.memory[1]} vs {args.memory[0]} sessions: x{peaks[1] / peaks[0]:.2f}"
        )


if __name__ == "__main__":
    main()
