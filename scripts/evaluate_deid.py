"""Recall and precision of de-identification on the planted transcripts.

    python scripts/evaluate_deid.py [--show] [FILES...]

Default: every file in data/deid/planted/, reported for the development files (01-06,
11-12: looked at while the patterns were written), the first held-out set (07-10, 13-14:
scored once before the second round of patterns, then looked at), the second held-out set
(15-17: written before the second round, scored once after it, then looked at), and all
together; then issue 19's ASR-style files: development (18-19: looked at while the
rules for lower-case names, spoken digits and e-mails were written) and the third
held-out set (20-25: written and committed before those rules, scored after them), the
fourth (26-28) and the fifth (29-33: no punctuation; written before the place and
organisation rules, scored once after them, then tuned on in the fourth round).
docs/DEIDENTIFICATION.md keeps each set's first score. `--lower` scores files 01-17
lower-cased and without punctuation: ASR-style material the lower-case rules were not
written against."""

from __future__ import annotations

import argparse
import re
import tempfile
from pathlib import Path

from transcript_alliance.deid.evaluation import _LINE, evaluate

PLANTED = Path(__file__).resolve().parent.parent / "data" / "deid" / "planted"
SETS = {
    "development": {"01", "02", "03", "04", "05", "06", "11", "12"},
    "first held-out set": {"07", "08", "09", "10", "13", "14"},
    "second held-out set": {"15", "16", "17"},
    "ASR development (issue 19)": {"18", "19"},
    "third held-out set (issue 19)": {"20", "21", "22", "23", "24", "25"},
    "fourth held-out set (issue 19)": {"26", "27", "28"},
    "fifth held-out set (issue 19, no punctuation)": {"29", "30", "31", "32", "33"},
    "sixth held-out set (issue 19, written apart from the rules)": {"34", "35", "36", "37", "38"},
    "seventh held-out set (issue 19, written apart from the rules)": {"39", "40", "41", "42", "43"},
    "eighth held-out set (issue 19, written apart from the rules)": {"44", "45", "46", "47", "48"},
    "ninth held-out set (issue 19, written apart from the rules)": {"49", "50", "51", "52", "53"},
    "tenth held-out set (issue 19, written apart from the rules)": {"54", "55", "56", "57", "58"},
    "eleventh held-out set (issue 19, written apart from the rules)": {
        f"{n}" for n in range(59, 68)
    },
    "twelfth held-out set (issue 19, written apart from the rules)": {
        f"{n}" for n in range(68, 76)
    },
}


def report(name: str, files: list[Path], show: bool) -> None:
    ev = evaluate(files)
    print(f"## {name}: {len(files)} files, {len(ev.planted)} identifiers")
    print(
        f"recall {ev.recall():.3f}, precision {ev.precision:.3f} ({ev.spans} redacted spans, "
        f"{len(ev.false_spans)} not identifiers); speaker labels naming someone: "
        f"{ev.labels - len(ev.labels_missed)}/{ev.labels} pseudonymised"
    )
    print(f"found but given another kind: {len(ev.wrong_kind)}")
    print("| kind | planted | found | recall | other kind | spans given | precision |")
    print("|---|---|---|---|---|---|---|")
    for row in ev.by_kind():
        print(
            f"| {row['kind']} | {row['planted']} | {row['found']} | {row['recall']:.3f} | "
            f"{row['wrong_kind']} | {row['spans']} | {row['precision']:.3f} |"
        )
    if show:
        for p in ev.missed:
            print(f"missed {p.kind}: {p.file}:{p.line}: {p.text!r}")
        for p, given in ev.wrong_kind:
            print(f"found as {given}: {p.kind} {p.file}:{p.line}: {p.text!r}")
        for file, line, text, kind in ev.false_spans:
            print(f"not an identifier ({kind}): {file}:{line}: {text!r}")
    print()


_TAG = re.compile(r"(\{[A-Z]+:[^{}]+\})")


def lowered(files: list[Path], folder: Path) -> list[Path]:
    """Copies of tidy planted files as a speech recogniser without casing writes them:
    turn text (tags' contents too) in lower case, sentence punctuation dropped; speaker
    labels and tag kinds as they were. A development set for the lower-case rules that
    none of them was written against (files 01-17 were written for cased text)."""
    out = []
    for f in files:
        lines = []
        for raw in f.read_text(encoding="utf-8").splitlines():
            m = _LINE.match(raw)
            if not m:
                lines.append(raw)
                continue
            parts = []
            for part in _TAG.split(m.group(3)):
                if _TAG.fullmatch(part):
                    kind, said = part[1:-1].split(":", 1)
                    parts.append(f"{{{kind}:{said.lower()}}}")
                else:
                    parts.append(re.sub(r"[,.?!;:]+(?=\s|$)", "", part.lower()))
            lines.append(f"{m.group(1) or ''}{m.group(2)}: {''.join(parts)}")
        copy = folder / f"lower_{f.name}"
        copy.write_text("\n".join(lines) + "\n", encoding="utf-8")
        out.append(copy)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--show", action="store_true", help="list misses and false spans")
    parser.add_argument(
        "--set", choices=list(SETS), action="append", help="only these sets (repeatable)"
    )
    parser.add_argument(
        "--lower",
        action="store_true",
        help="score lower-cased, unpunctuated copies of files 01-17 (see `lowered`)",
    )
    args = parser.parse_args()
    if args.lower:
        tidy = [f for f in sorted(PLANTED.glob("*.txt")) if f.name[:2] <= "17"]
        with tempfile.TemporaryDirectory() as tmp:
            report("files 01-17 lower-cased", lowered(tidy, Path(tmp)), args.show)
        return
    if args.files:
        report("given files", args.files, args.show)
        return
    files = sorted(PLANTED.glob("*.txt"))
    for name, numbers in SETS.items():
        if not args.set or name in args.set:
            report(name, [f for f in files if f.name[:2] in numbers], args.show)
    if not args.set:
        report("all", files, False)


if __name__ == "__main__":
    main()
