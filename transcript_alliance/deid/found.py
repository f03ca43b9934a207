"""What a recognizer reports: one identifier's span, kind and score (shared by the Presidio
engine and the spoken-form rules, which must not import each other)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Found:
    """An identifier in a text: where (character offsets), what kind, which recognizer, how
    sure (0-1)."""

    start: int
    end: int
    kind: str
    recognizer: str
    score: float
