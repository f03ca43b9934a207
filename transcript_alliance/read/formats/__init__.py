"""Transcript formats: one module per format, each with `read(source) -> Session`."""
