"""Helpers that serve FactDesk's tests and benchmarks: development sets and their scoring."""
