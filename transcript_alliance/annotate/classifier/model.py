"""One interface over both backends: train, save, load, and a probability per code."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import numpy as np

from ...errors import InputError, OptionError
from ...io import FILE_MODE, write_json, write_text
from .calibration import apply_platt, fit_platt
from .data import CodedUtterances, UtteranceInputs, grouped_split, train_test_split
from .encoder import DEFAULT_BASE, resolve_base
from .modeldir import CARD_FILE, MODEL_FILE, ModelInfo, check_model

Backend = Literal["linear", "transformer"]
Progress = Callable[[int], None] | None


class UtteranceClassifier:
    """A trained multi-label classifier: `predict_proba(inputs)` gives utterances x codes."""

    def __init__(self, info: ModelInfo, scorer) -> None:
        self.info = info
        self.scorer = scorer

    @property
    def codes(self) -> list[str]:
        """The model's codes, in the order of the probability columns."""
        return self.info.codes

    def predict_proba(self, inputs: UtteranceInputs, progress: Progress = None) -> np.ndarray:
        """Calibrated probability of each code for each utterance.

        Codes without a trained head get their base rate from training; the others get the
        scorer's raw scores through per-code Platt scaling. Without context in the model the
        previous turns are blanked before scoring.

        Parameters
        ----------
        inputs : UtteranceInputs
            The utterances.
        progress : callable or None, optional
            Called with the number of utterances done after each batch.

        Returns
        -------
        np.ndarray
            Probabilities in [0, 1], shape (utterances, len(codes)).
        """
        probs = np.empty((len(inputs), len(self.codes)))
        for k, code in enumerate(self.codes):  # codes too rare to train keep their base rate
            probs[:, k] = self.info.base_rates[code]
        if len(inputs) and self.info.trained_codes:
            if not self.info.uses_context:
                inputs = UtteranceInputs(inputs.texts, inputs.roles, [""] * len(inputs))
            scores = self.scorer.scores(inputs, progress=progress)
            trained = [self.codes.index(c) for c in self.info.trained_codes]
            probs[:, trained] = apply_platt(scores, self.info.calibration, self.info.trained_codes)
        return probs

    def save(self, directory: str | Path, card: str | None = None) -> Path:
        """Write into a fresh folder beside `directory`, then move it into place."""
        directory = Path(directory)
        if directory.exists() and any(directory.iterdir()):
            raise OptionError(f"`out` {directory}: exists and is not empty; name a new folder")
        directory.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=directory.parent, prefix=f".{directory.name}."))
        try:
            self.scorer.save(tmp)
            write_json(tmp / MODEL_FILE, self.info.model_dump(mode="json"))
            if card:
                write_text(tmp / CARD_FILE, card)
            for item in tmp.iterdir():  # the folder stays mkdtemp's 0700
                item.chmod(FILE_MODE)  # one policy (io.py): a vocabulary holds session words
            if directory.exists():
                directory.rmdir()
            tmp.rename(directory)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return directory


def load_classifier(
    name_or_path: str | Path, *, codebook: str | Path | None = None, base: str | Path | None = None
) -> UtteranceClassifier:
    """Load a model directory after checking its files, its codebook version and, for the
    transformer backend, the hash of its base encoder. Nothing outside the allow-lists
    (JSON, skops with listed types, safetensors) is read."""
    directory, info = check_model(name_or_path, codebook=codebook)
    if info.backend == "linear":
        from .linear import LinearScorer

        return UtteranceClassifier(info, LinearScorer.load(directory))
    from .transformer import TransformerScorer

    assert info.base_model is not None
    _, base_dir = resolve_base(
        base or _base_location(directory, info.base_model.name), info.base_model.sha256
    )
    scorer = TransformerScorer.load(
        directory, base_dir, info.base_model, len(info.trained_codes), info.uses_context
    )
    return UtteranceClassifier(info, scorer)


def _base_location(directory: Path, name: str) -> str:
    """Where model.json's base encoder is: the packaged default by its name; a relative
    path from the model's folder (never from the working folder); an absolute path as
    written (`train` records the base it used that way). The SHA-256 in the same file
    guards against a corrupted or wrong base, not against a hostile model folder."""
    if name == DEFAULT_BASE or Path(name).is_absolute():
        return name
    return str(directory.resolve() / name)


