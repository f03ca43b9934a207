"""Coded utterances in (training and evaluation data) and utterance inputs for a model.

Training data is a CSV, TSV or JSONL with `session_id`, `text`, `role` and the codes,
either as one `codes` column ("goal_talk;we_language") or one 0/1 column per code. An
optional `context` column holds the previous turn; without it, when a `turn` column is
there, the previous turn of the same session is used. An optional `split` column
(train/test) fixes the held-out sessions. In the one-column-per-code form a cell `?` means
"not coded": that code is unknown on that row and left out of training and scoring (a
corpus labelled for some codes only, such as a strategy-labelled dialogue corpus).
"""

from __future__ import annotations

import itertools
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
from sklearn.model_selection import GroupShuffleSplit

from ...errors import InputError
from ...io import read_csv
from ...schema import ROLE_NAMES

REQUIRED = ("session_id", "text", "role")
MIN_POSITIVES = 5  # below this a code gets its base rate, not a trained head
NOT_CODED = "?"  # a `codes` cell not yet coded (as `suggest` writes it): the row is left out


class PreviousTurn(NamedTuple):
    """The turn before an utterance: who spoke it and its utterances' words, in order
    (empty `texts` when there is none)."""

    role: str
    texts: tuple[str, ...]


NO_TURN = PreviousTurn("", ())


def other_role(role: str) -> str:
    """The other party of a dyad: who a free-text context is taken to come from."""
    return {"therapist": "client", "client": "therapist"}.get(role, "")


@dataclass
class UtteranceInputs:
    """What a classifier sees of each utterance: its words, who said it, the turn before.

    `contexts` is the previous turn as one string (the linear backend reads it); `previous`
    the same turn as its utterances, so that an encoder embeds each utterance once and a
    context is the mean of its utterances' embeddings. Without `previous` (a free-text
    `context` column) each context counts as one utterance of the other party."""

    texts: list[str]
    roles: list[str]
    contexts: list[str]
    previous: list[PreviousTurn] | None = None

    def __post_init__(self) -> None:
        if self.previous is None:
            self.previous = [
                PreviousTurn(other_role(role), (context,)) if context else NO_TURN
                for role, context in zip(self.roles, self.contexts)
            ]

    def __len__(self) -> int:
        return len(self.texts)

    def turns(self) -> list[PreviousTurn]:
        """`previous`, always filled (typed for callers)."""
        assert self.previous is not None
        return self.previous

    def subset(self, index: np.ndarray) -> UtteranceInputs:
        """The utterances at the given positions, in that order.

        Parameters
        ----------
        index : np.ndarray
            Integer positions, shape (n,).

        Returns
        -------
        UtteranceInputs
            A new object with n utterances.
        """
        return UtteranceInputs(
            [self.texts[i] for i in index],
            [self.roles[i] for i in index],
            [self.contexts[i] for i in index],
            [self.turns()[i] for i in index],
        )

    def frame(self) -> pd.DataFrame:
        """The inputs as a table, one row per utterance.

        Returns
        -------
        pd.DataFrame
            Columns ``text``, ``role``, ``context`` (str), one row per utterance.
        """
        return pd.DataFrame({"text": self.texts, "role": self.roles, "context": self.contexts})


@dataclass
class CodedUtterances:
    """Utterances with human codes: inputs, a 0/1 matrix (utterances x codes), sessions."""

    path: Path
    inputs: UtteranceInputs
    labels: np.ndarray
    codes: list[str]
    sessions: np.ndarray
    split: np.ndarray | None = None
    notes: list[str] = field(default_factory=list)
    known: np.ndarray | None = None  # bool, utterances x codes: coded there; None: all coded

    @property
    def mask(self) -> np.ndarray:
        """Which labels are known (True) and which were never coded (False)."""
        if self.known is None:
            return np.ones(self.labels.shape, dtype=bool)
        return self.known

    def subset(self, index: np.ndarray) -> CodedUtterances:
        """The coded utterances at the given positions: inputs, labels, sessions, split, mask.

        Parameters
        ----------
        index : np.ndarray
            Integer positions (or a boolean mask over the utterances), shape (n,).

        Returns
        -------
        CodedUtterances
            A new object with the same `path` and `codes`; `notes` are not carried over.
        """
        return CodedUtterances(
            self.path,
            self.inputs.subset(index),
            self.labels[index],
            self.codes,
            self.sessions[index],
            None if self.split is None else self.split[index],
            known=None if self.known is None else self.known[index],
        )

    def positives(self) -> dict[str, int]:
        """Positive labels per code, counting only utterances where the code is known (`mask`).

        Returns
        -------
        dict[str, int]
            Code to number of utterances coded 1 for it.
        """
        return dict(zip(self.codes, (self.labels * self.mask).sum(axis=0).astype(int).tolist()))


