"""Packaged session estimators (JSON)."""
