"""The JSON API fuzzed from its own OpenAPI document (Schemathesis) against the real server on 127.0.0.1.

Every operation gets EXAMPLES requests generated to fit its parameters' schemas
and EXAMPLES generated to break them (wrong types, out-of-range numbers, odd
strings), once anonymously and once with a reader's session cookie: none may
answer 500. Bounded by count and derandomized, so a run tries the same few
hundred requests per session in well under a minute.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.result import Ok

from tests.web.conftest import Server, logged_in

EXAMPLES = 8
Operation = schemathesis.APIOperation[Any, Any, Any, Any]


def fuzz(server: Server, headers: dict[str, str]) -> tuple[int, list[str]]:
    schema = schemathesis.openapi.from_url(f"{server.url}/api/openapi.json")
    failures: list[str] = []
    tried = 0
    operations = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), f"the API's own schema is invalid: {result.err()}"
        operations.append(result.ok())
    for operation, mode in itertools.product(operations, GenerationMode):

        def run(operation: Operation = operation, mode: GenerationMode = mode) -> Callable[[], None]:
            @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck))  # fmt: skip
            @given(case=operation.as_strategy(mode))
            def one(case: schemathesis.Case[Any]) -> None:
                nonlocal tried
                response = case.call(base_url=server.url, headers=headers, timeout=30)
                tried += 1
                if response.status_code >= 500:
                    failures.append(f"{case.method} {case.formatted_path} {case.query}: {response.status_code}")

            return one

        try:
            run()()
        except Unsatisfiable:  # nothing to break: an operation without parameters has no invalid request
            assert mode is GenerationMode.NEGATIVE, operation.label
    return tried, failures


@pytest.mark.parametrize("session", ["anonymous", "reader"])
def test_no_operation_answers_500(server: Server, session: str) -> None:
    headers = {}
    if session == "reader":
        client, _ = logged_in(server, "rita")
        headers["cookie"] = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
        client.close()
    tried, failures = fuzz(server, headers)
    print(f"schemathesis: {tried} requests ({session}), {len(failures)} server errors")
    assert tried >= 100
    assert failures == []
