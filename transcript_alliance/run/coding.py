"""`code`: the main job over many files, and its output folder (DESIGN.md, "Output of
`code`"). The work itself is in `batch.py`; this module sets it up and writes run.json."""

from __future__ import annotations

import errno
import os
import platform
import shutil
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError, OptionError, TranscriptAllianceError, path_text
from ..io import renamed_note, unique_session_id, write_json
from ..read.inputs import InputFile, expand_inputs, read_input, require_inputs
from ..read.manifest import read_manifest
from ..session_types import DEFAULT, SessionType
from ..session_types import session_type as get_session_type
from .batch import (
    RUN_RECORD,
    Assembler,
    Job,
    Outcome,
    Settings,
    input_key,
    original_offsets,
    run_dask,
    run_local,
    tasks_of,
)
from .hidden_paths import PathHider

if TYPE_CHECKING:  # scoring imports spaCy; the main process of a parallel run needs none
    from .pipeline import Pipeline
    from .scoring import SessionResult


def provenance_hashes(settings: Settings) -> dict[str, str]:
    """What exactly scores a run: codebook, classifier and estimator, by hash."""
    return settings.pipeline().provenance()


@dataclass
class RunSummary:
    """What a run did, for the summary line and run.json.

    Attributes
    ----------
    sessions, utterances, words, ruptures : int
        Totals over the assembled files.
    resumed : int
        Files taken from an earlier run (`resume`).
    warnings : Counter[str]
        Sessions by warning code (`warning_codes`; sessions.csv's `warnings`): how many
        were read or scored with each guess or gap.
    failures : list[tuple[str, str]]
        Failed files and why.
    written : list[Path]
        The output files written.
    first_done, last_done : float or None
        Seconds from the start of the run to the first and last file coded.
    """

    sessions: int = 0
    utterances: int = 0
    words: int = 0
    ruptures: int = 0
    resumed: int = 0
    warnings: Counter[str] = field(default_factory=Counter)
    failures: list[tuple[str, str]] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    # seconds from the start of the run: first and last file coded (run.json "timings")
    first_done: float | None = None
    last_done: float | None = None

    def add(self, counts: dict[str, Any]) -> None:
        """Count one assembled shard (see `Assembler.add`)."""
        self.sessions += counts["sessions"]
        self.utterances += counts["utterances"]
        self.words += counts["words"]
        self.ruptures += counts["ruptures"]
        self.warnings.update(counts["warnings"])


