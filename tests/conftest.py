"""Shared fixtures: a fresh database on SQLite and on PostgreSQL for every storage test.

PostgreSQL tests use the server at 127.0.0.1:5432 (user postgres, database test), each test in a schema of
its own that is dropped afterwards. Without a server the PostgreSQL half is skipped and the run says so;
under CI (CI=true) a missing server fails the run instead.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests draw the same examples on every run: CI must not depend on Hypothesis's luck.
settings.register_profile("gongfu", derandomize=True, deadline=None)
settings.load_profile("gongfu")

PG_URL = os.environ.get("GONGFU_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
DATA = Path(__file__).parent / "data"
_pg_state: dict[str, object] = {}


def _pg_reason() -> str | None:
    """None when PostgreSQL answers, else why not (checked once per run)."""
    if "reason" not in _pg_state:
        try:
            import psycopg

            conninfo = PG_URL.replace("postgresql+psycopg://", "postgresql://")
            with psycopg.connect(conninfo, connect_timeout=3) as conn:
                conn.execute("select 1")
            _pg_state["reason"] = None
        except Exception as exc:
            _pg_state["reason"] = f"PostgreSQL not reachable at {PG_URL}: {str(exc).strip().splitlines()[0]}"
    return _pg_state["reason"]  # type: ignore[return-value]


def pytest_report_header(config: pytest.Config) -> str:
    reason = _pg_reason()
    if reason is None:
        return f"storage tests: SQLite and PostgreSQL ({PG_URL})"
    return f"storage tests: SQLite only — {reason}; the PostgreSQL half is SKIPPED"


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    reason = _pg_reason()
    if reason is not None:
        terminalreporter.write_line(f"NOTE: {reason}; storage tests ran on SQLite only.", yellow=True)
    else:
        terminalreporter.write_line(f"storage tests ran on SQLite and on PostgreSQL ({PG_URL})")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'gongfu-test.db'}"
        return
    reason = _pg_reason()
    if reason is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason} (CI=true: the PostgreSQL server is required)")
        pytest.skip(reason)
    import psycopg

    schema = f"gf_{uuid.uuid4().hex[:12]}"
    conninfo = PG_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'create schema "{schema}"')
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        from sqlalchemy import create_engine

        create_engine("sqlite://").dispose()
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'drop schema "{schema}" cascade')


@pytest.fixture
def db(db_url: str):
    from gongfu.store.db import open_db

    database = open_db(db_url)
    yield database
    database.engine.dispose()
