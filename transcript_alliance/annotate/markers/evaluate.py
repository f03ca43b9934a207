"""Per-code precision and recall of the rule markers against hand-coded utterances (a CSV
with `role, text, codes`; codes separated by ';'). A match counts when it is not negated
and the code applies to the utterance's role. A file is scored on the codes it was coded
for, taken to be those it has at least one example of: a file coded before a code existed
(the gold files predate the microskill codes of codebook 2.0.0) says nothing about it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ...errors import InputError
from ...io import read_csv
from ...nlp import sentence_pipeline
from .annotate import codebook_of, marker_pipeline
from .codebook import Speaker


def evaluate_markers(gold_path: str | Path, codebook: str | Path | None = None) -> pd.DataFrame:
    """Per-code precision and recall of the rule markers against hand-coded utterances.

    Parameters
    ----------
    gold_path : str or Path
        CSV with columns role (therapist or client), text, codes (code ids separated by
        ';', empty for none).
    codebook : str or Path, optional
        A user codebook YAML; the packaged one when None.

    Returns
    -------
    DataFrame
        One row per code the file was coded for: code, support (gold utterances with the
        code), tp, fp, fn, precision and recall (0-1; None when undefined).
        ``frame.attrs["errors"]`` lists (text, predicted but not coded, coded but not
        predicted) for each utterance where they differ.

    Raises
    ------
    InputError
        The CSV cannot be read, lacks a column, or names codes not in the codebook.
    """
    gold = read_csv(gold_path, what="coded utterances")
    missing = {"role", "text", "codes"} - set(gold.columns)
    if missing:
        raise InputError(gold_path, f"no column(s) {', '.join(sorted(missing))}", "row 1")
    nlp = marker_pipeline(str(codebook) if codebook else None)
    book = codebook_of(nlp)
    speakers = {c.id: c.speaker for c in book.codes}
    # As in the real flow: a row is split into sentences first, and markers run per sentence.
    sentences = [[s.text for s in doc.sents] for doc in sentence_pipeline().pipe(gold.text)]
    docs = iter(nlp.pipe(text for row in sentences for text in row))
    predicted = []
    for role, row in zip(gold.role, sentences):
        found = set()
        for _ in row:
            doc = next(docs)
            found |= {
                s.label_
                for s in doc.spans["alliance"]
                if not s._.alliance_negated
                and (speakers[s.label_] is Speaker.EITHER or speakers[s.label_].value == role)
            }
        predicted.append(found)
    expected = [set(filter(None, codes.split(";"))) for codes in gold.codes]
    unknown = set().union(*expected) - set(book.ids)
    if unknown:
        raise InputError(gold_path, f"codes not in the codebook: {', '.join(sorted(unknown))}")
    coded = set().union(*expected)
    rows = []
    for code in (c for c in book.ids if c in coded):
        tp = sum(code in p and code in e for p, e in zip(predicted, expected))
        fp = sum(code in p and code not in e for p, e in zip(predicted, expected))
        fn = sum(code not in p and code in e for p, e in zip(predicted, expected))
        precision = tp / (tp + fp) if tp + fp else None
        recall = tp / (tp + fn) if tp + fn else None
        rows.append(
            {
                "code": code,
                "support": tp + fn,
                "tp": tp,
                "fp": fp,
                "fn": fn,
                "precision": precision,
                "recall": recall,
            }
        )
    frame = pd.DataFrame(rows)
    frame.attrs["errors"] = [
        (text, sorted(p - e), sorted(e - p))
        for text, p, e in zip(gold.text, predicted, expected)
        if p != e
    ]
    return frame
