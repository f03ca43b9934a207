"""transcript_alliance: the therapeutic working alliance (Goal, Task, Bond) estimated from
psychotherapy session transcripts, offline, every score traceable to its words."""

from __future__ import annotations

# Importing changes nothing in the process's environment: the toolkit goes offline only
# where it loads a model (`annotate.classifier.encoder.offline_hub`).
from .errors import InputError, OptionError, TranscriptAllianceError
from .io import write_table
from .read import FORMATS, read_session
from .read.inspection import describe_session
from .schema import utterance_table
from .segment.utterances import segment_session, segment_sessions
from .session import Event, Role, Session, SpeakerInfo, Turn, Utterance

__version__ = "0.1.0"

# The heavier half of the API (spaCy, scikit-learn, torch behind it) loads on first use,
# so `import transcript_alliance` stays quick for reading and segmenting.
_LAZY = {
    "Pipeline": ("run.pipeline", "Pipeline"),
    "analyze": ("run.analysis", "analyze"),
    "analyze_sessions": ("run.analysis", "analyze_sessions"),
    "SessionResult": ("run.analysis", "SessionResult"),
    "code": ("run.coding", "code"),
    "iter_code": ("run.coding", "iter_code"),
    "compare": ("comparison.compare", "compare"),
    "Comparison": ("comparison.compare", "Comparison"),
    "compare_reports": ("comparison.agreement", "compare_reports"),
    "calibrate": ("estimate.calibration", "calibrate"),
    "Calibration": ("estimate.calibration", "Calibration"),
    "ComponentFit": ("estimate.calibration", "ComponentFit"),
    "train": ("annotate.classifier.training", "train"),
    "Training": ("annotate.classifier.training", "Training"),
    "evaluate": ("annotate.classifier.evaluation", "evaluate"),
    "Evaluation": ("annotate.classifier.evaluation", "Evaluation"),
    "predict": ("annotate.classifier.predict", "predict"),
    "Predictions": ("annotate.classifier.predict", "Predictions"),
    "suggest": ("annotate.classifier.suggest", "suggest"),
    "Suggestions": ("annotate.classifier.suggest", "Suggestions"),
    "read_sessions_table": ("io", "read_sessions_table"),
    "read_self_reports": ("comparison.selfreport", "read_self_reports"),
    "read_for_report": ("report", "read_for_report"),
    "build_report": ("report", "build_report"),
    "write_report": ("report", "write_report"),
    "pseudonymise_sessions": ("deid", "pseudonymise_sessions"),  # the [deid] extra
    "deidentify_files": ("deid", "deidentify_files"),
    "read_outcomes": ("comparison.outcomes", "read_outcomes"),
    "alliance_outcome": ("comparison.outcomes", "alliance_outcome"),
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        module, attribute = _LAZY[name]
        return getattr(importlib.import_module(f".{module}", __name__), attribute)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "FORMATS",
    "Calibration",
    "Comparison",
    "ComponentFit",
    "Evaluation",
    "Event",
    "InputError",
    "OptionError",
    "Pipeline",
    "Predictions",
    "Role",
    "Session",
    "SessionResult",
    "SpeakerInfo",
    "Suggestions",
    "Training",
    "TranscriptAllianceError",
    "Turn",
    "Utterance",
    "__version__",
    "alliance_outcome",
    "analyze",
    "analyze_sessions",
    "build_report",
    "calibrate",
    "code",
    "compare",
    "compare_reports",
    "deidentify_files",
    "describe_session",
    "evaluate",
    "iter_code",
    "predict",
    "pseudonymise_sessions",
    "read_for_report",
    "read_outcomes",
    "read_self_reports",
    "read_session",
    "read_sessions_table",
    "segment_session",
    "segment_sessions",
    "suggest",
    "train",
    "utterance_table",
    "write_report",
    "write_table",
]
