"""Bounds for the property-based tests, a count of the inputs they tried (printed after the run), and the
web tests' real server for the API fuzzing.

Each test is bounded in examples and in time per example, so the whole folder
runs in about a minute on two cores. Hypothesis keeps no example database
here (nothing is written to the working tree); a failure prints the input
that caused it, shrunk, and ``@reproduce_failure`` for it.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, settings

from tests.web.conftest import server

__all__ = ["TRIED", "bounded", "server", "tried"]

TRIED: Counter[str] = Counter()


def bounded(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=timedelta(seconds=5),  # generous: a loaded two-core machine, not a speed test
        database=None,
        # the same inputs every run, so CI is repeatable; a failure prints its input and @reproduce_failure
        derandomize=True,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
    )


def tried(kind: str) -> None:
    """Count one input given to a parser (the figure the README reports)."""
    TRIED[kind] += 1


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if TRIED:
        parts = ", ".join(f"{kind} {count}" for kind, count in sorted(TRIED.items()))
        terminalreporter.write_line(f"fuzz: {sum(TRIED.values())} inputs tried ({parts})")
