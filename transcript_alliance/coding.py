"""The files `code` writes into its output folder (DESIGN.md, "Output of `code`")."""

from __future__ import annotations

import hashlib
import platform
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from .analysis import SessionResult
from .classifier.modeldir import write_json
from .errors import InputError
from .ruptures import RUPTURE_COLUMNS
from .tables import MARKER_COLUMNS, write_table


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_outputs(
    results: list[SessionResult],
    failures: list[InputError],
    out: str | Path,
    settings: dict[str, Any],
    started: float,
) -> list[Path]:
    """sessions.csv/.parquet, utterances.parquet, markers.parquet, evidence.csv,
    ruptures.csv, errors.csv and run.json; each written whole or not at all."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    sessions = pd.DataFrame([r.row() for r in results])
    if not sessions.empty:
        sessions = sessions.astype({"session_number": "Int64"})
    frames = {
        "utterances.parquet": [r.utterances for r in results],
        "markers.parquet": [r.markers for r in results if not r.markers.empty],
        "evidence.csv": [r.evidence for r in results],
        "ruptures.csv": [r.ruptures for r in results],
    }
    written = [write_table(sessions, out / "sessions.csv")]
    written.append(write_table(sessions, out / "sessions.parquet"))
    for name, parts in frames.items():
        columns = {"markers.parquet": MARKER_COLUMNS, "ruptures.csv": RUPTURE_COLUMNS}.get(name)
        frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
        written.append(write_table(frame, out / name))
    errors = pd.DataFrame(
        [{"path": e.path, "error": str(e)} for e in failures], columns=["path", "error"]
    )
    written.append(write_table(errors, out / "errors.csv"))
    from . import __version__

    run = {
        "toolkit_version": __version__,
        "python": platform.python_version(),
        "settings": settings,
        "counts": {
            "sessions": len(results),
            "utterances": int(sum(len(r.utterances) for r in results)),
            "failed_inputs": len(failures),
            "ruptures": int(sum(len(r.ruptures) for r in results)),
        },
        "seconds": round(time.perf_counter() - started, 2),
    }
    write_json(out / "run.json", run)
    return [*written, out / "run.json"]


def hashes(codebook_digest: str, classifier_dir: Path | None, estimator: Path | None) -> dict:
    """Provenance for run.json: what exactly scored this run."""
    found: dict[str, str] = {"codebook_sha256": codebook_digest}
    if classifier_dir is not None:
        found["classifier_model_json_sha256"] = _digest(classifier_dir / "model.json")
    if estimator is not None:
        found["estimator_sha256"] = _digest(estimator)
    return found


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
    progress: Callable[[str, int], Callable[[int], None]] | None = None,
) -> tuple[list[SessionResult], list[InputError]]:
    """The `code` command as a function: read, segment, analyze, write the output folder.
    Files that cannot be read are listed in errors.csv and returned; the rest go on.
    `progress(description, total)` may return a callback advanced per utterance scored."""
    from .analysis import analyze_sessions
    from .classifier import resolve_model_path
    from .estimate import load_estimator
    from .inputs import read_inputs
    from .markers import load_codebook
    from .segment import segment_sessions

    started = time.perf_counter()
    est = load_estimator(estimator)  # before reading: a bad file fails fast
    failures: list[InputError] = []
    paths = [Path(p) for p in inputs]
    sessions = segment_sessions(
        read_inputs(paths, Path(manifest) if manifest else None, fmt=fmt, roles=roles,
                    columns=columns, failures=failures)
    )  # fmt: skip
    if not sessions:
        return [], failures
    n = sum(len(s.utterances) for s in sessions)
    bar = progress("coding", n) if progress and classifier is not None else None
    results = analyze_sessions(
        sessions, classifier=classifier, markers=markers, codebook=codebook, estimator=est,
        resamples=resamples, progress=bar,
    )  # fmt: skip
    book = load_codebook(codebook)
    settings = {
        "classifier": str(classifier) if classifier is not None else "none",
        "markers": markers, "resamples": resamples,
        "estimator": str(estimator) if estimator else f"packaged default {est.version}",
        "codebook": str(codebook) if codebook else "packaged default",
        "codebook_version": book.version,
        **hashes(
            book.digest(), resolve_model_path(classifier) if classifier is not None else None,
            Path(estimator) if estimator else None,
        ),
    }  # fmt: skip
    write_outputs(results, failures, out, settings, started)
    return results, failures
