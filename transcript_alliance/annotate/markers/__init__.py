"""Rule-based alliance markers: the codebook, its spaCy component, and the annotation pass.

The codebook reads without spaCy; the annotation pass (spaCy, and torch behind it) loads
on first use, so that commands and processes that only read a codebook start quickly.
The `alliance_markers` spaCy factory registers when `markers.component` is imported
(`marker_pipeline` does it); import that module before `nlp.add_pipe("alliance_markers")`."""

from .codebook import Code, Codebook, Component, Pattern, Speaker, load_codebook

_LAZY = {"annotate_sessions", "marker_pipeline"}


def __getattr__(name: str):
    if name in _LAZY:
        from . import annotate

        return getattr(annotate, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
