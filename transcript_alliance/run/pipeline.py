"""`Pipeline`: the one object that wires a session type together (codebook with the type's
codes, marker pipeline, classifier, estimator) and scores sessions with it.

Every entry point goes through it: `code` (and its local and Dask workers), the notebook
iterator `iter_code`, `analyze`/`analyze_sessions`, `build_report`/`feedback` and
`predict`, so they cannot drift apart. In the manner of scikit-learn, `__init__` only
stores parameters; the models load on first use and are cached per process, so a worker
that scores many files loads them once, and a Pipeline pickles as its parameters alone.

    pipeline = Pipeline("medication", classifier="fast")
    results = pipeline.analyze(segment_sessions(sessions))
"""

from __future__ import annotations

import gc
import hashlib
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import OptionError
from ..session_types import DEFAULT, SessionType, SessionTypeSpec
from ..session_types import session_type as get_session_type

if TYPE_CHECKING:
    import pandas as pd
    from spacy.language import Language

    from ..annotate.classifier import UtteranceClassifier
    from ..estimate.estimator import Estimator
    from ..session import Session
    from .scoring import SessionResult


class _ProcessCache:
    """Loaded models by what loads them, at most `size` of them (oldest dropped first):
    one per process, shared by every Pipeline with the same parameters."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, key: Hashable, load: Callable[[], Any]) -> tuple[Any, bool]:
        """The cached value and False, or `load()`'s (now cached) and True."""
        if key in self.items:
            self.items.move_to_end(key)
            return self.items[key], False
        value = load()
        self.items[key] = value
        while len(self.items) > self.size:
            self.items.popitem(last=False)
        return value, True

    def clear(self) -> None:
        """Drop every cached value."""
        self.items.clear()


# Per process. Two classifiers (a transformer is ~100 MB); marker pipelines are cached by
# `marker_pipeline` itself (spaCy, four); estimators are small JSON files.
_CLASSIFIERS = _ProcessCache(2)
_ESTIMATORS = _ProcessCache(16)


def clear_cache() -> None:
    """Forget the models loaded in this process (tests; a notebook after retraining).

    Clears the cached classifiers, estimators and marker pipelines; the next use loads
    them again.
    """
    from ..annotate.markers.annotate import marker_pipeline

    _CLASSIFIERS.clear()
    _ESTIMATORS.clear()
    marker_pipeline.cache_clear()


