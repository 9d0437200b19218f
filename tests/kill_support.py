"""Kill a CLI batch with SIGKILL while its transaction is open, deterministically, on both databases.

SQLite: the test holds a read transaction on the file for the whole run. A writer can take its RESERVED lock and
write its rollback journal beside a reader, but cannot COMMIT (that needs the EXCLUSIVE lock), so once the journal
exists the batch's transaction is open and stays open until the kill — no sleep decides it.
PostgreSQL: the batch's session is seen sending its INSERT (or COPY) into the table (pg_stat_activity)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

TIMEOUT_S = 120


def _pg_writers(db, table: str) -> set[int]:
    """The backends sending an INSERT into the table, or a COPY into it or its staging table."""
    with db.engine.connect() as c:
        q = text(
            "select pid from pg_stat_activity where datname = current_database() "
            "and pid <> pg_backend_pid() and (query ilike :q or query ilike :copy)"
        )
        return set(c.scalars(q, {"q": f"insert into {table}%", "copy": f"copy {table}%"}))


def _pg_gone(db, pids: set[int]) -> None:
    """Wait until the killed client's backends have noticed and rolled back: a teardown that drops the tables
    while one still runs its statement would deadlock with it."""
    deadline = time.monotonic() + 30
    while pids and time.monotonic() < deadline:
        with db.engine.connect() as c:
            q = text("select pid from pg_stat_activity where pid = any(:p) and state = 'active'")
            pids = set(c.scalars(q, {"p": sorted(pids)}))
        time.sleep(0.05)


def kill_mid_transaction(
    db, db_url: str, table: str, args: list[str], env: dict[str, str] | None = None
) -> None:
    """Run `gongfu ARGS` against db_url and SIGKILL it inside the transaction that writes `table`."""
    reader = None
    journal = None
    if db_url.startswith("sqlite"):
        path = Path(db_url.removeprefix("sqlite:///"))
        journal = path.with_name(path.name + "-journal")
        reader = sqlite3.connect(path, isolation_level=None)
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM sqlite_master").fetchone()  # SHARED lock until ROLLBACK
    proc = subprocess.Popen(
        [sys.executable, "-m", "gongfu", *args],
        env={**os.environ, "GONGFU_DATABASE_URL": db_url, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + TIMEOUT_S
        writers: set[int] = set()
        while not (journal.exists() if journal else (writers := _pg_writers(db, table))):
            if proc.poll() is not None:
                pytest.fail(
                    f"the batch ended before it could be killed: {proc.stderr.read().decode()[-500:]}"
                )
            if time.monotonic() > deadline:
                pytest.fail("the batch never started writing")
            time.sleep(0.01)
        if journal:
            time.sleep(0.2)  # let it write on: it cannot commit while the reader holds its lock
            assert proc.poll() is None, proc.stderr.read().decode()[-500:]
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
        if writers:
            _pg_gone(db, writers)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)
        if reader is not None:
            reader.execute("ROLLBACK")
            reader.close()
    assert proc.returncode == -signal.SIGKILL
