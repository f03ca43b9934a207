"""Measuring de-identification on transcripts with planted identifiers.

A planted file is a plain-text transcript (`Label: text`, one turn a line, optional
`[hh:mm:ss]` prefix) whose identifiers are tagged in place: `{PERSON:Anna}`,
`{ADDRESS:17 Old Post Road}`; a label may be tagged too (`{PERSON:Dr. Okafor}: ...`).
An identifier counts as found when every non-space character of it lies inside a
redacted span, whatever kind the span was given; a redacted span that touches no planted
identifier counts against precision. A found identifier is also checked for its kind:
`wrong_kind` lists those whose covering span got another kind (`jordan` as a place).
Each file is taken as one client's session."""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..read import read_session
from .sessions import pseudonymise_sessions

_TAG = re.compile(r"\{([A-Z]+):([^{}]+)\}")
_LINE = re.compile(r"^(\[[^\]]*\]\s*)?(.+?):\s(.*)$")


@dataclass
class Planted:
    """An identifier tagged in a planted transcript (``{PERSON:Anna}``).

    Attributes
    ----------
    file : str
        The file's name.
    line : int
        1-based line.
    kind : str
        The tag's kind (PERSON, ADDRESS, ...).
    text : str
        The identifier as written.
    start, end : int
        Character offsets in the turn's text without tags (end exclusive).
    """

    file: str
    line: int
    kind: str
    text: str
    start: int  # in the turn's text (without tags)
    end: int


@dataclass
class Evaluation:
    """What de-identifying the planted files covered (see the module's docstring).

    Attributes
    ----------
    planted, missed : list of Planted
        Every planted identifier, and those not fully inside a redacted span.
    wrong_kind : list of (Planted, str)
        Found identifiers whose covering span got another kind, with the kind given.
    spans : int
        Redacted spans in all.
    kinds_given : Counter
        Redacted spans by kind.
    false_spans : list of (str, int, str, str)
        Spans touching no planted identifier: file, line, text, kind.
    labels : int
        Distinct speaker labels that name someone.
    labels_missed : list of str
        Those left unchanged ("file: label").
    """

    planted: list[Planted] = field(default_factory=list)
    missed: list[Planted] = field(default_factory=list)
    wrong_kind: list[tuple[Planted, str]] = field(default_factory=list)  # + the kind given
    spans: int = 0  # redacted spans in all
    kinds_given: Counter = field(default_factory=Counter)  # redacted spans by kind
    false_spans: list[tuple[str, int, str, str]] = field(default_factory=list)  # + kind
    labels: int = 0  # distinct speaker labels that name someone
    labels_missed: list[str] = field(default_factory=list)

    def recall(self, kind: str | None = None) -> float:
        """The share of planted identifiers found, for one kind or all.

        Parameters
        ----------
        kind : str, optional
            A planted kind; all kinds when None.

        Returns
        -------
        float
            0-1; NaN when nothing of that kind was planted.
        """
        mine = [p for p in self.planted if kind in (None, p.kind)]
        missed = [p for p in self.missed if kind in (None, p.kind)]
        return 1 - len(missed) / len(mine) if mine else float("nan")

    @property
    def precision(self) -> float:
        """The share of redacted spans that touch a planted identifier (0-1; NaN without spans)."""
        return 1 - len(self.false_spans) / self.spans if self.spans else float("nan")

    def precision_of(self, kind: str) -> float:
        """Of the spans given this kind, the share that touch a planted identifier.

        Parameters
        ----------
        kind : str
            A kind the redaction gives (PERSON, ADDRESS, ...).

        Returns
        -------
        float
            0-1; NaN when no span got that kind.
        """
        spans = self.kinds_given[kind]
        wrong = sum(1 for _, _, _, k in self.false_spans if k == kind)
        return 1 - wrong / spans if spans else float("nan")

    def by_kind(self) -> list[dict]:
        """One row per planted kind, for a table.

        Returns
        -------
        list of dict
            kind, planted, found, recall (0-1, 3 decimals), wrong_kind, spans (given that
            kind), precision (0-1, 3 decimals).
        """
        counts, misses = Counter(p.kind for p in self.planted), Counter(p.kind for p in self.missed)
        typed = Counter(p.kind for p, _ in self.wrong_kind)
        return [
            {
                "kind": k,
                "planted": n,
                "found": n - misses[k],
                "recall": round(1 - misses[k] / n, 3),
                "wrong_kind": typed[k],
                "spans": self.kinds_given[k],
                "precision": round(self.precision_of(k), 3),
            }
            for k, n in sorted(counts.items())
        ]