def _file_stamp(path: Path) -> int | None:
    """A file's modification time, so a model rewritten in place is loaded again."""
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Pipeline:
    """The wiring of one session type: what scores a session, from utterances to Goal,
    Task, Bond and Total (WAI-SR metric, 1-5).

    Parameters
    ----------
    session_type
        A registered session type (`session_types.yaml`: psychotherapy, medication,
        team) or None for psychotherapy. It picks the codes added to the codebook, the
        packaged estimator and the report's extra findings. For sessions that name their
        own type (a manifest's `session_type` column), see `for_session`.
    classifier
        A shipped model (`default`, `fast`), a model folder, a loaded
        `UtteranceClassifier`, or None for the rule markers alone.
    markers
        Whether the rule markers run (they or the classifier, or both).
    estimator
        An estimator JSON file (as `calibrate` writes), a loaded `Estimator`, or None for
        the session type's packaged one.
    codebook
        A user's codebook YAML combined with the default (None: the default alone).
    resamples
        Bootstrap resamples over turns for the 90% intervals.
    freeze_gc
        Whether to `gc.freeze()` once models are loaded: a process-wide setting, for
        processes the toolkit owns (its CLI, its pool and Dask workers). Everything alive
        then (~600,000 objects with the models) leaves the collector's full passes
        (0.26 s each unfrozen); measured on `code` of 40 files x 2,000 words, fast
        classifier: full collections 0.82 s of a 27 s run, 0.27 s frozen. Leave it off in
        your own process (a notebook): it would freeze your objects too.

    Raises
    ------
    OptionError
        (on first use, or from `check`) an unknown session type, or neither markers nor a
        classifier.
    """

    def __init__(
        self,
        session_type: str | SessionType | None = None,
        *,
        classifier: str | Path | UtteranceClassifier | None = "default",
        markers: bool = True,
        estimator: str | Path | Estimator | None = None,
        codebook: str | Path | None = None,
        resamples: int = 500,
        freeze_gc: bool = False,
    ) -> None:
        self.session_type = session_type
        self.classifier = classifier
        self.markers = markers
        self.estimator = estimator
        self.codebook = codebook
        self.resamples = resamples
        self.freeze_gc = freeze_gc

    # -- parameters -----------------------------------------------------------------------

    def get_params(self) -> dict[str, Any]:
        """The parameters, as given to `__init__`.

        Returns
        -------
        dict
            session_type, classifier, markers, estimator, codebook, resamples, freeze_gc.
        """
        return {
            "session_type": self.session_type,
            "classifier": self.classifier,
            "markers": self.markers,
            "estimator": self.estimator,
            "codebook": self.codebook,
            "resamples": self.resamples,
            "freeze_gc": self.freeze_gc,
        }

    def set_params(self, **params: Any) -> Pipeline:
        """A copy with some parameters changed (the models stay cached per process).

        Raises
        ------
        TypeError
            A name that is not a parameter.
        """
        unknown = set(params) - set(self.get_params())
        if unknown:
            raise TypeError(f"not a Pipeline parameter: {', '.join(sorted(unknown))}")
        return Pipeline(**{**self.get_params(), **params})

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"Pipeline({args})"

    @property
    def spec(self) -> SessionTypeSpec:
        """The registry entry of the session type.

        Returns
        -------
        SessionTypeSpec

        Raises
        ------
        OptionError
            An unknown session type (the message lists the valid ones).
        """
        return get_session_type(self.session_type)

    @property
    def type_name(self) -> str:
        """The session type's registered name (str).

        Raises
        ------
        OptionError
            An unknown session type.
        """
        return self.spec.name

    def check(self) -> Pipeline:
        """Check the parameters now (session type, evidence, estimator file), before any
        work; returns self.

        Raises
        ------
        OptionError
            An unknown session type, or neither markers nor a classifier.
        InputError
            An unreadable or invalid estimator file, or one that reads a code the
            codebook lacks (`estimate.estimator.check_codes`).
        """
        if self.classifier is None and not self.markers:
            raise OptionError("no evidence: switch on the markers, the classifier, or both")
        self.spec  # noqa: B018  (raises for an unknown session type)
        from ..annotate.markers.codebook import load_codebook
        from ..estimate.estimator import check_codes

        estimator = self.estimator_  # a bad estimator file fails before any work
        where = f"estimators/{self.spec.estimator}" if self.estimator is None else "the estimator"
        if isinstance(self.estimator, str | Path):
            where = str(self.estimator)
        check_codes(estimator, set(load_codebook(self.codebook, self.type_name).ids), where)
        return self

    def for_session(self, session: Session) -> Pipeline:
        """The pipeline for a session that may name its own type (a manifest's
        `session_type`, kept in `session.metadata`); this one's type when it names none."""
        own = session.metadata.get("session_type") or None
        if own is None or own == self.session_type:
            return self
        return self.set_params(session_type=own)

    # -- models, loaded on first use and cached per process ---------------------------------

    @property
    def nlp_(self) -> Language | None:
        """The marker pipeline with the type's codes, loaded on first use (cached per process).

        Returns
        -------
        Language or None
            None with markers off.

        Raises
        ------
        OptionError
            An unknown session type, or a codebook needing components the model lacks.
        InputError
            An invalid codebook.
        """
        if not self.markers:
            return None
        from ..annotate.markers.annotate import marker_pipeline

        codebook = str(self.codebook) if self.codebook else None
        misses = marker_pipeline.cache_info().misses
        nlp = marker_pipeline(codebook, session_type=self.type_name)
        self._loaded(marker_pipeline.cache_info().misses != misses)
        return nlp

    @property
    def classifier_(self) -> UtteranceClassifier | None:
        """The utterance classifier, loaded on first use (cached per process, reloaded when its
        model.json or the codebook changes on disk).

        Returns
        -------
        UtteranceClassifier or None
            None without one.

        Raises
        ------
        ModelError
            A model directory that cannot be used as it is (a `TranscriptAllianceError`).
        """
        from ..annotate.classifier import UtteranceClassifier, load_classifier, resolve_model_path

        if self.classifier is None or isinstance(self.classifier, UtteranceClassifier):
            return self.classifier
        name, codebook = str(self.classifier), str(self.codebook) if self.codebook else None
        stamp = _file_stamp(resolve_model_path(name) / "model.json")
        codebook_stamp = _file_stamp(Path(codebook)) if codebook else None
        classifier, loaded = _CLASSIFIERS.get(
            (name, stamp, codebook, codebook_stamp),
            lambda: load_classifier(name, codebook=codebook),
        )
        self._loaded(loaded)
        return classifier

    @property
    def estimator_(self) -> Estimator:
        """The estimator: the given one, or the type's packaged one (cached per process).

        Returns
        -------
        Estimator

        Raises
        ------
        OptionError
            An unknown session type.
        InputError
            An unreadable or invalid estimator file.
        """
        from ..estimate.estimator import Estimator, load_estimator

        if isinstance(self.estimator, Estimator):
            return self.estimator
        path = str(self.estimator) if self.estimator else None
        stamp = _file_stamp(Path(path)) if path else None
        estimator, _ = _ESTIMATORS.get(
            (path, stamp, self.type_name), lambda: load_estimator(path, self.type_name)
        )
        return estimator

    def load(self) -> Pipeline:
        """Load (or find cached) every model now.

        Returns
        -------
        Pipeline
            self.

        Raises
        ------
        OptionError, InputError
            As `nlp_`, `classifier_` and `estimator_` do.
        """
        self.classifier_  # noqa: B018
        self.nlp_  # noqa: B018
        self.estimator_  # noqa: B018
        return self

    def _loaded(self, new: bool) -> None:
        if new and self.freeze_gc:
            from ..nlp import sentence_pipeline

            sentence_pipeline()  # segmentation's pipeline too (cached), then freeze
            gc.freeze()

    # -- work -----------------------------------------------------------------------------

    def analyze(self, sessions: Sequence[Session], *, progress=None) -> list[SessionResult]:
        """Score segmented sessions, all as this pipeline's session type.

        Parameters
        ----------
        sessions
            Segmented sessions (`segment_sessions`).
        progress
            An optional callable given the number of utterances classified so far.

        Returns
        -------
        list[SessionResult]
            One per session, in order: scores (1-5 with 90% intervals), warnings,
            features, the utterance table (`p_<code>`, `m_<code>`), evidence, ruptures,
            markers and clinician dyads.

        Raises
        ------
        OptionError
            An unknown session type, or neither markers nor a classifier.
        InputError
            An unreadable or invalid estimator file, or one that reads a code the
            codebook lacks.
        """
        from .scoring import score_sessions

        self.check()
        return score_sessions(
            list(sessions),
            nlp=self.nlp_,
            classifier=self.classifier_,
            estimator=self.estimator_,
            resamples=self.resamples,
            session_type=self.type_name,
            progress=progress,
        )

    def analyze_each(self, sessions: Sequence[Session], *, progress=None) -> list[SessionResult]:
        """Score sessions each as its own type (`for_session`), results in input order.

        Parameters
        ----------
        sessions : sequence of Session
            Segmented sessions; a session's ``metadata["session_type"]`` overrides this
            pipeline's type.
        progress : callable, optional
            Given the number of utterances classified so far.

        Returns
        -------
        list of SessionResult
            One per session, in input order (see `analyze`).

        Raises
        ------
        OptionError
            An unknown session type, or neither markers nor a classifier.
        InputError
            An unreadable or invalid estimator file, or one that reads a code the
            codebook lacks.
        """
        groups: dict[str, tuple[Pipeline, list[Session]]] = {}
        for session in sessions:
            pipeline = self.for_session(session)
            groups.setdefault(pipeline.type_name, (pipeline, []))[1].append(session)
        done = {}
        for pipeline, group in groups.values():
            for result in pipeline.analyze(group, progress=progress):
                done[id(result.session)] = result
        return [done[id(s)] for s in sessions]

    def utterance_table(self, sessions: Sequence[Session], *, progress=None) -> pd.DataFrame:
        """The utterance table with `p_<code>` (classifier) and `m_<code>` (markers)
        columns, nothing scored: what `predict` writes."""
        from .scoring import utterance_evidence_table

        table, _ = utterance_evidence_table(
            list(sessions), nlp=self.nlp_, classifier=self.classifier_, progress=progress
        )
        return table

    # -- provenance -----------------------------------------------------------------------

    def provenance(self) -> dict[str, str]:
        """What exactly scores a run, by hash: codebook, classifier and estimator files.

        Returns
        -------
        dict of str to str
            codebook_sha256 (`Codebook.digest`, 16 hex digits), estimator_name and
            estimator_version (the packaged estimator's too), and where given as files
            classifier_model_json_sha256 and estimator_sha256 (SHA-256 hex digests).
        """
        from ..annotate.classifier import resolve_model_path
        from ..annotate.markers import load_codebook

        found = {"codebook_sha256": load_codebook(self.codebook).digest()}
        if self.classifier is not None and not hasattr(self.classifier, "predict_proba"):
            found["classifier_model_json_sha256"] = _digest(
                resolve_model_path(self.classifier) / "model.json"
            )
        if self.estimator is not None and isinstance(self.estimator, str | Path):
            found["estimator_sha256"] = _digest(Path(self.estimator))
        estimator = self.estimator_  # the packaged one too: which scored the run
        found["estimator_name"] = estimator.name
        found["estimator_version"] = estimator.version
        return found


__all__ = ["DEFAULT", "Pipeline", "clear_cache"]
