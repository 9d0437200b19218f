"""An observation import killed with SIGKILL while its transaction writes leaves no partial rows, on both
databases: the CLI runs in a subprocess, the test polls until the import's transaction is writing
(PostgreSQL: the import's session has sent its bulk INSERT into observations; SQLite: the rollback
journal of the import's transaction exists, and a moment later — the rows sit in SQLite's page cache
until commit, so the file cannot show them), then kills it and looks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from gongfu.store.evaluation_tables import EvaluationRecordRow
from gongfu.store.tables import ImportRow, ObservationRow

ROWS = 4000
TIMEOUT_S = 120


def _csv(tmp_path: Path) -> Path:
    from gongfu.regions import load

    reg = load()
    regions = [c.code for c in reg.children("330000")] + [c.code for c in reg.children("330100")]
    years = range(2001, 2024)
    p = tmp_path / "many.csv"
    lines = ["region_code,indicator,value,unit,year"]
    for code in regions:
        for y in years:
            for ind, unit in (("gdp", "亿元"), ("城镇居民人均可支配收入", "元")):
                lines.append(f"{code},{ind},{1000 + y},{unit},{y}")
                if len(lines) > ROWS:
                    break
    p.write_text("\n".join(lines[: ROWS + 1]) + "\n", encoding="utf-8")
    return p


def _written(db, db_url: str) -> bool:
    """Whether the import's transaction has started writing observation rows."""
    if db_url.startswith("sqlite"):
        path = Path(db_url.removeprefix("sqlite:///"))
        if not path.with_name(path.name + "-journal").exists():
            return False
        time.sleep(0.3)  # past the import row, into the bulk insert and the evaluation refresh
        return True
    with db.engine.connect() as c:
        q = text(
            "select count(*) from pg_stat_activity where datname = current_database() "
            "and pid <> pg_backend_pid() and query ilike 'insert into observations%'"
        )
        return bool(c.scalar(q))


def test_a_killed_import_leaves_no_partial_rows(db, db_url, tmp_path) -> None:
    csv = _csv(tmp_path)
    env = {**os.environ, "GONGFU_DATABASE_URL": db_url}
    proc = subprocess.Popen(
        [sys.executable, "-m", "gongfu", "obs", "import", str(csv)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + TIMEOUT_S
        while not _written(db, db_url):
            if proc.poll() is not None:
                pytest.fail(
                    f"the import ended before it could be killed: {proc.stderr.read().decode()[-500:]}"
                )
            if time.monotonic() > deadline:
                pytest.fail("the import never started writing")
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    with db.session() as s:
        assert s.scalar(select(func.count(ObservationRow.id))) == 0
        assert s.scalar(select(func.count(ImportRow.id))) == 0
        assert s.scalar(select(func.count(EvaluationRecordRow.id))) == 0