def train_classifier(
    data: CodedUtterances,
    *,
    backend: Backend = "linear",
    codebook_version: str,
    base: str | Path | None = None,
    epochs: int | None = None,
    seed: int = 0,
    full_finetune: bool = False,
    uses_context: bool = True,
    min_positives: int = 5,
    max_length: int = 128,
    lora: dict | None = None,
    batch_size: int = 16,
    encoder_lr: float | None = None,
    progress: Callable[[str, int], Progress] | None = None,
    log: Callable[[str], None] = lambda _: None,
) -> tuple[UtteranceClassifier, CodedUtterances]:
    """Train on the training sessions, calibrate and early-stop on a grouped validation
    part of them, and return the model with the held-out test sessions (not yet scored).

    Labels that `data.known` marks as never coded are left out of every loss, count and
    calibration (a corpus coded for some codes only adds to those codes alone). A code gets
    a trained head with at least `min_positives` known positives (and one known negative)
    in the fitting part; `max_length` caps the transformer's input tokens; `lora` overrides
    the adapters' settings (e.g. `{"layers_to_transform": [3, 4, 5]}`: adapters in the top
    layers only, so backpropagation stops there, about a third less work a step);
    `batch_size` is utterances per training step and `encoder_lr` the encoder's peak
    learning rate (transformer; see `TransformerScorer.fit`).

    Without context in the data (no `context` column, no `turn` numbers) the model is
    trained without it, and says so in `log`."""
    if uses_context and not any(data.inputs.contexts):
        log("no context column or turn numbers: training without the previous turn")
        uses_context = False
    train_idx, test_idx = train_test_split(data, seed)
    train_all, test = data.subset(train_idx), data.subset(test_idx)
    fit_idx, valid_idx = grouped_split(train_all.sessions, seed, test_size=0.15)
    fit, valid = train_all.subset(fit_idx), train_all.subset(valid_idx)
    positives = (fit.labels * fit.mask).sum(axis=0)
    negatives = ((1 - fit.labels) * fit.mask).sum(axis=0)
    trained = [
        c for c, n, m in zip(data.codes, positives, negatives) if n >= min_positives and m > 0
    ]
    columns = [data.codes.index(c) for c in trained]
    if not trained:
        best = max(zip(positives.tolist(), data.codes))
        raise InputError(
            data.path,
            f"no code has {min_positives}+ positive examples among the "
            f"{len(fit_idx)} training utterances (most: {best[1]}, {int(best[0])}); "
            f"code more utterances (about {min_positives} per code you want learned, in "
            "several sessions) or lower `min_positives`",
        )
    base_rates = {
        c: round(float(train_all.labels[train_all.mask[:, k], k].mean()), 6)
        if train_all.mask[:, k].any()
        else 0.0
        for k, c in enumerate(data.codes)
    }
    training: dict[str, object] = {
        "data": str(data.path),
        "utterances": len(data.labels),
        "sessions": len(set(data.sessions)),
        "train_utterances": len(fit_idx),
        "validation_utterances": len(valid_idx),
        "test_utterances": len(test_idx),
        "test_sessions": sorted(set(test.sessions.tolist())),
        "seed": seed,
        "split": "split column" if data.split is not None else "grouped by session",
    }
    if data.known is not None:
        training["coded_utterances_per_code"] = dict(
            zip(data.codes, data.known.sum(axis=0).astype(int).tolist())
        )
    fit_known = None if fit.known is None else fit.known[:, columns]
    valid_known = None if valid.known is None else valid.known[:, columns]
    base_info = None
    if backend == "linear":
        from .linear import LinearScorer

        log(f"fitting TF-IDF + logistic regression on {len(fit_idx)} utterances")
        scorer = LinearScorer.fit(
            fit.inputs, fit.labels[:, columns], uses_context, seed, known=fit_known
        )
    elif backend == "transformer":
        from .transformer import TransformerScorer

        name, base_dir = resolve_base(base)
        from .encoder import sha256_of

        scorer = TransformerScorer.create(
            name,
            base_dir,
            sha256_of(base_dir / "model.safetensors"),
            len(trained),
            full_finetune=full_finetune,
            uses_context=uses_context,
            max_length=max_length,
            lora=lora,
        )
        epochs = epochs or 8
        bar = progress("training", epochs * len(fit_idx)) if progress else None
        training["schedule"] = scorer.fit(
            (fit.inputs, fit.labels[:, columns], fit_known),
            (valid.inputs, valid.labels[:, columns], valid_known),
            epochs=epochs,
            seed=seed,
            batch_size=batch_size,
            encoder_lr=encoder_lr,
            progress=bar,
            log=log,
        )
        base_info = scorer.info
    else:
        raise OptionError(f"`backend` {backend}: expected linear or transformer")
    valid_scores = scorer.scores(valid.inputs)
    calibration = fit_platt(valid_scores, valid.labels[:, columns], trained, valid_known)
    from ... import __version__

    info = ModelInfo(
        backend=backend,
        codes=data.codes,
        codebook_version=codebook_version,
        uses_context=uses_context,
        trained_codes=trained,
        base_rates=base_rates,
        calibration=calibration,
        base_model=base_info,
        training=training,
        toolkit_version=__version__,
    )
    return UtteranceClassifier(info, scorer), test
