"""The batch acceptance check: a synthetic corpus with a share of corrupt files, coded
once uninterrupted and once killed at a random moment then resumed; the outputs must be
identical and every good session present, every bad file listed.

    python bench/check_resume.py --sessions 500 --words 600 --corrupt 0.05
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import write_corpus

TABLES = [
    "sessions.csv",
    "evidence.csv",
    "ruptures.csv",
    "errors.csv",
    "utterances.parquet",
    "markers.parquet",
]


def command(corpus: Path, out: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "transcript_alliance",
        "code",
        str(corpus),
        "--out",
        str(out),
        "--classifier",
        "fast",
        "--resamples",
        "100",
        "--quiet",
        *extra,
    ]


def table(out: Path, name: str) -> pd.DataFrame:
    frame = pd.read_parquet(out / name) if name.endswith(".parquet") else pd.read_csv(out / name)
    if name == "errors.csv":  # the same files, wherever the output folder was
        frame["error"] = frame["error"].str.replace(str(out), "OUT", regex=False)
    return frame


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=500)
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--corrupt", type=float, default=0.05)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = tmp / "corpus"
        write_corpus(corpus, args.sessions, args.words, seed=args.seed, corrupt=args.corrupt)
        workers = ("--workers", str(args.workers))
        start = time.perf_counter()
        whole = subprocess.run(command(corpus, tmp / "whole", *workers), check=False)
        seconds = time.perf_counter() - start
        kill_at = rng.uniform(0.2, 0.8) * seconds
        process = subprocess.Popen(
            command(corpus, tmp / "resumed", *workers), start_new_session=True
        )
        time.sleep(kill_at)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        complete_looking = (tmp / "resumed" / "sessions.csv").exists()
        resumed = subprocess.run(
            command(corpus, tmp / "resumed", *workers, "--resume"), check=False
        )
        same = all(table(tmp / "whole", n).equals(table(tmp / "resumed", n)) for n in TABLES)
        sessions = pd.read_csv(tmp / "whole" / "sessions.csv")
        errors = pd.read_csv(tmp / "whole" / "errors.csv")
        bad = round(args.corrupt * args.sessions)
        print(
            f"{args.sessions} sessions, {bad} corrupted; uninterrupted run {seconds:.0f} s, "
            f"exit {whole.returncode}"
        )
        print(
            f"coded {len(sessions)}, listed as errors {len(errors)}; killed at "
            f"{kill_at:.0f} s (final files present then: {complete_looking}); resumed run "
            f"exit {resumed.returncode}; outputs identical: {same}"
        )


if __name__ == "__main__":
    main()
