"""Write a synthetic corpus for benchmarks: N sessions of about W words each, in mixed
formats (txt, csv, vtt, srt, json), made by recombining the utterances of the project's own
fictional samples (data/samples), so every word was written for the project.

    python bench/corpus.py OUT_DIR --sessions 200 --words 8000
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from pathlib import Path

from transcript_alliance import Role, read_session, segment_sessions
from transcript_alliance.read.manifest import read_manifest

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
FORMATS = ["txt", "csv", "vtt", "srt", "json"]


def sample_utterances() -> dict[Role, list[str]]:
    entries = read_manifest(SAMPLES / "manifest.csv")
    sessions = segment_sessions(read_session(e.path, metadata=e.metadata) for e in entries)
    pools: dict[Role, list[str]] = {Role.THERAPIST: [], Role.CLIENT: []}
    for session in sessions:
        for u in session.utterances:
            if u.role in pools:
                pools[u.role].append(u.text)
    return pools


def varied(utterance: str, vocabulary: list[str], rng: random.Random) -> str:
    """The utterance with one word of the samples inserted at a random place inside it, so
    that sentences repeat no more often than in real sessions (a scorer that embeds each
    distinct text once would otherwise be timed on a few hundred texts)."""
    words = utterance.split()
    words.insert(rng.randrange(len(words)), rng.choice(vocabulary))
    return " ".join(words)


def synthetic_turns(
    pools: dict[Role, list[str]], words: int, rng: random.Random, distinct: bool = False
) -> list[tuple]:
    turns, total, t = [], 0, 1.0
    role = Role.THERAPIST
    vocabulary = sorted(
        {w.strip(".,?!").lower() for pool in pools.values() for u in pool for w in u.split()} - {""}
    )
    while total < words:
        chosen = [rng.choice(pools[role]) for _ in range(rng.randint(1, 4))]
        if distinct:
            chosen = [varied(u, vocabulary, rng) for u in chosen]
        text = " ".join(chosen)
        n = len(text.split())
        turns.append(("Therapist" if role is Role.THERAPIST else "Client", text, t, t + n / 2.6))
        t += n / 2.6 + rng.uniform(0.3, 2.0)
        total += n
        role = Role.CLIENT if role is Role.THERAPIST else Role.THERAPIST
    return turns


def _ts(seconds: float, sep: str) -> str:
    h, rem = divmod(seconds, 3600)
    m, s = divmod(rem, 60)
    return f"{int(h):02d}:{int(m):02d}:{int(s):02d}{sep}{int((s % 1) * 1000):03d}"


def write_session(path: Path, fmt: str, turns: list[tuple]) -> Path:
    path = path.with_suffix(f".{fmt}")
    if fmt == "txt":
        path.write_text("".join(f"{spk}: {text}\n" for spk, text, _, _ in turns))
    elif fmt == "csv":
        with path.open("w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["speaker", "start", "end", "text"])
            writer.writerows((spk, round(a, 2), round(b, 2), text) for spk, text, a, b in turns)
    elif fmt == "json":
        segments = [{"speaker": s, "text": x, "start": a, "end": b} for s, x, a, b in turns]
        path.write_text(json.dumps({"segments": segments}))
    else:
        sep = "." if fmt == "vtt" else ","
        cues = [
            f"{i}\n{_ts(a, sep)} --> {_ts(b, sep)}\n"
            + (f"<v {spk}>{text}" if fmt == "vtt" else f"{spk}: {text}")
            for i, (spk, text, a, b) in enumerate(turns, start=1)
        ]
        path.write_text(("WEBVTT\n\n" if fmt == "vtt" else "") + "\n\n".join(cues) + "\n")
    return path


CORRUPTIONS = [
    lambda path: path.write_bytes(b""),  # empty
    lambda path: path.write_bytes(path.read_bytes()[:40] + b"\x00\xff\xfe" * 50),  # cut, binary
    lambda path: path.write_text("no labels, no structure, just words\n" * 3),
]


def write_corpus(
    out: Path,
    sessions: int,
    words: int,
    seed: int = 0,
    corrupt: float = 0.0,
    distinct: bool = False,
) -> list[Path]:
    """`corrupt`: the share of files damaged after writing (emptied, truncated into binary
    noise, or stripped of speaker labels), to exercise a batch's error handling;
    `distinct`: every utterance varied by one inserted word (see `varied`)."""
    rng = random.Random(seed)
    pools = sample_utterances()
    out.mkdir(parents=True, exist_ok=True)
    paths = [
        write_session(
            out / f"s{i:05d}",
            FORMATS[i % len(FORMATS)],
            synthetic_turns(pools, words, rng, distinct),
        )
        for i in range(sessions)
    ]
    for path in rng.sample(paths, round(corrupt * sessions)):
        rng.choice(CORRUPTIONS)(path)
    return paths


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--words", type=int, default=8000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--corrupt", type=float, default=0.0, help="share of damaged files")
    parser.add_argument("--distinct", action="store_true", help="no utterance repeats")
    args = parser.parse_args()
    paths = write_corpus(
        args.out, args.sessions, args.words, args.seed, args.corrupt, args.distinct
    )
    print(f"{len(paths)} sessions written to {args.out}")
