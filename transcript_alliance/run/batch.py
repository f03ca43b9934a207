"""Batch coding: many sessions, streamed, in parallel, resumable, locally or on Dask.

Each input file is one unit of work. A worker reads, segments and analyzes it and writes
its tables as a *shard* (`OUT/.work/<settings>/<input key>/`, Parquet, moved into place
whole), so the main process holds nothing but counts, memory stays flat, and a killed run
keeps every finished file. The input key hashes the file's bytes, its manifest metadata
and the settings, so `resume` skips exactly the work already done under the same
settings. At the end the shards are streamed, in input order, into the output files
(each written to a temporary name and renamed), so outputs do not depend on worker
count, completion order, backend, or interruptions.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import shutil
import statistics
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..errors import TranscriptAllianceError, path_text
from ..io import (
    append_csv,
    csv_round_trip,
    move_into_place,
    remove_stale_temporaries,
    temporary_file,
    unique_session_id,
)
from ..read.base import ReadOptions
from ..read.inputs import InputFile
from ..session import Session
from ..session_types import DEFAULT
from ..warning_codes import WarningCode, split_codes
from .pipeline import Pipeline

if TYPE_CHECKING:
    import pyarrow as pa

SHARD_FORMAT = 4  # bump when a shard's tables change, so --resume never mixes formats
RUN_RECORD = "run.json"  # written last, removed first: present only beside a whole set
# Every file `code` may write besides run.json: a new set replaces the old one whole.
OUTPUTS = (
    "sessions.csv",
    "sessions.parquet",
    "utterances.parquet",
    "markers.parquet",
    "evidence.csv",
    "ruptures.csv",
    "errors.csv",
    "dyads.csv",
    "program.csv",
)
TABLES = ("sessions", "utterances", "markers", "evidence", "ruptures", "dyads")


@dataclass(frozen=True)
class Settings:
    """Everything that changes a session's outputs; hashed into the resume key.

    `code`'s options, checked and gathered once: what scores (`pipeline`), what reads
    (`read_options`), and `redact`."""

    classifier: str | None = "default"
    markers: bool = True
    estimator: str | None = None
    codebook: str | None = None
    resamples: int = 500
    fmt: str | None = None
    roles: str | None = None
    columns: tuple[tuple[str, str], ...] = ()
    redact: bool = False  # pseudonymise before coding (the [deid] extra)
    session_type: str = DEFAULT  # for files whose manifest row names none

    def digest(self) -> str:
        """The hash of these settings, with the toolkit version and the provenance of the
        codebook, model and estimator they load: the part of each file's resume key.

        Returns
        -------
        str
            The first 16 hex characters of a SHA-256 digest.
        """
        return _digest(self)

    def pipeline(self, *, freeze_gc: bool = False) -> Pipeline:
        """The pipeline for files whose manifest row names no session type
        (`Pipeline.for_session` gives the one for a session that does)."""
        return Pipeline(
            self.session_type,
            classifier=self.classifier,
            markers=self.markers,
            estimator=self.estimator,
            codebook=self.codebook,
            resamples=self.resamples,
            freeze_gc=freeze_gc,
        )

    def read_options(self) -> ReadOptions:
        """How every input file is read (a manifest row's own roles map wins)."""
        return ReadOptions(format=self.fmt, roles=self.roles, columns=dict(self.columns))


@lru_cache(maxsize=8)
def _digest(settings: Settings) -> str:
    """Hashing reads the codebook, model.json and estimator: once per settings, not per file."""
    from .. import __version__

    data = {
        **asdict(settings),
        "toolkit": __version__,
        "shards": SHARD_FORMAT,
        **settings.pipeline().provenance(),
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


@dataclass
class Outcome:
    """What a worker sends back: counts, or the reason a file failed. Small by design."""

    index: int
    path: str
    key: str
    sessions: int = 0
    utterances: int = 0
    words: int = 0
    ruptures: int = 0
    error: str | None = None


def input_key(item: InputFile, settings_digest: str) -> str:
    """A file's resume key: SHA-256 over the settings digest, the file's metadata and its bytes.

    Parameters
    ----------
    item : InputFile
        The file and its metadata.
    settings_digest : str
        `Settings.digest()` of the run.

    Returns
    -------
    str
        The first 24 hex characters of the digest.

    Raises
    ------
    OSError
        When the file cannot be read.
    """
    digest = hashlib.sha256(settings_digest.encode())
    digest.update(json.dumps(item.metadata, sort_keys=True, default=str).encode())
    with item.path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:24]


def _strings(frame: pd.DataFrame) -> pd.DataFrame:
    """Object columns as nullable strings, so every shard has the same Parquet schema."""
    objects = [c for c in frame.columns if frame[c].dtype == object]
    return frame.astype({c: "string" for c in objects}) if len(objects) else frame


Job = tuple[int, InputFile, str]  # input order, the file, its key (see `input_key`)


def original_offsets(markers: pd.DataFrame, redaction) -> pd.DataFrame:
    """Markers found on pseudonymised text, with where they lie in the original turn."""
    spans = [
        redaction.offsets[int(turn)].span_to_original(int(start), int(end))
        for turn, start, end in zip(markers["turn"], markers["start_char"], markers["end_char"])
    ]
    return markers.assign(
        original_start_char=[s for s, _ in spans], original_end_char=[e for _, e in spans]
    )


def _read(job: Job, settings: Settings) -> Session:
    """The job's session (its manifest row's session type in its metadata); raises the
    reader's error."""
    from ..read.inputs import read_input

    return read_input(job[1].path, job[1].metadata, settings.read_options())


def _failed(job: Job, error: Exception) -> Outcome:
    outcome, item = Outcome(job[0], path_text(job[1].path), job[2]), job[1]
    if isinstance(error, TranscriptAllianceError):
        outcome.error = str(error)
    else:  # one bad file must not stop a corpus: report and go on
        outcome.error = (
            f"{path_text(item.path)}: could not be analysed ({type(error).__name__}: {error})"
        )
    return outcome


def _code_and_write(
    job: Job, session: Session, redaction, pipeline: Pipeline, work: str
) -> Outcome:
    """Segment and analyze one read session with its type's pipeline; write its shard."""
    from ..segment.utterances import segment_sessions

    index, item, key = job
    outcome = Outcome(index, path_text(item.path), key)
    try:
        (result,) = pipeline.for_session(session).analyze(segment_sessions([session]))
    except Exception as error:
        return _failed(job, error)
    markers = result.markers
    if redaction is not None and len(markers):
        markers = original_offsets(markers, redaction)
    tables = {
        "sessions": pd.DataFrame([result.row()]).astype({"session_number": "Int64"}),
        "utterances": result.utterances,
        "markers": markers,
        "evidence": result.evidence,
        "ruptures": result.ruptures,
        "dyads": result.dyads,
    }
    shard = Path(work) / key
    tmp = Path(tempfile.mkdtemp(dir=work, prefix=f".{key}."))
    try:
        for name, frame in tables.items():
            _strings(frame.reset_index(drop=True)).to_parquet(tmp / f"{name}.parquet", index=False)
        shutil.rmtree(shard, ignore_errors=True)
        tmp.rename(shard)
    finally:  # a full disk or a kill must not leave transcript text behind
        shutil.rmtree(tmp, ignore_errors=True)
    outcome.sessions = 1
    outcome.utterances = len(result.utterances)
    outcome.words = int(sum(u.n_words for u in result.session.utterances))
    outcome.ruptures = len(result.ruptures)
    return outcome


def process_task(
    task: list[Job], settings: Settings, work: str, freeze_gc: bool = False
) -> list[Outcome]:
    """Read, segment and analyze a task's files, writing a shard for each. Runs in a
    worker. A task is one file, or with `redact` one client's files, pseudonymised
    together so that a person keeps one pseudonym across the client's sessions.
    `freeze_gc`: see `Pipeline` (true in the toolkit's own processes)."""
    read, outcomes = [], {}
    for job in task:
        try:
            read.append((job, _read(job, settings)))
        except Exception as error:
            outcomes[job[0]] = _failed(job, error)
    redactions = [None] * len(read)
    if settings.redact and read:
        from ..deid import pseudonymise_sessions

        try:
            redactions = pseudonymise_sessions([session for _, session in read])
        except Exception as error:
            for job, _ in read:
                outcomes[job[0]] = _failed(job, error)
            read = []
    pipeline = settings.pipeline(freeze_gc=freeze_gc)
    for (job, session), redaction in zip(read, redactions):
        outcomes[job[0]] = _code_and_write(job, session, redaction, pipeline, work)
    return [outcomes[job[0]] for job in task]


def tasks_of(jobs: list[Job], by_client: bool) -> list[list[Job]]:
    """One task per file, or (by_client) one per client id. Outsized tasks (over twice the
    median size) go first, biggest first, so one long task does not leave the other
    workers idle at the end; the rest keep their input order, so that their shards can
    be appended to the outputs (in input order) as they finish rather than all at the
    end (sorting every task by size left ~2-3 s of assembly after the last of 100 files)."""
    if not by_client:
        tasks = [[job] for job in jobs]
    else:
        groups: dict[str, list[Job]] = {}
        for job in jobs:
            client = job[1].metadata.get("client_id") or f"file:{job[1].path}"
            groups.setdefault(str(client), []).append(job)
        tasks = list(groups.values())
    sizes = [sum(job[1].path.stat().st_size for job in task) for task in tasks]
    outsized = 2 * statistics.median(sizes) if sizes else 0
    first = sorted((n for n, size in enumerate(sizes) if size > outsized), key=lambda n: -sizes[n])
    rest = [n for n, size in enumerate(sizes) if size <= outsized]
    return [tasks[n] for n in first + rest]


def _init_worker(threads: int) -> None:
    """Workers share the cores rather than fight for them: torch and the BLAS under numpy
    (spaCy's layers) each default to one thread per core in every process, and on two
    cores two workers x two threads each wait on one another. torch is set directly when
    already loaded, else through OMP_NUM_THREADS, which it reads when it loads."""
    from threadpoolctl import threadpool_limits

    os.environ["OMP_NUM_THREADS"] = str(threads)
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(threads)
    threadpool_limits(limits=threads)
    atexit.register(_exit_at_once)


def _exit_at_once() -> None:
    """A worker leaves without tearing down torch, spaCy and the rest module by module
    (2-3 s per process, which the main process waits for). It runs only once the pool has
    told the worker to stop; every shard is written and every result sent by then."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def run_local(
    tasks: list[list[Job]], settings: Settings, work: Path, workers: int, freeze_gc: bool = False
) -> Iterator[Outcome]:
    """Outcomes as tasks finish (see `tasks_of` for the order). With several workers the
    pool starts here, not at the first `next`, so the workers load their models while the
    caller gets on with its own preparations. `freeze_gc` (see `Pipeline`) applies to this
    process (one worker); the pool's processes are the toolkit's own and always freeze."""
    if workers <= 1:
        return (
            outcome
            for task in tasks
            for outcome in process_task(task, settings, str(work), freeze_gc)
        )
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    from .pool import noted_task, run_pool

    threads = max(1, (os.cpu_count() or 1) // workers)

    def make_pool() -> ProcessPoolExecutor:
        context = get_context("spawn")
        return ProcessPoolExecutor(
            workers, mp_context=context, initializer=_init_worker, initargs=(threads,)
        )

    def submit_args(task: list[Job]) -> tuple:
        return (noted_task, process_task, task, str(work), settings, str(work), True)

    return run_pool(make_pool, make_pool(), tasks, submit_args, work, killed_outcomes)


def killed_outcomes(task: list[Job]) -> Iterator[Outcome]:
    """The failed outcomes of a task whose worker died (see `pool.py`)."""
    from .pool import KILLED

    for index, item, key in task:
        yield Outcome(index, path_text(item.path), key, error=f"{path_text(item.path)}: {KILLED}")


def run_dask(
    tasks: list[list[Job]],
    settings: Settings,
    work: Path,
    workers: int,
    scheduler: str | None,
) -> Iterator[Outcome]:
    """The same work on a Dask cluster (a scheduler address, or a local cluster). Workers
    write shards to `work`, which must be on a file system they all see. A local
    cluster's workers are the toolkit's own (gc frozen, see `Pipeline`); a lab's are not."""
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise TranscriptAllianceError(
            "`backend` dask needs the dask extra: pip install 'transcript-alliance[dask]'"
        ) from None
    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
    client = Client(scheduler or cluster)
    if cluster is not None:  # a lab's own cluster sets its workers' threads itself
        client.run(_init_worker, max(1, (os.cpu_count() or 1) // workers))
    try:
        own = cluster is not None
        futures = [
            client.submit(_dask_task, task, settings, str(work), own, pure=False) for task in tasks
        ]
        for future in as_completed(futures):
            if future.status == "error":  # a worker died (Dask's KilledWorker) or the like
                yield from _dask_failed(tasks[futures.index(future)], future.exception())
                continue
            yield from future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _dask_task(task: list[Job], settings: Settings, work: str, own: bool) -> list[Outcome]:
    """`process_task` on a Dask worker (ending at once on the test hook's file, as a
    killed worker would; see `pool.EXIT_ON_ENV`)."""
    from .pool import EXIT_ON_ENV

    exit_on = os.environ.get(EXIT_ON_ENV)
    if exit_on and any(job[1].path.name == exit_on for job in task):
        os._exit(3)
    return process_task(task, settings, work, own)


def _dask_failed(task: list[Job], error: BaseException) -> Iterator[Outcome]:
    for index, item, key in task:
        problem = f"could not be analysed ({type(error).__name__}: {error})"
        yield Outcome(index, path_text(item.path), key, error=f"{path_text(item.path)}: {problem}")


class Assembler:
    """Stream shards, in input order, into the final files: temporary names first, renamed
    only when everything is written."""

    def __init__(self, out: Path, pack_columns: list[str] | None = None) -> None:
        self.out = out
        self.tmp: dict[str, Path] = {}
        self.writers: dict[str, Any] = {}
        self.columns: dict[str, list[str]] = {}
        # m_<code> of the session types' packs: absent (null, not searched) from the
        # utterances of sessions of other types, so every shard fits one schema
        self.pack_columns = pack_columns or []
        self.sessions: list[pd.DataFrame] = []  # one row per file: small, columns vary
        self.ids: set[str] = set()  # case-folded session ids so far (see `_unique_id`)
        remove_stale_temporaries(out)  # left by a killed run: they hold transcript text

    def _tmp(self, name: str) -> Path:
        if name not in self.tmp:
            self.tmp[name] = temporary_file(self.out, name)
        return self.tmp[name]

    def add(self, shard: Path) -> dict[str, Any]:
        """Append one shard; returns its counts (sessions, utterances, words, ruptures) and
        its sessions' warning codes (`warnings`, a list: one entry per session and code)."""
        frame = _read_parquet(shard / "sessions.parquet").to_pandas()
        renamed = self._unique_id(frame)
        counts: dict[str, Any] = {
            "sessions": len(frame),
            "utterances": int(frame["n_utterances"].sum()),
            "words": int(frame["n_words"].sum()),
            "warnings": [c for cell in frame.get("warnings", []) for c in split_codes(cell)],
        }
        self.sessions.append(frame)
        for table in TABLES[1:]:
            arrow = _read_parquet(shard / f"{table}.parquet")
            if renamed is not None and arrow.num_rows:
                arrow = _with_session_id(arrow, renamed)
            if table == "ruptures":
                counts["ruptures"] = arrow.num_rows
            if table in ("utterances", "markers"):
                self._append_parquet(table, arrow)
                continue
            if arrow.num_rows == 0 and table in self.columns:
                continue  # nothing to append (the first shard's columns make the header)
            frame = arrow.to_pandas()
            first = table not in self.columns
            if first:
                self.columns[table] = list(frame.columns)
            frame = frame.reindex(columns=self.columns[table])
            append_csv(frame, self._tmp(table), header=first)
        return counts

    def _unique_id(self, sessions: pd.DataFrame) -> str | None:
        """Sessions never merge: an id already in the run (chosen by two files' contents,
        or two clients' ids pseudonymised alike) is renamed by `io.unique_session_id`
        (`-2`, `-3`, ... in input order), with the warning code `ID_RENAMED`; returns the
        new id, or None when the id was free."""
        if not len(sessions):
            return None
        given = str(sessions.at[0, "session_id"])
        renamed = unique_session_id(given, self.ids)
        if renamed == given:
            return None
        old = split_codes(sessions.at[0, "warnings"]) if "warnings" in sessions else []
        sessions["session_id"] = renamed
        sessions["warnings"] = "; ".join(dict.fromkeys([*old, WarningCode.ID_RENAMED.value]))
        return renamed

    def _append_parquet(self, table: str, arrow: pa.Table) -> None:
        """Append a shard's table to the output Parquet file as Arrow data: the first
        non-empty shard (by way of pandas, with the pack columns added) sets the file's
        schema, pandas dtypes included; the rest are cast to it without a pandas round
        trip (which was most of the time the main process spent per shard)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        if arrow.num_rows == 0:
            return
        writer = self.writers.get(table)
        if writer is None:
            frame = arrow.to_pandas()
            if table == "utterances" and self.pack_columns:
                missing = [c for c in self.pack_columns if c not in frame.columns]
                frame = frame.reindex(columns=[*frame.columns, *missing])
                frame = frame.astype({c: "Int64" for c in self.pack_columns})
            arrow = pa.Table.from_pandas(frame, preserve_index=False)
            writer = self.writers[table] = pq.ParquetWriter(self._tmp(table), arrow.schema)
        else:
            for name in writer.schema.names:  # m_<code> of a pack this session's type lacks
                if name not in arrow.column_names:
                    arrow = arrow.append_column(name, pa.nulls(arrow.num_rows, pa.int64()))
        arrow = arrow.select(writer.schema.names)
        if not arrow.schema.equals(writer.schema, check_metadata=False):
            arrow = arrow.cast(writer.schema)
        writer.write_table(arrow)

    def finish(self, errors: list[tuple[str, str]], errors_only: bool = False) -> list[Path]:
        """Close the tables and rename them into place as one set: run.json (the mark of a
        whole set) is removed before the first rename and written by `code` after the last,
        and outputs of an earlier run that this one does not write are removed, so a kill
        between renames leaves no run.json beside a mixed set. `errors_only` (every input
        failed): errors.csv alone."""
        if errors_only:
            from ..schema import ERROR_COLUMNS

            self.abandon()
            frame = pd.DataFrame(errors, columns=ERROR_COLUMNS)
            append_csv(frame, self._tmp("errors"), header=True)
            return self._replace({"errors": "errors.csv"})
        from ..comparison.program import program_summary
        from ..schema import (
            DYAD_COLUMNS,
            ERROR_COLUMNS,
            EVIDENCE_COLUMNS,
            MARKER_COLUMNS,
            RUPTURE_COLUMNS,
        )

        for writer in self.writers.values():
            writer.close()
        for name, columns in (("utterances", []), ("markers", MARKER_COLUMNS)):
            if name not in self.tmp:
                pd.DataFrame(columns=columns).to_parquet(self._tmp(name), index=False)
        for name, columns in (
            ("evidence", EVIDENCE_COLUMNS),
            ("ruptures", RUPTURE_COLUMNS),
            ("dyads", DYAD_COLUMNS),
        ):
            if name not in self.tmp:
                append_csv(pd.DataFrame(columns=columns), self._tmp(name), header=True)
        append_csv(pd.DataFrame(errors, columns=ERROR_COLUMNS), self._tmp("errors"), header=True)
        sessions = pd.concat(self.sessions, ignore_index=True) if self.sessions else None
        if sessions is None:
            sessions = pd.DataFrame(columns=["session_id"])
        append_csv(sessions, self._tmp("sessions"), header=True)
        ids = {"session_id": str, "client_id": str, "therapist_id": str}
        # as a reader will see it, with the raw text (the CSV's is neutralised: io.csv_safe)
        csv_round_trip(sessions, ids).to_parquet(self._tmp("sessions_parquet"), index=False)
        sessions = pd.read_csv(self.tmp["sessions"], dtype=ids)
        program = program_summary(sessions, pd.read_csv(self.tmp["dyads"], dtype=ids))
        finals = {
            "sessions": "sessions.csv",
            "sessions_parquet": "sessions.parquet",
            "utterances": "utterances.parquet",
            "markers": "markers.parquet",
            "evidence": "evidence.csv",
            "ruptures": "ruptures.csv",
            "errors": "errors.csv",
            "dyads": "dyads.csv",
        }
        if program is not None:
            append_csv(program, self._tmp("program"), header=True)
            finals["program"] = "program.csv"
        return self._replace(finals)

    def _replace(self, finals: dict[str, str]) -> list[Path]:
        (self.out / RUN_RECORD).unlink(missing_ok=True)
        for name, final in finals.items():
            move_into_place(self.tmp[name], self.out / final)
        for stale in set(OUTPUTS) - set(finals.values()):
            (self.out / stale).unlink(missing_ok=True)
        self.tmp = {}
        return [self.out / final for final in finals.values()]

    def abandon(self) -> None:
        """Close the open output writers and delete their temporary files (nothing moves into
        place)."""
        for writer in self.writers.values():
            writer.close()
        for path in self.tmp.values():
            path.unlink(missing_ok=True)
        self.writers, self.tmp = {}, {}


def _with_session_id(arrow: pa.Table, session_id: str) -> pa.Table:
    import pyarrow as pa

    column = arrow.schema.get_field_index("session_id")
    values = pa.array([session_id] * arrow.num_rows, type=arrow.schema.field(column).type)
    return arrow.set_column(column, "session_id", values)


def _read_parquet(path: Path) -> pa.Table:
    """A shard's table as Arrow data. `ParquetFile.read` (one file, no dataset discovery)
    takes a third of the time of `pq.read_table` and `pd.read_parquet` on these small
    files, and the main process reads six per file coded."""
    import pyarrow.parquet as pq

    return pq.ParquetFile(path).read()


ProgressFn = Callable[[Outcome], None]