def session_type_columns(items: list[InputFile], settings: Settings) -> list[str]:
    """The m_<code> columns that the session types in this run add to the codebook (see
    `Assembler`); an unknown session type raises OptionError here, before any work."""
    from ..annotate.markers import load_codebook

    if not settings.markers:
        return []
    types = {item.metadata.get("session_type") or settings.session_type for item in items}
    base = set(load_codebook(settings.codebook).ids)
    return [
        f"m_{c}"
        for t in sorted(types)
        for c in load_codebook(settings.codebook, session_type=t).ids
        if c not in base
    ]


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
    workers: int | None = 1,
    backend: str = "local",
    scheduler: str | None = None,
    resume: bool = False,
    fail_fast: bool = False,
    redact: bool = False,
    session_type: str | SessionType = DEFAULT,
    on_outcome: Callable[[Outcome, int], None] | None = None,
    freeze_gc: bool = False,
) -> RunSummary:
    """The `code` command as a function: every input file coded, the outputs written.

    Parameters
    ----------
    inputs
        Transcript files, folders (searched recursively) and globs.
    out
        The output folder (DESIGN.md, "Output of `code`").
    manifest
        A manifest CSV: files with their ids, session numbers, dates, session types.
    classifier, markers, estimator, codebook, resamples
        What scores a session (see `Pipeline`).
    fmt, roles, columns
        How files are read (see `ReadOptions`): a format instead of the extension's, a
        speaker-label-to-role map (a manifest row's own wins), table column names.
    workers, backend, scheduler
        Parallel processes (`None`: every core this process may run on, the command
        line's default), ``local`` or ``dask``, and a Dask scheduler address.
    resume
        Skip files whose shard exists under the same settings.
    fail_fast
        Stop at the first file that fails (otherwise it goes to errors.csv).
    redact
        Pseudonymise each session before coding (the [deid] extra), a client's sessions
        together (one worker task per client), so pseudonyms hold across them.
    session_type
        For files whose manifest row names none.
    on_outcome
        Called as ``on_outcome(outcome, total)`` as each file finishes.
    freeze_gc
        `gc.freeze()` in this process once models are loaded (see `Pipeline`); the
        toolkit's CLI sets it; worker processes the toolkit starts always do.

    Returns
    -------
    RunSummary
        Counts, failures (path, error) and the files written.

    Raises
    ------
    OptionError
        A bad option value (session type, backend, no evidence).
    InputError
        A bad manifest or estimator file.
    """
    started = time.perf_counter()
    require_inputs(inputs, manifest)
    if backend not in {"local", "dask"}:
        raise OptionError(f"`backend` {backend}: expected local or dask")
    if resamples < 10:
        raise OptionError(f"`resamples` {resamples}: expected 10 or more (500 is the default)")
    if workers is None:
        workers = len(os.sched_getaffinity(0))
    if workers < 1:
        raise OptionError(f"`workers` {workers}: expected 1 or more")
    settings = coding_settings(
        classifier=classifier,
        markers=markers,
        estimator=estimator,
        codebook=codebook,
        resamples=resamples,
        fmt=fmt,
        roles=roles,
        columns=columns,
        redact=redact,
        session_type=session_type,
    )
    _check_model_folder(settings.classifier, settings.codebook)
    out = Path(out)
    with _disk_full_in_one_line(out):
        work, purged = _work_folder(out, settings)
        skipped: dict[str, int] = {}  # a folder's files of no transcript kind, by why
        items, missing = expand_inputs([Path(p) for p in inputs], manifest, skipped)
        hider = PathHider([i.path for i in items] + [Path(e.path) for e in missing if e.path])
        items, keys, unreadable = _keys(items, settings.digest())
        summary = RunSummary(failures=[(e.path or "", str(e)) for e in missing + unreadable])
        todo, ready = _plan(items, keys, work, settings.redact, resume, summary)
        assembler = Assembler(out, session_type_columns(items, settings))
        if backend == "local":
            stream = run_local(todo, settings, work, workers, freeze_gc)
        else:
            stream = run_dask(todo, settings, work, workers, scheduler)
        run = _Run(assembler, summary, work, keys, ready, started)
        if settings.redact:  # no client names in what is written (hidden_paths.py)
            run.written_failures = hider.failures
            from ..deid.files import alone_note

            alone = sum(not item.metadata.get("client_id") for item in items)
            if note := alone_note(alone, len(items)):
                warnings.warn(note, stacklevel=2)
        try:
            finished = run.consume(stream, sum(len(task) for task in todo), on_outcome, fail_fast)
        except BaseException:
            assembler.abandon()
            raise
        if not finished:
            if fail_fast or not summary.failures:
                return summary
            # Every input failed: errors.csv alone says why (earlier outputs go, see finish).
            summary.written = assembler.finish(
                run.written_failures(summary.failures), errors_only=True
            )
        record = _run_record(settings, summary, workers, backend, started)
        record["outputs"] = sorted(p.name for p in summary.written)
        outside = _outside_manifest(manifest)
        record["outside_manifest_folder"] = (
            [hider.text(p) for p in outside] if settings.redact else outside
        )
        record["purged_shards"] = purged
        record["skipped_in_folders"] = dict(sorted(skipped.items()))
        write_json(out / RUN_RECORD, record)  # last: the mark of a whole set (see Assembler)
        summary.written.append(out / RUN_RECORD)
        return summary


