"""MODEL_CARD.md for a trained model, written from its model.json so the two agree."""

from __future__ import annotations

from .modeldir import ModelInfo

INTENDED_USE = """\
## Intended use
Research on the working alliance in psychotherapy transcripts: a probability per
utterance for each code of the transcript_alliance codebook, to be aggregated over a
session, set beside the rule markers and checked against human coding. Not a clinical
instrument: no decision about a client should rest on it, and its output on one utterance
is a pointer to words worth reading, not a judgement.
"""

LIMITS = """\
## Limits
- English only; trained on utterances written in the style of spoken therapy talk, not
  on real transcripts unless the training data above says otherwise.
- Probabilities are calibrated (Platt scaling per code) on validation sessions drawn from
  the same data as training; on other kinds of talk they are less trustworthy, so check
  with `transcript-alliance evaluate` on a sample of your own coded utterances.
- Codes that depend on what came before (goal consensus, task endorsement) see only the
  previous turn.
"""


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def model_card(info: ModelInfo, title: str | None = None, extra: str = "") -> str:
    """The model card (Markdown) of a trained classifier.

    Lists the backend (linear TF-IDF + logistic regression, or transformer with its base
    encoder, its SHA-256 prefix and LoRA or full fine-tuning), the codebook version and codes,
    the training data and split sizes from ``info.training``, the toolkit version, the intended
    use, and, when ``info.metrics`` is there, the held-out evaluation (macro-F1, mean Cohen's
    kappa, expected calibration error, Brier score, a per-code table at threshold 0.5).

    Parameters
    ----------
    info : ModelInfo
        The model's metadata (``model.json``).
    title : str or None, optional
        The card's heading; None gives "Utterance classifier".
    extra : str, optional
        Markdown appended to the card.

    Returns
    -------
    str
        The card as Markdown text.
    """
    training = info.training
    if info.backend == "transformer" and info.base_model:
        how = "LoRA adapters" if not info.base_model.full_finetune else "full fine-tuning"
        backend = (
            f"transformer: {info.base_model.name} (SHA-256 `{info.base_model.sha256[:16]}...`) "
            f"fine-tuned with {how}, mean pooling, one logit per code"
        )
    else:
        backend = "linear: TF-IDF over words, character n-grams and the previous turn; one "
        backend += "logistic regression per code"
    lines = [
        f"# {title or 'Utterance classifier'}",
        "",
        f"- Backend: {backend}.",
        f"- Codebook version: {info.codebook_version}; codes: {len(info.codes)} "
        f"({len(info.trained_codes)} with a trained head).",
        f"- Uses the previous turn as context: {'yes' if info.uses_context else 'no'}.",
        f"- Training data: `{training.get('data', '?')}`, {training.get('utterances', '?')} "
        f"utterances in {training.get('sessions', '?')} sessions; test sessions by "
        f"{training.get('split', '?')}: {training.get('train_utterances', '?')} train, "
        f"{training.get('validation_utterances', '?')} validation (early stopping and "
        f"calibration), {training.get('test_utterances', '?')} test. Seed "
        f"{training.get('seed', '?')}.",
        f"- Toolkit version: {info.toolkit_version}.",
        "",
        INTENDED_USE,
        "## Evaluation on the held-out test sessions",
    ]
    metrics = info.metrics
    if metrics:
        lines += [
            f"Macro-F1 {metrics.get('macro_f1')}, mean Cohen's kappa {metrics.get('mean_kappa')}, "
            f"expected calibration error {metrics.get('ece')}, mean Brier score "
            f"{metrics.get('brier')} ({metrics.get('utterances')} utterances; threshold 0.5).",
            "",
            "| code | support | precision | recall | F1 | kappa | AUC |",
            "|---|---|---|---|---|---|---|",
        ]
        for code, row in metrics.get("per_code", {}).items():
            lines.append(
                f"| {code} | {row['support']} | {row['precision']:.2f} | {row['recall']:.2f} "
                f"| {row['f1']:.2f} | {_number(row['kappa'])} | {_number(row.get('auc'))} |"
            )
    else:
        lines.append("Not evaluated.")
    lines += ["", LIMITS]
    if extra:
        lines += [extra.rstrip(), ""]
    return "\n".join(lines)
