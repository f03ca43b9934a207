"""`code`: the main job over many files, and its output folder (DESIGN.md, "Output of
`code`"). The work itself is in `batch.py`; this module sets it up and writes run.json."""

from __future__ import annotations

import hashlib
import platform
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..annotate.classifier.modeldir import write_json
from ..errors import InputError, OptionError
from ..estimate.estimator import SESSION_TYPES
from ..read.inputs import expand_inputs
from .batch import Assembler, Outcome, Settings, input_key, run_dask, run_local, tasks_of

if TYPE_CHECKING:  # analysis imports spaCy; the main process of a parallel run needs none
    from .analysis import SessionResult


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def provenance_hashes(settings: Settings) -> dict[str, str]:
    """What exactly scores a run: codebook, classifier and estimator, by hash."""
    from ..annotate.classifier import resolve_model_path
    from ..annotate.markers import load_codebook

    found = {"codebook_sha256": load_codebook(settings.codebook).digest()}
    if settings.classifier:
        found["classifier_model_json_sha256"] = _digest(
            resolve_model_path(settings.classifier) / "model.json"
        )
    if settings.estimator:
        found["estimator_sha256"] = _digest(Path(settings.estimator))
    return found


@dataclass
class RunSummary:
    sessions: int = 0
    utterances: int = 0
    words: int = 0
    ruptures: int = 0
    resumed: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    # seconds from the start of the run: first and last file coded (run.json "timings")
    first_done: float | None = None
    last_done: float | None = None

    def add(self, counts: dict[str, int]) -> None:
        """Count one assembled shard (see `Assembler.add`)."""
        self.sessions += counts["sessions"]
        self.utterances += counts["utterances"]
        self.words += counts["words"]
        self.ruptures += counts["ruptures"]


def pack_columns(items: list, settings: Settings) -> list[str]:
    """The m_<code> columns that session-type packs add in this run (see Assembler)."""
    from ..annotate.markers import load_codebook

    if not settings.markers:
        return []
    types = {item.metadata.get("session_type") or settings.session_type for item in items}
    base = set(load_codebook(settings.codebook).ids)
    return [f"m_{c}" for t in sorted(types) for c in load_codebook(settings.codebook, t).ids
            if c not in base]  # fmt: skip


def code(
    inputs: list[str | Path],
    out: str | Path,
    *,
    manifest: str | Path | None = None,
    classifier: str | Path | None = "default",
    markers: bool = True,
    estimator: str | Path | None = None,
    codebook: str | Path | None = None,
    resamples: int = 500,
    fmt: str | None = None,
    roles: str | None = None,
    columns: dict[str, str] | None = None,
    workers: int = 1,
    backend: str = "local",
    scheduler: str | None = None,
    resume: bool = False,
    fail_fast: bool = False,
    redact: bool = False,
    session_type: str = "psychotherapy",
    on_outcome: Callable[[Outcome, int], None] | None = None,
) -> RunSummary:
    """The `code` command as a function: every input file coded, the outputs written.

    Files that cannot be read or analysed are listed in errors.csv (and in the summary);
    the rest go on, unless `fail_fast`. `resume` skips files whose shard exists under the
    same settings. `session_type` applies to files whose manifest row names none.
    `redact` pseudonymises each session before coding, a client's sessions together (one
    worker task per client), so pseudonyms hold across them. `on_outcome(outcome, total)`
    is called as each file finishes."""
    from ..estimate.estimator import load_estimator

    started = time.perf_counter()
    if classifier is None and not markers:
        raise OptionError("no evidence: switch on the markers, the classifier, or both")
    if backend not in {"local", "dask"}:
        raise OptionError(f"--backend {backend}: expected local or dask")
    load_estimator(estimator)  # a bad estimator file fails before any work
    settings = Settings(
        classifier=str(classifier) if classifier is not None else None, markers=markers,
        estimator=str(estimator) if estimator else None,
        codebook=str(codebook) if codebook else None, resamples=resamples, fmt=fmt,
        roles=roles, columns=tuple(sorted((columns or {}).items())), redact=redact,
        session_type=session_type,
    )  # fmt: skip
    if session_type not in SESSION_TYPES:
        raise OptionError(f"--session-type {session_type}: expected {', '.join(SESSION_TYPES)}")
    if redact:
        from ..deid.engine import require_presidio

        require_presidio()  # without the [deid] extra: one clear error before any work
    digest = settings.digest()
    out = Path(out)
    work = out / ".work" / digest
    work.mkdir(parents=True, exist_ok=True)
    for stale in work.glob(".*"):  # a killed worker's half-written shard
        shutil.rmtree(stale, ignore_errors=True)
    items, missing = expand_inputs([Path(p) for p in inputs], manifest)
    keys = [input_key(item, digest) for item in items]
    summary = RunSummary(failures=[(e.path or "", str(e)) for e in missing])
    # With redact, a client's files are one task (one pseudonym table), resumed only whole.
    todo, ready = [], set()  # ready: files whose outcome is known, by input order
    for task in tasks_of([(i, item, keys[i]) for i, item in enumerate(items)], redact):
        if resume and all((work / key / "sessions.parquet").is_file() for _, _, key in task):
            summary.resumed += len(task)
            ready.update(index for index, _, _ in task)
        else:
            todo.append(task)
    n_jobs = sum(len(task) for task in todo)
    failed: dict[int, tuple[str, str]] = {}
    assembler = Assembler(out, pack_columns(items, settings))  # (a bad pack fails here)
    assembled = 0  # shards are appended in input order while later files are still coded

    def assemble_ready() -> None:
        nonlocal assembled
        while assembled in ready:
            if assembled not in failed:
                summary.add(assembler.add(work / keys[assembled]))
            assembled += 1

    stream = (run_local(todo, settings, work, workers) if backend == "local"
              else run_dask(todo, settings, work, workers, scheduler))  # fmt: skip
    try:
        assemble_ready()
        for outcome in stream:
            summary.last_done = time.perf_counter() - started
            summary.first_done = summary.first_done or summary.last_done
            if on_outcome:
                on_outcome(outcome, n_jobs)
            if outcome.error:
                failed[outcome.index] = (outcome.path, outcome.error)
                if fail_fast:
                    stream.close()
                    summary.failures += list(failed.values())
                    assembler.abandon()
                    return summary
            ready.add(outcome.index)
            assemble_ready()
        summary.failures += [failed[i] for i in sorted(failed)]
        if len(failed) == len(keys):  # nothing coded: write nothing, rather than empty tables
            assembler.abandon()
            return summary
        summary.written = assembler.finish(summary.failures)
    except BaseException:
        assembler.abandon()
        raise
    write_json(out / "run.json", _run_record(settings, summary, workers, backend, started))
    summary.written.append(out / "run.json")
    return summary


