"""Checking and review: the checker, findings, waivers and baselines, batches, the rule cache."""
