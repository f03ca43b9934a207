"""Train the de-identification NER model on the planted transcripts, or measure it by
leaving sets out.

    python scripts/train_deid_ner.py --out transcript_alliance/deid/models/names_lower
    python scripts/train_deid_ner.py --folds 6 7 8 9 10 [--show]

Training examples are the turns of data/deid/planted/ (tags -> character spans, the
text without tags): each file as written and, for files with capitals, a lower-cased copy
without sentence punctuation (`evaluate_deid.lowered`); with `--swaps N`, N more copies
of every turn that holds a name, place or organisation, those values swapped for others
of the same kind (first names and surnames from the census lists the toolkit ships,
places from its gazetteer, organisations and places said in the other training files).
PERSON becomes PERSON, ORGANIZATION ORG, LOCATION GPE; the tokens of other planted kinds
(dates, addresses, numbers) are left unannotated, so the model is neither taught nor
untaught them. The model starts from the toolkit's spaCy pipeline's entity recognizer
(its own tok2vec) and is fine-tuned, seeded, on the CPU.

`--folds` leaves each named set out in turn (the sets of `evaluate_deid.SETS`: 6 is the
sixth held-out set, files 34-38, and so on), trains on all other files, and scores on the
set left out (a) the rules alone and (b) the rules with the fold's model, in one run.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from evaluate_deid import PLANTED, SETS, lowered

from transcript_alliance.deid.cased import is_lower_case
from transcript_alliance.deid.evaluation import _planted_file, evaluate
from transcript_alliance.deid.learned import using

LABELS = {"PERSON": "PERSON", "ORGANIZATION": "ORG", "LOCATION": "GPE"}
_TITLES = {"dr", "doctor", "mr", "mrs", "ms", "miss", "coach", "pastor", "officer", "nurse"}
ORDINALS = ["sixth", "seventh", "eighth", "ninth", "tenth", "eleventh"]


@dataclass
class Turn:
    """One training text: the turn without tags and its planted identifiers."""

    text: str
    spans: list[tuple[int, int, str]] = field(default_factory=list)  # planted kind


def set_files(number: int, files: list[Path]) -> list[Path]:
    """The files of held-out set `number` (6-11) among `files`.

    Parameters
    ----------
    number : int
        6 for the sixth held-out set, ..., 11 for the eleventh.
    files : list of Path
        Planted files.

    Returns
    -------
    list of Path

    Raises
    ------
    KeyError
        No such set.
    """
    ordinal = ORDINALS[number - 6] if 6 <= number <= 11 else str(number)
    (name,) = [n for n in SETS if n.startswith(f"{ordinal} held-out set")] or [None]
    if name is None:
        raise KeyError(f"no held-out set {number}")
    return [f for f in files if f.name[:2] in SETS[name]]


def folds(files: list[Path], numbers: list[int]) -> list[tuple[int, list[Path], list[Path]]]:
    """Leave-sets-out folds: for each set number, (number, training files, test files).

    Parameters
    ----------
    files : list of Path
        All planted files.
    numbers : list of int
        Held-out set numbers (6-10).

    Returns
    -------
    list of (int, list of Path, list of Path)
        Training and test files never overlap; together they are `files`.
    """
    out = []
    for n in numbers:
        test = set_files(n, files)
        out.append((n, [f for f in files if f not in test], test))
    return out


def read_turns(files: list[Path], folder: Path) -> list[Turn]:
    """The turns of planted files as written, and of lower-cased copies of those with
    capitals (written into `folder`)."""
    turns = []
    cased = []
    for path in files:
        _, bodies, _ = _planted_file(path)
        for _, body, planted in bodies:
            turns.append(Turn(body, [(p.start, p.end, p.kind) for p in planted]))
        if not all(is_lower_case(body) for _, body, _ in bodies):
            cased.append(path)
    for path in lowered(cased, folder):
        _, bodies, _ = _planted_file(path)
        for _, body, planted in bodies:
            turns.append(Turn(body, [(p.start, p.end, p.kind) for p in planted]))
    return turns


def _styled(value: str, like: str) -> str:
    """`value` written in the case of `like` (lower, capitals, or capitalised words)."""
    if like.islower():
        return value.lower()
    if like.isupper():
        return value.upper()
    return " ".join(w.capitalize() for w in value.split())


def pools(turns: list[Turn]) -> dict[str, list[str]]:
    """Values to swap in, lower case: census first names and surnames, gazetteer towns of
    50,000 people or more, and the places and organisations said in `turns`."""
    from transcript_alliance.deid.lexicon import name_lists
    from transcript_alliance.deid.spoken import place_names

    lists = name_lists()
    said = {"LOCATION": set(), "ORGANIZATION": set()}
    for t in turns:
        for start, end, kind in t.spans:
            if kind in said:
                said[kind].add(t.text[start:end].lower())
    towns = {n for n, people in place_names().items() if people >= 50_000 and n.isascii()}
    return {
        "first": sorted(lists.common_first),
        "last": sorted(lists.common_last),
        "LOCATION": sorted(said["LOCATION"]),
        "towns": sorted(towns),
        "ORGANIZATION": sorted(said["ORGANIZATION"]),
    }


def swapped(turn: Turn, values: dict[str, list[str]], rng: random.Random) -> Turn | None:
    """A copy of `turn` with each person, place and organisation swapped for another of the
    same kind (the same value for the same original); None where it has none."""
    named = [s for s in turn.spans if s[2] in LABELS]
    if not named:
        return None
    chosen: dict[str, str] = {}
    text, spans, shift, cursor = [], [], 0, 0
    for start, end, kind in sorted(turn.spans):
        said = turn.text[start:end]
        new = said
        if kind in LABELS:
            key = said.casefold()
            if key not in chosen:
                if kind == "PERSON":
                    words = said.split()
                    if words[0].casefold().rstrip(".") in _TITLES:
                        names = [words[0], rng.choice(values["last"])]
                    elif len(words) == 1:
                        names = [rng.choice(values["first"])]
                    else:
                        names = [rng.choice(values["first"]), rng.choice(values["last"])]
                    chosen[key] = " ".join(names)
                elif kind == "LOCATION" and rng.random() < 0.5:
                    chosen[key] = rng.choice(values["towns"])
                else:
                    chosen[key] = rng.choice(values[kind])
            new = _styled(chosen[key], said)
        text.append(turn.text[cursor:start] + new)
        spans.append((start + shift, start + shift + len(new), kind))
        shift += len(new) - (end - start)
        cursor = end
    text.append(turn.text[cursor:])
    return Turn("".join(text), spans)


def examples(nlp, turns: list[Turn]) -> list:
    """spaCy Examples: named kinds as entities, other planted kinds left unannotated."""
    from spacy.training import Example, offsets_to_biluo_tags

    out = []
    for t in turns:
        doc = nlp.make_doc(t.text)
        ents = [(s, e, LABELS[k]) for s, e, k in t.spans if k in LABELS]
        tags = offsets_to_biluo_tags(doc, ents)
        for s, e, k in t.spans:
            if k not in LABELS:
                for token in doc:
                    if token.idx < e and s < token.idx + len(token):
                        tags[token.i] = "-"
        out.append(Example.from_dict(doc, {"entities": tags}))
    return out


def train(
    files: list[Path],
    out: Path,
    epochs: int = 6,
    swaps: int = 1,
    seed: int = 0,
    quiet: bool = False,
) -> Path:
    """Fine-tune the toolkit's spaCy entity recognizer on planted files; save it to `out`.

    Parameters
    ----------
    files : list of Path
        Planted transcripts to learn from.
    out : Path
        The model folder written.
    epochs : int
        Passes over the examples.
    swaps : int
        Swapped copies of each turn that names someone or something (see `swapped`).
    seed : int
        Seeds Python's and spaCy's random numbers.
    quiet : bool
        No progress lines.

    Returns
    -------
    Path
        `out`.
    """
    import spacy
    from spacy.util import fix_random_seed, minibatch

    from transcript_alliance.nlp import model_name

    warnings.filterwarnings("ignore", message=r".*\[W030\]")  # swaps that cut a token
    fix_random_seed(seed)
    rng = random.Random(seed)
    base = spacy.load(model_name())
    nlp = spacy.load(base.path, exclude=[p for p in base.component_names if p != "ner"])
    with tempfile.TemporaryDirectory() as tmp:
        turns = read_turns(files, Path(tmp))
    values = pools(turns)
    extra = [c for t in turns for _ in range(swaps) if (c := swapped(t, values, rng))]
    data = examples(nlp, turns + extra)
    optimizer = nlp.resume_training()
    started = time.perf_counter()
    for epoch in range(epochs):
        rng.shuffle(data)
        losses: dict[str, float] = {}
        for batch in minibatch(data, size=32):
            nlp.update(batch, drop=0.2, sgd=optimizer, losses=losses)
        if not quiet:
            print(
                f"epoch {epoch + 1}: loss {losses.get('ner', 0):.1f} "
                f"({time.perf_counter() - started:.0f} s, {len(data)} examples)",
                flush=True,
            )
    nlp.meta = {
        "lang": "en",
        "name": "deid_names_lower",
        "version": "0.1.0",
        "spacy_version": base.meta.get("spacy_version", ""),
        "description": "transcript_alliance de-identification NER: the entity recognizer of "
        f"{base.meta['lang']}_{base.meta['name']} {base.meta['version']} fine-tuned on the "
        "project's planted transcripts only (scripts/train_deid_ner.py)",
        "license": base.meta.get("license", ""),
        "sources": [
            {"name": f"{base.meta['lang']}_{base.meta['name']}", "version": base.meta["version"]}
        ],
        "training": {"epochs": epochs, "swaps": swaps, "seed": seed, "files": len(files)},
    }
    out.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)
    return out


def _row(name: str, ev) -> str:
    return (
        f"| {name} | {len(ev.planted)} | {ev.recall():.3f} | {ev.precision:.3f} | "
        f"{ev.recall('PERSON'):.3f} | {ev.recall('ORGANIZATION'):.3f} | "
        f"{ev.recall('LOCATION'):.3f} | {len(ev.false_spans)} |"
    )


def leave_sets_out(
    numbers: list[int],
    epochs: int,
    swaps: int,
    seed: int,
    show: bool,
    models: Path | None = None,
) -> list[tuple[int, object, object]]:
    """Score each held-out set with the rules alone and with the rules and the model
    trained without it; print a table (and with `show`, what changed). With `models`, each
    fold's model is kept in (and, when there, read back from) ``models/fold_N``."""
    files = sorted(PLANTED.glob("*.txt"))
    rows = []
    print("| set | identifiers | recall | precision | PERSON | ORG | LOCATION | false spans |")
    print("|---|---|---|---|---|---|---|---|")
    for number, training, test in folds(files, numbers):
        with using(None):
            rules = evaluate(test)
        with tempfile.TemporaryDirectory() as tmp:
            model = (models or Path(tmp)) / f"fold_{number}"
            if not (model / "config.cfg").is_file():
                train(training, model, epochs, swaps, seed, quiet=True)
            with using(model):
                both = evaluate(test)
        print(_row(f"{number}: rules", rules))
        print(_row(f"{number}: rules + model", both), flush=True)
        rows.append((number, rules, both))
    planted = sum(len(r.planted) for _, r, _ in rows)
    for label, i in (("all: rules", 1), ("all: rules + model", 2)):
        missed = sum(len(r[i].missed) for r in rows)
        false = sum(len(r[i].false_spans) for r in rows)
        spans = sum(r[i].spans for r in rows)
        print(
            f"| {label} | {planted} | {1 - missed / planted:.3f} | {1 - false / spans:.3f} "
            f"| | | | {false} |"
        )
    if show:
        for number, rules, both in rows:
            key = lambda p: (p.file, p.line, p.start)  # noqa: E731
            before = {key(p) for p in rules.missed}
            after = {key(p) for p in both.missed}
            for p in both.missed:
                mark = "still missed" if key(p) in before else "NEW miss"
                print(f"{number} {mark} {p.kind}: {p.file}:{p.line}: {p.text!r}")
            for p in rules.missed:
                if key(p) not in after:
                    print(f"{number} found by model {p.kind}: {p.file}:{p.line}: {p.text!r}")
            old = set(rules.false_spans)
            for f in both.false_spans:
                if f not in old:
                    print(f"{number} new false span ({f[3]}): {f[0]}:{f[1]}: {f[2]!r}")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="train on every planted file, save here")
    parser.add_argument("--folds", type=int, nargs="+", help="held-out sets to leave out")
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--swaps", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--show", action="store_true", help="list misses and new false spans")
    parser.add_argument("--models", type=Path, help="keep (or reuse) each fold's model here")
    args = parser.parse_args()
    if args.folds:
        leave_sets_out(args.folds, args.epochs, args.swaps, args.seed, args.show, args.models)
    elif args.out:
        train(sorted(PLANTED.glob("*.txt")), args.out, args.epochs, args.swaps, args.seed)
    else:
        parser.error("give --out or --folds")


if __name__ == "__main__":
    main()
