"""An observation import killed with SIGKILL while its transaction writes leaves no partial rows, on both
databases (kill_support makes the kill land inside the transaction, without a sleep deciding it)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from gongfu.store.evaluation_tables import EvaluationRecordRow
from gongfu.store.tables import ImportRow, ObservationRow
from kill_support import kill_mid_transaction

ROWS = 4000


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


def test_a_killed_import_leaves_no_partial_rows(db, db_url, tmp_path) -> None:
    csv = _csv(tmp_path)
    kill_mid_transaction(db, db_url, "observations", ["obs", "import", str(csv)])
    with db.session() as s:
        assert s.scalar(select(func.count(ObservationRow.id))) == 0
        assert s.scalar(select(func.count(ImportRow.id))) == 0
        assert s.scalar(select(func.count(EvaluationRecordRow.id))) == 0
