"""Rule-based alliance markers: the codebook, its spaCy component, and the annotation pass."""

from .annotate import annotate_sessions, marker_pipeline
from .codebook import Code, Codebook, Component, Pattern, Speaker, load_codebook

__all__ = [
    "Code",
    "Codebook",
    "Component",
    "Pattern",
    "Speaker",
    "annotate_sessions",
    "load_codebook",
    "marker_pipeline",
]