def _rounded(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds, 2)


def _run_record(settings: Settings, summary: RunSummary, workers: int, backend: str,
                started: float) -> dict[str, Any]:  # fmt: skip
    from importlib.metadata import version

    from .. import __version__
    from ..annotate.markers import load_codebook
    from ..nlp import model_name

    seconds = time.perf_counter() - started
    return {
        "toolkit_version": __version__, "python": platform.python_version(),
        "spacy_version": version("spacy"), "spacy_model": model_name(),
        "codebook_version": load_codebook(settings.codebook).version,
        "settings": {**{k: v for k, v in settings.__dict__.items() if k != "columns"},
                     "columns": dict(settings.columns), "workers": workers,
                     "backend": backend, "settings_digest": settings.digest()},
        "hashes": provenance_hashes(settings),
        "counts": {"sessions": summary.sessions, "utterances": summary.utterances,
                   "words": summary.words, "ruptures": summary.ruptures,
                   "failed_inputs": len(summary.failures), "resumed": summary.resumed},
        "seconds": round(seconds, 2),
        "words_per_second": round(summary.words / seconds, 1) if seconds else None,
        # start-up (loading models, the first file), coding, and what came after it
        "timings": {
            "first_file_done_s": _rounded(summary.first_done),
            "last_file_done_s": _rounded(summary.last_done),
            "total_s": round(seconds, 2),
        },
    }  # fmt: skip


def iter_code(
    inputs: list[str | Path], *, manifest: str | Path | None = None, **options: Any
) -> Iterator[SessionResult | InputError]:
    """For notebooks: one `SessionResult` per readable file (or the `InputError` of one
    that is not), in order, nothing written. Options as for `analysis.analyze_sessions`."""
    from ..annotate.classifier import load_classifier
    from ..annotate.markers import marker_pipeline
    from ..read import read_session
    from ..segment.utterances import segment_sessions
    from .analysis import analyze_sessions

    roles = options.pop("roles", None)
    classifier = options.pop("classifier", "default")
    if classifier is not None and not hasattr(classifier, "predict_proba"):
        classifier = load_classifier(classifier, codebook=options.get("codebook"))
    codebook = options.get("codebook")
    nlp = (
        marker_pipeline(str(codebook) if codebook else None)
        if options.get("markers", True)
        else None
    )
    items, missing = expand_inputs([Path(p) for p in inputs], manifest)
    yield from missing
    for item in items:
        try:
            metadata = dict(item.metadata)
            session = read_session(item.path, roles=metadata.pop("roles", "") or roles,
                                   metadata=metadata)  # fmt: skip
        except InputError as error:
            yield error
            continue
        sessions = segment_sessions([session])
        yield analyze_sessions(sessions, classifier=classifier, nlp=nlp, **options)[0]