@contextmanager
def _disk_full_in_one_line(out: Path) -> Iterator[None]:
    """A full disk (or quota) anywhere in the run: one line, not a traceback."""
    try:
        yield
    except OSError as err:
        if err.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        where = path_text(err.filename or out)
        raise TranscriptAllianceError(
            f"{where}: no space left on the device ({err.strerror}); free some space or "
            "choose another `out`, then run again with `resume` (finished files are kept)"
        ) from None


def _keys(
    items: list[InputFile], digest: str
) -> tuple[list[InputFile], list[str], list[InputError]]:
    """Each readable input's resume key; files that cannot be opened are failures."""
    kept, keys, failed = [], [], []
    for item in items:
        try:
            keys.append(input_key(item, digest))
        except OSError as err:
            failed.append(InputError(item.path, f"cannot be read ({err.strerror})"))
            continue
        kept.append(item)
    return kept, keys, failed


def _outside_manifest(manifest: str | Path | None) -> list[str]:
    """Files a manifest names outside its own folder (allowed; listed in run.json)."""
    if manifest is None:
        return []
    return [path_text(e.path) for e in read_manifest(manifest, []) if e.outside]


def coding_settings(
    *,
    classifier: str | Path | None = "default",
    markers: bool = True,
    estimator: str | Path | None = None,
    codebook: str | Path | None = None,
    resamples: int = 500,
    fmt: str | None = None,
    roles: str | None = None,
    columns: dict[str, str] | None = None,
    redact: bool = False,
    session_type: str | SessionType = DEFAULT,
) -> Settings:
    """`code`'s scoring and reading options as one checked `Settings` (the same for
    `iter_code`): a bad estimator, session type or missing extra fails before any work.

    Raises
    ------
    OptionError
        Neither markers nor a classifier; an unknown session type; `redact` without the
        [deid] extra.
    InputError
        An unreadable or invalid estimator file.
    """
    settings = Settings(
        classifier=_model_name(classifier),
        markers=markers,
        estimator=str(estimator) if estimator else None,
        codebook=str(codebook) if codebook else None,
        resamples=resamples,
        fmt=fmt,
        roles=roles,
        columns=tuple(sorted((columns or {}).items())),
        redact=redact,
        session_type=get_session_type(session_type).name,
    )
    settings.pipeline().check()
    if redact:
        from ..deid.engine import require_presidio

        require_presidio()  # without the [deid] extra: one clear error before any work
    return settings


def _work_folder(out: Path, settings: Settings) -> tuple[Path, int]:
    """Where this run's shards go (by settings), cleared of a killed worker's leftovers.
    With `redact`, the shards of every other settings are removed first (returned: how
    many): an earlier run without `redact` left the sessions' text there."""
    shards = out / ".work"
    purged = 0
    if settings.redact and shards.is_dir():
        for other in shards.iterdir():
            if other.name != settings.digest():
                purged += sum(1 for p in other.glob("[!.]*")) if other.is_dir() else 0
                _remove(other)
    work = shards / settings.digest()
    work.mkdir(parents=True, exist_ok=True)
    for stale in work.glob(".*"):  # a killed worker's half-written shard, its notes
        _remove(stale)
    return work, purged


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _plan(
    items: list[InputFile],
    keys: list[str],
    work: Path,
    redact: bool,
    resume: bool,
    summary: RunSummary,
) -> tuple[list[list[Job]], set[int]]:
    """The tasks to run, and the files (by input order) already done (`resume`). With
    redact, a client's files are one task (one pseudonym table), resumed only whole."""
    todo, ready = [], set()
    for task in tasks_of([(i, item, keys[i]) for i, item in enumerate(items)], redact):
        if resume and all((work / key / "sessions.parquet").is_file() for _, _, key in task):
            summary.resumed += len(task)
            ready.update(index for index, _, _ in task)
        else:
            todo.append(task)
    return todo, ready


