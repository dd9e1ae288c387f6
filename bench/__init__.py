"""Benchmarks: ``python -m bench`` (see bench/README.md)."""
from bench.harness import Case, Result, Skip, run_process

__all__ = ["Case", "Result", "Skip", "run_process"]
