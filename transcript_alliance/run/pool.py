"""A local process pool that outlives a killed worker (issue 19).

When the out-of-memory killer (or anything else) ends a worker mid-file, Python's
`ProcessPoolExecutor` marks every pending future broken. Here each worker notes the files
it is coding (`.inflight-<pid>` in the shard folder) before it starts; when the pool
breaks, the note of the worker that died abruptly names the file in flight, which is
listed as failed, and the tasks not yet done go to a fresh pool. Other workers' notes
are not blamed: the pool's own shutdown ends them with SIGTERM, the killed one by
another signal or exit status.
"""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

INFLIGHT = ".inflight-"
# Tests only: a worker ends at once (as if killed) on the file of this name.
EXIT_ON_ENV = "TRANSCRIPT_ALLIANCE_TEST_WORKER_EXIT_ON"
KILLED = "the worker coding it stopped abruptly (killed, e.g. out of memory); skipped"


def noted_task(process: Callable[..., list], task: list, work: str, *args: Any) -> list:
    """`process(task, *args)` in a pool worker, with a note of the task's files."""
    note = Path(work) / f"{INFLIGHT}{os.getpid()}"
    note.write_text(json.dumps([job[0] for job in task]), encoding="utf-8")
    exit_on = os.environ.get(EXIT_ON_ENV)
    if exit_on and any(job[1].path.name == exit_on for job in task):
        os._exit(3)
    try:
        return process(task, *args)
    finally:
        note.unlink(missing_ok=True)


def run_pool(
    make_pool: Callable[[], ProcessPoolExecutor],
    first_pool: ProcessPoolExecutor,
    tasks: list[list],
    submit_args: Callable[[list], tuple],
    work: Path,
    killed: Callable[[list], Iterator],
) -> Iterator:
    """Each task's outcomes as it finishes; after a broken pool, `killed(task)` for the
    task in flight in the dead worker and a fresh pool for the rest.

    Parameters
    ----------
    make_pool, first_pool
        A new pool, and the one already started (its workers load models meanwhile).
    tasks
        Lists of jobs `(index, InputFile, key)`.
    submit_args
        The arguments for `pool.submit` for a task (`noted_task` first).
    work
        The shard folder, where workers leave their notes.
    killed
        The failed outcomes of a task whose worker died.
    """
    pool, pending = first_pool, list(tasks)
    try:
        while pending:
            pending = yield from _one_pool(pool, pending, submit_args, work, killed)
            if pending:
                pool = make_pool()
    finally:
        # Not waiting for the workers to exit lets the last shards be assembled meanwhile.
        pool.shutdown(wait=False, cancel_futures=True)


def _one_pool(
    pool: ProcessPoolExecutor,
    pending: list[list],
    submit_args: Callable[[list], tuple],
    work: Path,
    killed: Callable[[list], Iterator],
):
    """Run the tasks in one pool; returns the tasks left when it broke (else [])."""
    futures: dict[Future, int] = {pool.submit(*submit_args(t)): n for n, t in enumerate(pending)}
    done: set[int] = set()
    for future in as_completed(futures):
        try:
            outcomes = future.result()
        except BrokenProcessPool:
            break
        done.add(futures[future])
        yield from outcomes
    else:
        return []
    processes = dict(getattr(pool, "_processes", None) or {})  # shutdown forgets them
    pool.shutdown(wait=True)  # the pool's own clean-up: workers joined
    for future, n in futures.items():  # finished before the break
        if n not in done and future.done() and not future.cancelled() and not future.exception():
            done.add(n)
            yield from future.result()
    culprits = _in_flight(processes, work)
    stalled = not done and not culprits  # died before any note: do not loop forever
    rest = []
    for n, task in enumerate(pending):
        if n in done:
            continue
        if stalled or any(job[0] in culprits for job in task):
            yield from killed(task)
        else:
            rest.append(task)
    return rest


def _in_flight(processes: dict[int, Any], work: Path) -> set[int]:
    """The job indices noted by workers that died abruptly (not ended by the pool's
    SIGTERM); when none did (a worker ended by a plain `kill`), those of every note."""
    dead = {
        pid
        for pid, process in processes.items()
        if process.exitcode not in (None, 0, -signal.SIGTERM)
    }
    by_dead: set[int] = set()
    noted: set[int] = set()
    for note in work.glob(f"{INFLIGHT}*"):
        indices = json.loads(note.read_text(encoding="utf-8"))
        noted.update(indices)
        if int(note.name.removeprefix(INFLIGHT) or 0) in dead:
            by_dead.update(indices)
        note.unlink(missing_ok=True)
    return by_dead or noted
