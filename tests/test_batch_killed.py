"""A plan batch and a hotline import killed with SIGKILL mid-transaction leave no partial rows, on both
databases (the observation import has its own test in test_import_killed.py, whose probe this reuses): the CLI
runs in a subprocess, the test waits until the batch's transaction is writing, kills it, and looks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import func, select, text

from gongfu.store.cases_tables import CaseRow
from gongfu.store.tables import PlanRow, TargetRow

DATA = Path(__file__).parent / "data"
TIMEOUT_S = 120


def _writing(db, db_url: str, table: str) -> bool:
    if db_url.startswith("sqlite"):
        path = Path(db_url.removeprefix("sqlite:///"))
        if not path.with_name(path.name + "-journal").exists():
            return False
        time.sleep(0.2)  # into the batch's inserts (the rows sit in SQLite's page cache until commit)
        return True
    with db.engine.connect() as c:
        q = text(
            "select count(*) from pg_stat_activity where datname = current_database() "
            "and pid <> pg_backend_pid() and query ilike :q"
        )
        return bool(c.scalar(q, {"q": f"insert into {table}%"}))


def _kill_when_writing(db, db_url: str, table: str, args: list[str], env: dict[str, str]) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "gongfu", *args],
        env={**os.environ, "GONGFU_DATABASE_URL": db_url, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + TIMEOUT_S
        while not _writing(db, db_url, table):
            if proc.poll() is not None:
                pytest.fail(
                    f"the batch ended before it could be killed: {proc.stderr.read().decode()[-500:]}"
                )
            if time.monotonic() > deadline:
                pytest.fail("the batch never started writing")
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)
    assert proc.returncode == -signal.SIGKILL


def test_a_killed_plan_batch_stores_no_plan(db, db_url) -> None:
    plans = sorted((DATA / "corpus").glob("*-government-work-report.txt"))  # eight long, distinct documents
    assert len(plans) >= 8
    _kill_when_writing(db, db_url, "targets", ["plan", "ingest", *map(str, plans)], {})
    with db.session() as s:
        assert s.scalar(select(func.count(PlanRow.id))) == 0
        assert s.scalar(select(func.count(TargetRow.id))) == 0


def test_a_killed_hotline_import_stores_no_case(db, db_url, tmp_path) -> None:
    rows = ["工单编号,来电时间,诉求内容,诉求分类,所属区县,所属镇街"]
    rows += [f"S{i},2026-03-02 09:15,路灯不亮第{i}号（合成）,城乡建设,南湖区,建设街道" for i in range(3000)]
    export = tmp_path / "synthetic-12345.csv"
    export.write_text("\n".join(rows) + "\n", encoding="utf-8")
    env = {
        "GONGFU_CONTACT_KEY": Fernet.generate_key().decode(),
        "GONGFU_CASE_MODEL": str(tmp_path / "absent"),
    }
    args = ["cases", "import", str(export), "--now", "2026-03-02T09:30:00+08:00"]
    _kill_when_writing(db, db_url, "cases", args, env)
    with db.session() as s:
        assert s.scalar(select(func.count(CaseRow.id))) == 0