def strip_tags(text: str, file: str, line: int) -> tuple[str, list[Planted]]:
    """The text without tags, and the identifiers with their positions in it.

    Parameters
    ----------
    text : str
        A label or a turn's text with ``{KIND:identifier}`` tags.
    file : str
        The file's name, recorded in each Planted.
    line : int
        The 1-based line, recorded in each Planted.

    Returns
    -------
    (str, list of Planted)
        The plain text, and each identifier with character offsets into it.
    """
    out, planted, cursor = [], [], 0
    length = 0
    for m in _TAG.finditer(text):
        out.append(text[cursor : m.start()])
        length += m.start() - cursor
        planted.append(
            Planted(file, line, m.group(1), m.group(2), length, length + len(m.group(2)))
        )
        out.append(m.group(2))
        length += len(m.group(2))
        cursor = m.end()
    out.append(text[cursor:])
    return "".join(out), planted


def evaluate(files: list[Path]) -> Evaluation:
    """Pseudonymise each planted file (one client each) and score what was covered.

    Parameters
    ----------
    files : list of Path
        Planted transcripts (tags as in the module docstring).

    Returns
    -------
    Evaluation
        Planted identifiers, misses, wrong kinds and spans that touch no identifier.

    Raises
    ------
    ValueError
        When a file is not read back turn for turn as written.
    """
    result = Evaluation()
    for path in files:
        lines, bodies, label_tags = _planted_file(path)
        with tempfile.TemporaryDirectory() as tmp:
            plain = Path(tmp) / path.name
            plain.write_text("\n".join(lines) + "\n", encoding="utf-8")
            session = read_session(plain)
        originals = [t.text for t in session.turns]
        if len(originals) != len(bodies):
            raise ValueError(f"{path.name}: {len(bodies)} lines read as {len(originals)} turns")
        (redaction,) = pseudonymise_sessions([session])
        for turn, (number, body, planted) in zip(session.turns, bodies):
            if originals[turn.index] != body:
                raise ValueError(f"{path.name}: line {number} was read as different text")
            spans = [(h.start, h.end, h.kind) for h, _ in redaction.found[turn.index]]
            _score_turn(result, path.name, number, body, planted, spans)
        for label in label_tags:
            result.labels += 1
            if redaction.labels.get(label, label) == label:
                result.labels_missed.append(f"{path.name}: {label}")
    return result


def _planted_file(
    path: Path,
) -> tuple[list[str], list[tuple[int, str, list[Planted]]], set[str]]:
    """A planted file's lines without tags, each turn's body with its identifiers, and
    the labels that were tagged."""
    lines, bodies, label_tags = [], [], set()
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        m = _LINE.match(raw)
        if not m:
            continue
        label, _ = strip_tags(m.group(2), path.name, number)
        if _TAG.search(m.group(2)):
            label_tags.add(label)
        body, planted = strip_tags(m.group(3), path.name, number)
        lines.append(f"{m.group(1) or ''}{label}: {body}")
        bodies.append((number, body, planted))
    return lines, bodies, label_tags


def _score_turn(
    result: Evaluation,
    name: str,
    number: int,
    body: str,
    planted: list[Planted],
    spans: list[tuple[int, int, str]],
) -> None:
    """Add one turn's planted identifiers and redacted spans to `result`."""
    covered: dict[int, str] = {}  # character -> kind given
    for start, end, kind in spans:
        covered.update(dict.fromkeys(range(start, end), kind))
    for p in planted:
        result.planted.append(p)
        chars = [i for i in range(p.start, p.end) if not body[i].isspace()]
        if any(i not in covered for i in chars):
            result.missed.append(p)
        elif (given := {covered[i] for i in chars}) != {p.kind}:
            result.wrong_kind.append((p, "/".join(sorted(given))))
    for start, end, kind in spans:
        result.spans += 1
        result.kinds_given[kind] += 1
        if not any(p.start < end and start < p.end for p in planted):
            result.false_spans.append((name, number, body[start:end], kind))
