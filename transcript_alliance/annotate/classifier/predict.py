"""Segmented sessions to the utterance table with a `p_<code>` column per code."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ...errors import InputError
from ...io import check_table_path, write_table
from ...schema import utterance_table
from ...session import Session
from .data import NO_TURN, PreviousTurn, UtteranceInputs
from .model import Progress, UtteranceClassifier


def session_inputs(sessions: Iterable[Session]) -> UtteranceInputs:
    """Each utterance's words and role, and the whole previous turn as its context (as one
    string, and as that turn's utterances)."""
    texts, roles, contexts, previous = [], [], [], []
    for session in sessions:
        turns: dict[int, tuple[str, list[str]]] = {}
        for u in session.utterances:
            turns.setdefault(u.turn, (u.role.value, []))[1].append(u.text)
        turn_text = {turn.index: turn.text for turn in session.turns}
        for u in session.utterances:
            texts.append(u.text)
            roles.append(u.role.value)
            contexts.append(turn_text.get(u.turn - 1, ""))
            role, words = turns.get(u.turn - 1, ("", []))
            previous.append(PreviousTurn(role, tuple(words)) if words else NO_TURN)
    return UtteranceInputs(texts, roles, contexts, previous)


def predict_table(
    sessions: list[Session],
    classifier: UtteranceClassifier,
    codes: list[str] | None = None,
    progress: Progress = None,
) -> pd.DataFrame:
    """The utterance table (with `m_<code>` counts when `codes` is given and the sessions
    carry markers) and the classifier's `p_<code>` probabilities."""
    table = utterance_table(sessions, codes)
    probs = classifier.predict_proba(session_inputs(sessions), progress=progress)
    for k, code in enumerate(classifier.codes):
        table[f"p_{code}"] = probs[:, k].round(4)
    return table


@dataclass
class Predictions:
    """The utterance table with `p_<code>` columns (and `m_<code>` counts with markers)
    for every session read; `failures` the files that could not be read."""

    table: pd.DataFrame
    codes: list[str]
    sessions: list[Session]
    failures: list[InputError] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


def predict(
    model: str | Path,
    files: Sequence[str | Path] = (),
    *,
    out: str | Path | None = None,
    markers: bool = False,
    manifest: str | Path | None = None,
    fmt: str | None = None,
    roles: str | None = None,
    columns: dict[str, str] | None = None,
    codebook: str | Path | None = None,
    on_error: Callable[[InputError], None] = lambda _: None,
    progress: Any = None,
) -> Predictions:
    """Each utterance's probability of each code, from a trained classifier.

    Parameters
    ----------
    model
        A model folder, or a shipped model name (`default`, `fast`).
    files
        Transcript files, folders (searched recursively) or globs.
    out
        Write the table here (.csv, .tsv, .parquet, .jsonl) when sessions were read.
    markers
        Add the rule markers' `m_<code>` counts beside the probabilities.
    manifest, fmt, roles, columns
        How to find and read the transcripts (see `read_inputs`).
    codebook
        A codebook YAML extending the default.
    on_error
        Called with each file's `InputError`; reading goes on past it.
    progress
        A factory `progress(description, total) -> advance(n)` for a progress bar.

    Returns
    -------
    Predictions
        `table`: one row per utterance (`session_id, turn, utterance, role, speaker,
        start, end, text`, ..., `p_<code>` in [0, 1]).

    Raises
    ------
    OptionError
        No input named, or an `out` with an unknown suffix.
    """
    from ...read.base import ReadOptions
    from ...read.inputs import read_inputs, require_inputs
    from ...segment.utterances import segment_sessions
    from .model import load_classifier

    require_inputs(files, manifest)
    if out is not None:
        check_table_path(Path(out))
    classifier = load_classifier(model, codebook=codebook)
    failures: list[InputError] = []
    read = read_inputs(
        [Path(f) for f in files],
        None if manifest is None else Path(manifest),
        ReadOptions(format=fmt, roles=roles, columns=columns or {}),
        failures=failures,
        on_error=on_error,
    )
    sessions = segment_sessions(read)
    codes = None
    if markers:  # the rule markers beside the classifier: m_<code> columns too
        from ..markers.annotate import annotate_sessions, codebook_of, marker_pipeline

        nlp = marker_pipeline(str(codebook) if codebook else None)
        annotate_sessions(sessions, nlp=nlp)
        codes = codebook_of(nlp).ids
    n = sum(len(s.utterances) for s in sessions)
    table = predict_table(
        sessions, classifier, codes, progress=progress("predicting", n) if progress else None
    )
    result = Predictions(table, list(classifier.codes), sessions, failures)
    if out is not None and sessions:
        write_table(table, Path(out))
        result.written.append(Path(out))
    return result
