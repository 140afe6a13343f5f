"""Shared fixtures: real SQLite files built from real data folders, and the real CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from longarm.ledger.store import build

FIXTURES = Path(__file__).parent / "fixtures"

RunCli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="session")
def bundled_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled Patrol and Persuade dataset compiled into a SQLite file."""
    db = tmp_path_factory.mktemp("bundled") / "longarm.db"
    build(db)
    return db


@pytest.fixture
def mini_data(tmp_path: Path) -> Path:
    """A writable copy of the small fixture dataset, for corrupting on purpose."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURES / "mini", target)
    return target


@pytest.fixture
def run_cli(tmp_path: Path) -> RunCli:
    """Run `python -m longarm ...` as a user would, with a private user data dir."""
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "xdg"), COLUMNS="200", PYTHONIOENCODING="utf-8")

    def run(*args: str, check: bool = False) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "-m", "longarm", *args], capture_output=True, text=True, env=env, timeout=120
        )
        if check and result.returncode != 0:
            raise AssertionError(f"longarm {' '.join(args)} exited {result.returncode}: {result.stderr}")
        return result

    return run


def cli_json(run: RunCli, *args: str) -> Any:
    result = run(*args, "--json", check=True)
    return json.loads(result.stdout)


@pytest.fixture(scope="session")
def published_site(bundled_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled dataset published once for every publish and browser test (redacted, the default)."""
    from longarm.ledger.store import Store
    from longarm.publish.publisher import publish

    out = tmp_path_factory.mktemp("published") / "site"
    store = Store(bundled_db)
    try:
        publish(store, out)
    finally:
        store.close()
    return out


@pytest.fixture(scope="session")
def mini_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small fixture dataset (with one sensitive person, 'Zed') compiled into SQLite."""
    db = tmp_path_factory.mktemp("mini") / "mini.db"
    build(db, FIXTURES / "mini")
    return db
