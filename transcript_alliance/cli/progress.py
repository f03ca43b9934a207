"""Progress for batch runs: a rich bar (sessions done, words/s, ETA) on a terminal,
plain periodic lines otherwise, nothing with --quiet."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterator

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from ..run.batch import Outcome
from .output import stderr

LOG_EVERY_S = 10.0


@contextlib.contextmanager
def batch_progress(quiet: bool) -> Iterator:
    """Progress reporting for a batch run, as a context manager.

    Parameters
    ----------
    quiet : bool
        Report nothing.

    Yields
    ------
    callable or None
        None with `quiet`. Otherwise a function ``(outcome, total)`` called once per file
        done: on a terminal it advances a rich bar (files done, words/s, ETA); elsewhere it
        prints a plain line on stderr at most every `LOG_EVERY_S` (10) seconds and after the
        last file (files done and failed, words/s, estimated seconds left).
    """
    started = time.perf_counter()
    state = {"words": 0, "done": 0, "failed": 0, "logged": started}

    def rate() -> float:
        return state["words"] / max(time.perf_counter() - started, 1e-9)

    if quiet:
        yield None
        return
    if not sys.stderr.isatty():

        def log(outcome: Outcome, total: int) -> None:
            state["done"] += 1
            state["words"] += outcome.words
            state["failed"] += bool(outcome.error)
            now = time.perf_counter()
            if now - state["logged"] >= LOG_EVERY_S or state["done"] == total:
                state["logged"] = now
                left = (total - state["done"]) * (now - started) / state["done"]
                stderr.print(
                    f"coded {state['done']}/{total} files ({state['failed']} failed), "
                    f"{rate():,.0f} words/s, about {left:,.0f} s left",
                    markup=False,
                )

        yield log
        return
    columns = (
        TextColumn("coding"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]} words/s"),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=stderr, transient=True) as progress:
        task = progress.add_task("coding", total=None, rate="0")

        def advance(outcome: Outcome, total: int) -> None:
            state["words"] += outcome.words
            progress.update(task, total=total, advance=1, rate=f"{rate():,.0f}")

        yield advance
