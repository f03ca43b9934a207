"""The codebook as a Markdown document (docs/CODEBOOK.md is this, kept in sync by a test)."""

from __future__ import annotations

import json

from .codebook import Codebook, Pattern


def codebook_markdown(book: Codebook) -> str:
    """The codebook as a Markdown document (docs/CODEBOOK.md is this).

    Parameters
    ----------
    book : Codebook

    Returns
    -------
    str
        A summary table (code, component, speaker, negatable, rules), then per code its
        definition, negation, examples, rules and source.
    """
    lines = [
        f"# {book.name or 'Codebook'} (version {book.version})",
        "",
        "Generated from `transcript_alliance/annotate/markers/codebook.yaml` by "
        "`transcript-alliance codebook export --format md`; edit the YAML, not this file.",
        "",
        book.description.strip(),
        "",
        "| code | component | speaker | negatable | rules |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| [`{c.id}`](#{c.id}) | {c.component.value} | {c.speaker.value} | "
        f"{'yes' if c.negatable else 'no'} | {len(c.patterns)} |"
        for c in book.codes
    ]
    for code in book.codes:
        lines += ["", f"## {code.id}", "", code.definition, ""]
        negation = (
            "negates a match" if code.negatable else "is part of the code and negates nothing"
        )
        lines.append(
            f"Component: **{code.component.value}**. Applies to: **{code.speaker.value}** "
            f"utterances. A negation in scope {negation}."
        )
        if code.examples.positive:
            lines += ["", "Examples:", ""] + [f"- {e}" for e in code.examples.positive]
        if code.examples.classifier:
            lines += ["", "Examples the rules leave to the classifier:", ""]
            lines += [f"- {e}" for e in code.examples.classifier]
        if code.examples.negative:
            lines += ["", "Not this code:", ""] + [f"- {e}" for e in code.examples.negative]
        if code.mirror:
            m = code.mirror
            lines += [
                "",
                f"Told apart by the previous {m.role} turn: kept where the share of "
                f"its content words found there is at least {m.min_overlap:g} and "
                f"{'at most' if m.max_overlap >= 1 else 'below'} {m.max_overlap:g}.",
            ]
        if code.source:
            lines += ["", f"Source: {code.source}"]
        lines += ["", "| rule | kind | pattern | constraints |", "|---|---|---|---|"]
        lines += [
            f"| `{p.id}` | {p.kind} | {_pattern_text(p)} | {_constraints(p)} |"
            for p in code.patterns
        ]
    return "\n".join(lines) + "\n"


def _pattern_text(pattern: Pattern) -> str:
    if pattern.kind == "phrase":
        text = ", ".join(f'"{p}"' for p in pattern.phrases or [])
        text = f"{text} (on {pattern.attr})" if pattern.attr != "LOWER" else text
    else:
        text = f"`{json.dumps(pattern.pattern, ensure_ascii=False)}`"
    return text.replace("|", "\\|")


def _constraints(pattern: Pattern) -> str:
    parts = []
    if pattern.utterance_start:
        parts.append("utterance start")
    if pattern.whole_utterance:
        parts.append("whole utterance")
    if pattern.max_words:
        parts.append(f"at most {pattern.max_words} words")
    if pattern.question is not None:
        parts.append("question (ends with ?)" if pattern.question else "not a question")
    return ", ".join(parts) or "-"
