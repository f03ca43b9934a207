"""The utterance classifier: one probability per code for each utterance, from a fast
linear model or a fine-tuned transformer, trainable on a lab's own coded utterances."""

import importlib

# Names and the modules that hold them, imported on first use: scikit-learn and torch load
# only where a classifier is trained or run, not where a model folder is only read.
_WHERE = {
    "CodedUtterances": "data",
    "UtteranceInputs": "data",
    "read_coded_utterances": "data",
    "calibration_table": "metrics",
    "per_code_metrics": "metrics",
    "summarize": "metrics",
    "UtteranceClassifier": "model",
    "load_classifier": "model",
    "resolve_model_path": "modeldir",
    "train_classifier": "model",
    "ModelError": "modeldir",
    "ModelInfo": "modeldir",
    "predict_table": "predict",
    "session_inputs": "predict",
    "least_certain": "suggest",
    "Evaluation": "evaluation",
    "evaluate": "evaluation",
    "Predictions": "predict",
    "Suggestions": "suggest",
    "Training": "training",
    "train": "training",
}


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CodedUtterances",
    "Evaluation",
    "ModelError",
    "ModelInfo",
    "Predictions",
    "Suggestions",
    "Training",
    "UtteranceClassifier",
    "UtteranceInputs",
    "calibration_table",
    "evaluate",
    "least_certain",
    "load_classifier",
    "per_code_metrics",
    "predict_table",
    "read_coded_utterances",
    "resolve_model_path",
    "session_inputs",
    "summarize",
    "train",
    "train_classifier",
]
