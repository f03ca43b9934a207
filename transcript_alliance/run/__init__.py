"""Run: the whole flow over sessions, one session type's wiring, batch execution (local
processes or Dask), the output folder and its provenance."""
