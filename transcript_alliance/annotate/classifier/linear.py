"""The `linear` backend: TF-IDF over words and character n-grams of the utterance, the
speaker's role and the previous turn's words, one logistic regression per code, each fitted
on the utterances coded for its code.

Saved with skops as `{"features": ColumnTransformer, "heads": [LogisticRegression, ...]}`;
files written before heads were fitted one by one hold a Pipeline and still load."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import skops.io as sio
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder

from .data import UtteranceInputs
from .modeldir import WEIGHT_FILES, ModelError

# The only types a linear model file may hold, checked against every type the file names
# (`file_types`), not only those skops itself distrusts: skops trusts many scikit-learn
# and builtin types by default (`LinearRegression` among them), and a model built of
# them would load and then fail mid-run.
ALLOWED_TYPES = frozenset(
    {
        "sklearn.compose._column_transformer.ColumnTransformer",
        "sklearn.feature_extraction.text.TfidfVectorizer",
        "sklearn.feature_extraction.text.TfidfTransformer",
        "sklearn.linear_model._logistic.LogisticRegression",
        "sklearn.multiclass.OneVsRestClassifier",
        "sklearn.pipeline.Pipeline",
        "sklearn.preprocessing._encoders.OneHotEncoder",
        "sklearn.preprocessing._label.LabelBinarizer",
        "numpy.float64",
        "numpy.int64",
        "numpy.dtype",
        "builtins.slice",
        "scipy.sparse._csr.csr_matrix",
    }
)
# The containers and values any skops file of the allowed estimators is made of.
BASE_TYPES = frozenset(
    f"builtins.{name}" for name in ("dict", "list", "tuple", "str", "int", "float", "bool")
) | {"numpy.ndarray", "builtins.NoneType"}


def file_types(path: Path) -> set[str]:
    """Every type (`module.Class`) that a skops file's schema names, at any depth."""
    with zipfile.ZipFile(path) as archive:
        schema = json.loads(archive.read("schema.json"))
    found: set[str] = set()
    stack: list[Any] = [schema]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if "__class__" in item:
                found.add(f"{item.get('__module__')}.{item['__class__']}")
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def build_features(uses_context: bool) -> ColumnTransformer:
    """The unfitted feature step of the linear backend.

    TF-IDF over word 1-2-grams (min_df 2, sublinear tf), TF-IDF over character 2-4-grams within
    word boundaries (min_df 2, at most 40000 features), a one-hot role, and, with
    `uses_context`, TF-IDF over the words of the previous turn.

    Parameters
    ----------
    uses_context : bool
        Add the ``context`` column (previous turn) as features.

    Returns
    -------
    ColumnTransformer
        Reads a DataFrame with columns ``text``, ``role`` and ``context``.
    """
    features = [
        ("words", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True), "text"),
        (
            "chars",
            TfidfVectorizer(
                analyzer="char_wb",
                ngram_range=(2, 4),
                min_df=2,
                sublinear_tf=True,
                max_features=40000,
            ),
            "text",
        ),
        ("role", OneHotEncoder(handle_unknown="ignore"), ["role"]),
    ]
    if uses_context:
        words = TfidfVectorizer(ngram_range=(1, 1), min_df=2, sublinear_tf=True)
        features.append(("context", words, "context"))
    return ColumnTransformer(features)


def build_head(seed: int) -> LogisticRegression:
    """One code's unfitted head: logistic regression, C=4.0, balanced weights, 2000 iterations.

    Parameters
    ----------
    seed : int
        The regression's random state.

    Returns
    -------
    LogisticRegression
        The unfitted estimator.
    """
    return LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000, random_state=seed)


class LinearScorer:
    """Raw per-code scores (logits): the features, then one logistic regression per code."""

    def __init__(self, features: ColumnTransformer | Pipeline, heads: list | None) -> None:
        self.features = features  # a whole Pipeline (older files) when `heads` is None
        self.heads = heads

    @classmethod
    def fit(
        cls,
        inputs: UtteranceInputs,
        labels: np.ndarray,
        uses_context: bool,
        seed: int,
        known: np.ndarray | None = None,
    ) -> LinearScorer:
        """Features fitted on every utterance; each code's head on the utterances where
        that code is known (`known`, bool utterances x codes; None: everywhere)."""
        features = build_features(uses_context)
        matrix = features.fit_transform(inputs.frame())
        heads = []
        for k in range(labels.shape[1]):
            rows = slice(None) if known is None else np.flatnonzero(known[:, k])
            heads.append(build_head(seed).fit(matrix[rows], labels[rows, k]))
        return cls(features, heads)

    def scores(self, inputs: UtteranceInputs, batch_size: int = 4096, progress=None):
        """Raw scores (decision-function values, logits) of each utterance for each trained code.

        Parameters
        ----------
        inputs : UtteranceInputs
            The utterances.
        batch_size : int, optional
            Utterances scored at a time.
        progress : callable or None, optional
            Called with the number of utterances done after each batch.

        Returns
        -------
        np.ndarray
            Shape (utterances, trained codes); shape (0, 0) when there are no utterances.
        """
        out = []
        frame = inputs.frame()
        for start in range(0, len(frame), batch_size):
            part = frame.iloc[start : start + batch_size]
            if self.heads is None:
                score = self.features.decision_function(part)
            else:
                matrix = self.features.transform(part)
                score = np.column_stack([h.decision_function(matrix) for h in self.heads])
            out.append(score.reshape(len(part), -1))
            if progress:
                progress(len(part))
        return np.vstack(out) if out else np.zeros((0, 0))

    def save(self, directory: Path) -> None:
        """Write the features and heads to the linear weight file (skops, zip-deflated).

        Parameters
        ----------
        directory : Path
            The model directory; it must exist.
        """
        path = directory / WEIGHT_FILES["linear"]
        state = (
            self.features
            if self.heads is None
            else {
                "features": self.features,
                "heads": self.heads,
            }
        )
        sio.dump(state, path, compression=zipfile.ZIP_DEFLATED, compresslevel=9)

    @classmethod
    def load(cls, directory: Path) -> LinearScorer:
        """Read a linear scorer from `directory`, refusing types outside the allow-list.

        Parameters
        ----------
        directory : Path
            The model directory holding the linear weight file (skops).

        Returns
        -------
        LinearScorer
            With per-code heads, or, for older files, one whole pipeline and ``heads=None``.

        Raises
        ------
        ModelError
            When the file is not a readable skops file or holds types outside the allow-list.
        """
        path = directory / WEIGHT_FILES["linear"]
        try:
            untrusted = sio.get_untrusted_types(file=path)
            named = file_types(path)
        except Exception as err:  # a damaged or foreign file: say so, load nothing
            raise ModelError(f"{path}: not a readable skops file ({err})") from None
        refused = sorted((set(untrusted) | named) - ALLOWED_TYPES - BASE_TYPES)
        if refused:
            raise ModelError(
                f"{path}: holds types outside the allow-list ({', '.join(refused)}); refusing "
                "to load it"
            )
        state = sio.load(path, trusted=list(untrusted))
        if isinstance(state, dict):
            return cls(state["features"], list(state["heads"]))
        return cls(state, None)