def concat_coded(parts: list[CodedUtterances], path: Path | None = None) -> CodedUtterances:
    """Several coded sets as one (same codes; sessions must not repeat across parts). A
    part without a split column gets none only if no part has one; else it counts as train.
    """
    codes = parts[0].codes
    if any(p.codes != codes for p in parts):
        raise ValueError("coded sets with different codes cannot be joined")
    seen: set[str] = set()
    for part in parts:
        sessions = set(part.sessions.tolist())
        if seen & sessions:
            raise ValueError(f"session {sorted(seen & sessions)[0]} is in two coded sets")
        seen |= sessions
    split = None
    if any(p.split is not None for p in parts):
        split = np.concatenate(
            [p.split if p.split is not None else np.full(len(p.labels), "train") for p in parts]
        )
    known = None
    if any(p.known is not None for p in parts):
        known = np.concatenate([p.mask for p in parts])
    return CodedUtterances(
        path=path or parts[0].path,
        inputs=UtteranceInputs(
            [t for p in parts for t in p.inputs.texts],
            [r for p in parts for r in p.inputs.roles],
            [c for p in parts for c in p.inputs.contexts],
            [t for p in parts for t in p.inputs.turns()],
        ),
        labels=np.concatenate([p.labels for p in parts]),
        codes=list(codes),
        sessions=np.concatenate([p.sessions for p in parts]),
        split=split,
        notes=[n for p in parts for n in p.notes],
        known=known,
    )


def _read_frame(path: Path) -> pd.DataFrame:
    suffix = path.suffix.casefold()
    if suffix in {".csv", ".tsv", ".txt"}:
        return read_csv(path, sep="\t" if suffix == ".tsv" else ",", what="coded utterances")
    try:
        if suffix in {".jsonl", ".ndjson"}:
            return pd.read_json(path, lines=True, dtype=False)
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except (ValueError, pd.errors.ParserError, UnicodeDecodeError) as err:
        raise InputError(path, f"could not be read as a table ({err})") from None
    raise InputError(path, "expected coded utterances as .csv, .tsv or .jsonl")


def read_coded_utterances(
    path: str | Path, codes: list[str], *, min_positives: int = MIN_POSITIVES
) -> CodedUtterances:
    """Read and check coded utterances against the codebook's `codes`.

    Unknown codes, empty texts, unknown roles and missing columns raise `InputError`
    naming the row (counted from 2, the first data row under the header) and the code;
    codes with fewer than `min_positives` positives are kept with a warning.
    """
    path = Path(path)
    frame = _read_frame(path).fillna("")
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in REQUIRED if c not in frame.columns]
    code_columns = [c for c in codes if c in frame.columns]
    if "codes" not in frame.columns and not code_columns:
        missing.append("codes (or one 0/1 column per code)")
    if missing:
        raise InputError(path, f"missing column(s): {', '.join(missing)}")
    if frame.empty:
        raise InputError(path, "no rows: expected one coded utterance per row")
    frame = _coded_rows(frame, path)
    labels, known = _labels(frame, path, codes, code_columns)
    texts = [str(t).strip() for t in frame["text"]]
    roles = [str(r).strip().casefold() for r in frame["role"]]
    for i, (text, role) in enumerate(zip(texts, roles)):
        if not text:
            raise InputError(path, "empty text: expected the utterance's words", f"row {i + 2}")
        if role not in ROLE_NAMES:
            raise InputError(
                path, f"role '{role}': expected therapist, client or other", f"row {i + 2}"
            )
    data = CodedUtterances(
        path=path,
        inputs=UtteranceInputs(texts, roles, *_contexts(frame, texts, roles)),
        labels=labels,
        codes=list(codes),
        sessions=frame["session_id"].astype(str).to_numpy(),
        split=_split_column(frame, path),
        known=known,
    )
    _check_balance(data, min_positives)
    return data


