"""Estimate: per-session features from annotated utterances, Goal/Task/Bond/Total with
intervals and evidence, rupture episodes, and fitting the estimator to local self-reports."""
