"""A plan batch and a hotline import killed with SIGKILL mid-transaction leave no partial rows, on both
databases (see kill_support for how the kill lands inside the transaction)."""

from __future__ import annotations

from pathlib import Path

from cryptography.fernet import Fernet
from sqlalchemy import func, select

from gongfu.store.cases_tables import CaseRow
from gongfu.store.tables import PlanRow, TargetRow
from kill_support import kill_mid_transaction

DATA = Path(__file__).parent / "data"
TIMEOUT_S = 120


def test_a_killed_plan_batch_stores_no_plan(db, db_url) -> None:
    plans = sorted((DATA / "corpus").glob("*-government-work-report.txt"))  # eight long, distinct documents
    assert len(plans) >= 8
    kill_mid_transaction(db, db_url, "targets", ["plan", "ingest", *map(str, plans)], {})
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
    kill_mid_transaction(db, db_url, "cases", args, env)
    with db.session() as s:
        assert s.scalar(select(func.count(CaseRow.id))) == 0
