"""Comparison (the compare stage; named so that `ta.compare` stays the function):
self-report instruments, agreement statistics, outcomes, each clinician's alliance (dyads)
and program summaries."""
