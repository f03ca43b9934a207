"""Packaged self-report instrument definitions (YAML)."""
