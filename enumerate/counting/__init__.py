"""Counting: exact counters of priors and of single tables (the layout of issue 17)."""