@dataclass
class _Run:
    """Outcomes in, shards appended to the outputs in input order while later files are
    still coded."""

    assembler: Assembler
    summary: RunSummary
    work: Path
    keys: list[str]
    ready: set[int]  # files whose outcome is known, by input order
    started: float
    failed: dict[int, tuple[str, str]] = field(default_factory=dict)
    assembled: int = 0
    # errors.csv rows as written (with `redact`: paths hidden, `PathHider.failures`)
    written_failures: Callable[[list[tuple[str, str]]], list[tuple[str, str]]] = list

    def assemble_ready(self) -> None:
        """Append the shards of files done, in input order, up to the first file not yet done.

        Failed files are skipped; each appended shard is counted in `summary`.
        """
        while self.assembled in self.ready:
            if self.assembled not in self.failed:
                self.summary.add(self.assembler.add(self.work / self.keys[self.assembled]))
            self.assembled += 1

    def consume(
        self,
        stream: Iterator[Outcome],
        total: int,
        on_outcome: Callable[[Outcome, int], None] | None,
        fail_fast: bool,
    ) -> bool:
        """Take every outcome; True when the outputs were written (False: nothing coded,
        or `fail_fast` stopped the run)."""
        summary = self.summary
        self.assemble_ready()
        for outcome in stream:
            summary.last_done = time.perf_counter() - self.started
            summary.first_done = summary.first_done or summary.last_done
            if on_outcome:
                on_outcome(outcome, total)
            if outcome.error:
                self.failed[outcome.index] = (outcome.path, outcome.error)
                if fail_fast:
                    stream.close()
                    summary.failures += list(self.failed.values())
                    self.assembler.abandon()
                    return False
            self.ready.add(outcome.index)
            self.assemble_ready()
        summary.failures += [self.failed[i] for i in sorted(self.failed)]
        if len(self.failed) == len(self.keys):  # nothing coded: no empty tables
            self.assembler.abandon()
            return False
        summary.written = self.assembler.finish(self.written_failures(summary.failures))
        return True


def _check_model_folder(classifier: object, codebook: str | None) -> None:
    """A model folder that cannot be used fails the run once, in one line, before any file
    is read (not once per file in each worker). Reads model.json only: the weights load in
    the workers."""
    if isinstance(classifier, str | Path):
        from ..annotate.classifier.modeldir import check_model  # model.json only: no torch

        check_model(classifier, codebook=codebook)


def _model_name(classifier: str | Path | None) -> str | None:
    """The classifier as a string that names the same thing: a `Path` stays a path
    (`Path("default")` -> `./default`, not the shipped model)."""
    if classifier is None or isinstance(classifier, str):
        return classifier
    text = str(classifier)
    return text if classifier.is_absolute() or "/" in text else f"./{text}"


def _rounded(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds, 2)


def _run_record(
    settings: Settings, summary: RunSummary, workers: int, backend: str, started: float
) -> dict[str, Any]:
    from importlib.metadata import version

    from .. import __version__
    from ..annotate.markers import load_codebook
    from ..nlp import model_name

    seconds = time.perf_counter() - started
    return {
        "toolkit_version": __version__,
        "python": platform.python_version(),
        "spacy_version": version("spacy"),
        "spacy_model": model_name(),
        "codebook_version": load_codebook(settings.codebook).version,
        "settings": {
            **{k: v for k, v in settings.__dict__.items() if k != "columns"},
            "roles": _roles_shown(settings),
            "columns": dict(settings.columns),
            "workers": workers,
            "backend": backend,
            "settings_digest": settings.digest(),
        },
        "hashes": provenance_hashes(settings),
        "counts": {
            "sessions": summary.sessions,
            "utterances": summary.utterances,
            "words": summary.words,
            "ruptures": summary.ruptures,
            "failed_inputs": len(summary.failures),
            "resumed": summary.resumed,
        },
        # sessions by warning code (sessions.csv's `warnings`; docs/COLUMNS.md)
        "warnings": dict(sorted(summary.warnings.items())),
        "seconds": round(seconds, 2),
        "words_per_second": round(summary.words / seconds, 1) if seconds else None,
        # start-up (loading models, the first file), coding, and what came after it
        "timings": {
            "first_file_done_s": _rounded(summary.first_done),
            "last_file_done_s": _rounded(summary.last_done),
            "total_s": round(seconds, 2),
        },
    }


