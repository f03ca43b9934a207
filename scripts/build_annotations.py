"""Build the project's annotated utterance corpus from its hand-written fragment bank.

The fragments (data/annotations/fragments_*.txt) were written and coded by the project
team following docs/ANNOTATION.md. This script assembles them into sessions, fills the
{slots} from data/annotations/slots.yaml and writes data/annotations/utterances.csv.
Every fifth fragment of each code is reserved for the held-out split, so held-out
sessions test phrasings the training sessions never contain. Reflections come from
fragments_pairs.txt with the client turn they reflect, placed just before them, so a
reflection's previous turn is the one it mirrors.

    python scripts/build_annotations.py            # rewrites data/annotations/utterances.csv
"""

from __future__ import annotations

import argparse
import csv
import random
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent.parent / "data" / "annotations"
MODALITIES = ("cbt", "pdt", "mi", "couples")
OPENING_SENSITIVE = {
    "affirmation",
    "hedged_agreement",
    "explicit_agreement",
    "disagreement",
    "withdrawal",
    "goal_consensus",
}
PROPER = {"Sam", "Alex", "Chris", "Jamie", "Dana", "Pat", "Robin", "Morgan", "Lee", "Casey"}
FILLERS = ("Um, ", "So, ", "I mean, ", "Well, ", "You know, ", "And ")


REFLECTIONS = ("simple_reflection", "complex_reflection")


@dataclass(frozen=True)
class Pair:
    """A client turn and its simple and complex reflections."""

    modality: str
    client_codes: tuple[str, ...]
    client: str
    simple: str
    complex: str
    heldout: bool


@dataclass(frozen=True)
class Fragment:
    role: str
    modality: str
    codes: tuple[str, ...]
    text: str
    heldout: bool


def read_bank(path: Path, role: str) -> list[Fragment]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        modality, codes, text = (part.strip() for part in line.split("|", 2))
        parsed = tuple(c for c in codes.split(";") if c and c != "-")
        rows.append((modality, parsed, text))
    # Every fifth fragment of each primary code (or of the uncoded ones) is held out.
    seen: Counter[str] = Counter()
    fragments = []
    for modality, codes, text in rows:
        key = codes[0] if codes else "-"
        fragments.append(Fragment(role, modality, codes, text, seen[key] % 5 == 1))
        seen[key] += 1
    return fragments


def read_pairs(path: Path) -> list[Pair]:
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        modality, codes, client, simple, complex_ = (part.strip() for part in line.split("|", 4))
        parsed = tuple(c for c in codes.split(";") if c and c != "-")
        pairs.append(Pair(modality, parsed, client, simple, complex_, len(pairs) % 5 == 1))
    return pairs


def wants_reflection(
    bank: list[Fragment], modality: str, counts: Counter[str], rng: random.Random
) -> str | None:
    """Whether the next therapist turn is a reflection, weighed like `pick` weighs codes."""
    usable = [f for f in bank if f.modality in ("any", modality)]
    codes = sorted({c for f in usable for c in f.codes} | set(REFLECTIONS))
    weights = [1.0 / (counts[c] + 1) ** 2 for c in codes]
    code = rng.choices(codes, weights)[0]
    return code if code in REFLECTIONS else None


def fill(text: str, slots: dict[str, list[str]], rng: random.Random) -> str:
    text = re.sub(r"\{(\w+)\}", lambda m: rng.choice(slots[m.group(1)]), text)
    return text[0].upper() + text[1:]


def disfluent(text: str, codes: tuple[str, ...], rng: random.Random) -> str:
    """Spoken openers on some longer utterances, never where the opening word is the code."""
    if OPENING_SENSITIVE & set(codes) or len(text.split()) < 6 or rng.random() > 0.15:
        return text
    first = text.split()[0]
    keep_capital = first == "I" or first.startswith("I'") or first.rstrip(",'s") in PROPER
    return rng.choice(FILLERS) + (text if keep_capital else text[0].lower() + text[1:])


def pick(bank: list[Fragment], modality: str, counts: Counter[str], rng: random.Random) -> Fragment:
    usable = [f for f in bank if f.modality in ("any", modality)]
    if rng.random() < 0.2:
        return rng.choice([f for f in usable if not f.codes])
    codes = sorted({c for f in usable for c in f.codes})
    weights = [1.0 / (counts[c] + 1) ** 2 for c in codes]
    code = rng.choices(codes, weights)[0]
    return rng.choice([f for f in usable if code in f.codes])


def build(sessions: int, turns: int, seed: int) -> list[dict[str, str]]:
    slots = yaml.safe_load((HERE / "slots.yaml").read_text(encoding="utf-8"))
    fragments = read_bank(HERE / "fragments_therapist.txt", "therapist") + read_bank(
        HERE / "fragments_client.txt", "client"
    )
    pairs = read_pairs(HERE / "fragments_pairs.txt")
    rng = random.Random(seed)
    rows = []
    counts = {"train": Counter(), "test": Counter()}
    for number in range(sessions):
        split = "test" if number % 5 == 4 else "train"
        modality = MODALITIES[number % len(MODALITIES)]
        session_id = f"ann_{modality}_{number + 1:03d}"
        pending: tuple[str, tuple[str, ...]] | None = None  # the reflection due next turn
        for turn in range(turns):
            role = "therapist" if turn % 2 == 0 else "client"
            bank = [f for f in fragments if f.role == role and f.heldout == (split == "test")]
            if pending is not None:
                text, codes = pending
                pending = None
            else:
                reflection = None
                if role == "client" and turn + 1 < turns:
                    therapist = [
                        f
                        for f in fragments
                        if f.role == "therapist" and f.heldout == (split == "test")
                    ]
                    reflection = wants_reflection(therapist, modality, counts[split], rng)
                if reflection is not None:
                    usable = [
                        p
                        for p in pairs
                        if p.modality in ("any", modality) and p.heldout == (split == "test")
                    ]
                    pair = rng.choice(usable)
                    text, codes = pair.client, pair.client_codes
                    mirror = pair.simple if reflection == REFLECTIONS[0] else pair.complex
                    pending = (mirror, (reflection,))
                else:
                    fragment = pick(bank, modality, counts[split], rng)
                    text, codes = fragment.text, fragment.codes
            counts[split].update(codes)
            text = disfluent(fill(text, slots, rng), codes, rng)
            rows.append(
                {
                    "session_id": session_id,
                    "modality": modality,
                    "split": split,
                    "turn": str(turn),
                    "role": role,
                    "text": text,
                    "codes": ";".join(codes),
                }
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=240)
    parser.add_argument("--turns", type=int, default=24)
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--out", type=Path, default=HERE / "utterances.csv")
    args = parser.parse_args()
    rows = build(args.sessions, args.turns, args.seed)
    with args.out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    totals = Counter(c for row in rows for c in row["codes"].split(";") if c)
    print(f"{len(rows)} utterances in {args.sessions} sessions -> {args.out}")
    for code, n in sorted(totals.items(), key=lambda kv: kv[1]):
        print(f"  {code:20s} {n}")


if __name__ == "__main__":
    main()
