"""The utterance classifier: one probability per code for each utterance, from a fast
linear model or a fine-tuned transformer, trainable on a lab's own coded utterances."""

from .data import CodedUtterances, UtteranceInputs, read_coded_utterances
from .metrics import calibration_table, per_code_metrics, summarize
from .model import UtteranceClassifier, load_classifier, resolve_model_path, train_classifier
from .modeldir import ModelError, ModelInfo
from .predict import predict_table, session_inputs
from .suggest import least_certain

__all__ = [
    "CodedUtterances",
    "ModelError",
    "ModelInfo",
    "UtteranceClassifier",
    "UtteranceInputs",
    "calibration_table",
    "least_certain",
    "load_classifier",
    "per_code_metrics",
    "predict_table",
    "read_coded_utterances",
    "resolve_model_path",
    "session_inputs",
    "summarize",
    "train_classifier",
]
