"""Segment: turns to utterances (sentences) with character offsets, times and events."""

from .utterances import find_events, segment_session, segment_sessions

__all__ = ["find_events", "segment_session", "segment_sessions"]