def _roles_shown(settings: Settings) -> str | None:
    """The roles map as run.json records it: with `redact`, how many entries it had (its
    labels are people's names), else as given."""
    if not settings.redact or not settings.roles:
        return settings.roles
    entries = [p for p in settings.roles.split(",") if p.strip()]
    return f"(redacted: {len(entries)} entries)"


def iter_code(
    inputs: list[str | Path],
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
    redact: bool = False,
    session_type: str | SessionType = DEFAULT,
) -> Iterator[SessionResult | InputError]:
    """For notebooks: what `code` computes, one file at a time, nothing written.

    The options are `code`'s (those that change a session's outputs), with the same
    meaning, and each session is scored by the same `Pipeline`, so a result's `row()`
    equals its row of `code`'s sessions.csv.

    Returns
    -------
    Iterator[SessionResult | InputError]
        One `SessionResult` per readable file, or the `InputError` of one that is not,
        in input order (with `redact`, a client's files come together, as `code` codes
        them).

    Raises
    ------
    OptionError, InputError
        As `code` does for bad options, before the first result.
    """
    settings = coding_settings(
        classifier=classifier,
        markers=markers,
        estimator=estimator,
        codebook=codebook,
        resamples=resamples,
        fmt=fmt,
        roles=roles,
        columns=columns,
        redact=redact,
        session_type=session_type,
    )
    pipeline = settings.pipeline()
    items, missing = expand_inputs([Path(p) for p in inputs], manifest)
    return _iter_results(items, missing, settings, pipeline)


def _iter_results(
    items: list[InputFile], missing: list[InputError], settings: Settings, pipeline: Pipeline
) -> Iterator[SessionResult | InputError]:
    """`iter_code`'s work, file by file (a client's files together with `redact`)."""
    from ..segment.utterances import segment_sessions

    yield from missing
    options = settings.read_options()
    used: set[str] = set()  # ids unique as in sessions.csv (`io.unique_session_id`)
    for task in _by_client(items) if settings.redact else [[item] for item in items]:
        sessions = []
        for item in task:
            try:
                sessions.append(read_input(item.path, item.metadata, options))
            except InputError as error:
                yield error
        redactions = [None] * len(sessions)
        if settings.redact and sessions:
            from ..deid import pseudonymise_sessions

            redactions = pseudonymise_sessions(sessions)
        for session, redaction in zip(sessions, redactions):
            (result,) = pipeline.for_session(session).analyze(segment_sessions([session]))
            if redaction is not None and len(result.markers):
                result.markers = original_offsets(result.markers, redaction)
            yield _unique(result, used)


def _unique(result: SessionResult, used: set[str]) -> SessionResult:
    """`Assembler._unique_id`'s renaming for one result: an id already yielded gets `-2`,
    `-3`, ... (`io.unique_session_id`) in every table, and a warning."""
    given = result.session.session_id
    renamed = unique_session_id(given, used)
    if renamed != given:
        result.session.session_id = renamed
        result.warnings.append(renamed_note(given, renamed))
        for name in ("utterances", "evidence", "ruptures", "markers", "dyads"):
            frame = getattr(result, name)
            if "session_id" in frame:
                frame["session_id"] = renamed
    return result


def _by_client(items: list[InputFile]) -> list[list[InputFile]]:
    groups: dict[str, list[InputFile]] = {}
    for item in items:
        client = item.metadata.get("client_id") or f"file:{item.path}"
        groups.setdefault(str(client), []).append(item)
    return list(groups.values())
