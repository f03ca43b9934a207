"""Annotate: each utterance gets its rule markers (`markers/`), classifier probabilities
(`classifier/`) and style token statistics (`style`)."""