def _coded_rows(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """The rows that were coded: a `codes` cell of `?` (not yet coded) is left out, with a
    warning; so are none where every row is uncoded (an error). A file from `suggest` (it
    has the `uncertainty` column) with empty `codes` cells gets a warning: empty means "no
    code applies", and rows not yet coded should keep their `?`."""
    if "codes" not in frame.columns:
        return frame.reset_index(drop=True)
    cells = frame["codes"].astype(str).str.strip()
    uncoded = cells == NOT_CODED
    if uncoded.all():
        raise InputError(
            path,
            f"every row's codes cell is '{NOT_CODED}' (not yet coded): "
            "code some rows first (their codes, or nothing for no code)",
        )
    if uncoded.any():
        warnings.warn(
            f"{path}: {int(uncoded.sum())} of {len(frame)} rows not yet coded "
            f"('{NOT_CODED}') are left out of training",
            stacklevel=4,
        )
    empty = int((cells[~uncoded] == "").sum())
    if "uncertainty" in frame.columns and empty:
        warnings.warn(
            f"{path}: {empty} row(s) from `suggest` have an empty codes cell, read "
            f"as 'no code applies'; write '{NOT_CODED}' in rows not yet coded",
            stacklevel=4,
        )
    return frame[~uncoded].reset_index(drop=True)


def _labels(
    frame: pd.DataFrame, path: Path, codes: list[str], columns: list[str]
) -> tuple[np.ndarray, np.ndarray | None]:
    """The 0/1 matrix, and where some cells are `?` (not coded) the known-mask."""
    index = {code: k for k, code in enumerate(codes)}
    labels = np.zeros((len(frame), len(codes)), dtype=np.int8)
    known = np.ones(labels.shape, dtype=bool)
    if "codes" in frame.columns:
        for i, cell in enumerate(frame["codes"]):
            for code in filter(None, (c.strip() for c in str(cell).replace(",", ";").split(";"))):
                if code not in index:
                    raise InputError(
                        path,
                        f"unknown code '{code}': expected a code of the codebook "
                        f"({', '.join(codes)})",
                        f"row {i + 2}",
                    )
                labels[i, index[code]] = 1
        return labels, None
    for code in columns:
        for i, cell in enumerate(frame[code]):
            value = str(cell).strip().casefold()
            if value not in {"0", "1", "0.0", "1.0", "true", "false", "", "?"}:
                raise InputError(
                    path, f"column {code}: '{cell}' is not 0, 1 or ? (not coded)", f"row {i + 2}"
                )
            labels[i, index[code]] = value in {"1", "1.0", "true"}
            known[i, index[code]] = value != "?"
    return labels, (None if known.all() else known)


def _contexts(
    frame: pd.DataFrame, texts: list[str], roles: list[str]
) -> tuple[list[str], list[PreviousTurn] | None]:
    if "context" in frame.columns:
        return [str(c).strip() for c in frame["context"]], None
    if "turn" not in frame.columns:
        return [""] * len(texts), None
    # The previous turn of the same session: all of its utterances, in order.
    keyed = pd.DataFrame(
        {
            "session": frame["session_id"].astype(str),
            "turn": pd.to_numeric(frame["turn"], errors="coerce"),
            "text": texts,
            "role": roles,
        }
    )
    turns = {
        key: PreviousTurn(str(group["role"].iloc[0]), tuple(group["text"]))
        for key, group in keyed.groupby(["session", "turn"], sort=False)
    }
    numbers: dict[str, list[float]] = {}
    for session, turn in turns:
        numbers.setdefault(session, []).append(turn)
    previous: dict[tuple[str, float], PreviousTurn] = {}
    for session, found in numbers.items():
        pairs = itertools.pairwise(sorted(found))
        previous.update({(session, b): turns[(session, a)] for a, b in pairs})
    found = [previous.get((s, t), NO_TURN) for s, t in zip(keyed["session"], keyed["turn"])]
    return [" ".join(turn.texts) for turn in found], found


def _split_column(frame: pd.DataFrame, path: Path) -> np.ndarray | None:
    if "split" not in frame.columns:
        return None
    split = frame["split"].astype(str).str.strip().str.casefold().to_numpy()
    bad = sorted(set(split) - {"train", "test"})
    if bad:
        row = int(np.flatnonzero(split == bad[0])[0]) + 2
        raise InputError(path, f"split '{bad[0]}': expected train or test", f"row {row}")
    per_session = pd.Series(split).groupby(frame["session_id"].to_numpy()).nunique()
    if (per_session > 1).any():
        session = per_session[per_session > 1].index[0]
        raise InputError(path, f"session {session} is in both train and test splits")
    return split


def _check_balance(data: CodedUtterances, min_positives: int) -> None:
    positives = data.positives()
    if not any(positives.values()):
        raise InputError(data.path, "no utterance carries a code: nothing to learn")
    if all(n == len(data.labels) for n in positives.values() if n):
        raise InputError(data.path, "every utterance carries the same codes: a single class")
    for code, n in positives.items():
        if n < min_positives:
            note = (
                f"{data.path}: code {code} has {n} positive example(s) (fewer than "
                f"{min_positives}); it gets its base rate, not a trained head"
            )
            data.notes.append(note)
            warnings.warn(note, stacklevel=3)


def train_test_split(data: CodedUtterances, seed: int, test_size: float = 0.2):
    """Held-out sessions: the `split` column's when there is one, else a grouped draw.

    Returns index arrays (train, test); no session is on both sides."""
    if data.split is not None and (data.split == "test").any():
        return np.flatnonzero(data.split == "train"), np.flatnonzero(data.split == "test")
    return grouped_split(data.sessions, seed, test_size)


def grouped_split(sessions: np.ndarray, seed: int, test_size: float):
    """Split utterances into train and test so that no session is on both sides.

    Uses scikit-learn's ``GroupShuffleSplit`` (one split) with the sessions as groups.

    Parameters
    ----------
    sessions : np.ndarray
        Session id of each utterance, shape (utterances,).
    seed : int
        Random state of the split.
    test_size : float
        Share of the sessions (0-1) that go to the test side.

    Returns
    -------
    tuple[np.ndarray, np.ndarray]
        Integer positions of the train and of the test utterances.

    Raises
    ------
    InputError
        When all utterances come from one session.
    """
    if len(set(sessions)) < 2:
        raise InputError(
            None, "all utterances come from one session: a grouped split needs two or more"
        )
    splitter = GroupShuffleSplit(n_splits=1, test_size=test_size, random_state=seed)
    train, test = next(splitter.split(np.zeros(len(sessions)), groups=sessions))
    return train, test
