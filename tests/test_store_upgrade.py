"""Upgrading an existing SQLite database keeps its rows: a migration that rebuilds `plans` (SQLite's batch
copy-drop-rename) must not cascade-delete the targets and tasks that point at it."""

from __future__ import annotations

import sqlite3

from gongfu.store.db import upgrade


def _dummy(sql_type: str) -> object:
    t = sql_type.upper()
    if "INT" in t or "BOOL" in t:
        return 1
    if any(k in t for k in ("REAL", "FLOA", "NUMERIC", "DOUBLE")):
        return 1.0
    return "x"


def _insert(con: sqlite3.Connection, table: str, given: dict[str, object]) -> int:
    """A row with the given values and a plausible value for every other NOT NULL column without a default."""
    row = dict(given)
    for _cid, name, sql_type, notnull, default, pk in con.execute(f"PRAGMA table_info({table})"):
        if name not in row and notnull and default is None and not pk:
            row[name] = _dummy(sql_type)
    cols = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    return con.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(row.values())).lastrowid


def test_upgrading_past_the_plans_rebuild_keeps_targets(tmp_path) -> None:
    path = tmp_path / "old.db"
    url = f"sqlite:///{path}"
    upgrade(url, "0008")  # the schema as released before plans became unique per region (0006b)
    con = sqlite3.connect(path)
    con.execute("PRAGMA foreign_keys=ON")
    plan = _insert(con, "plans", {"sha256": "a" * 64, "region_code": "330400"})
    _insert(con, "targets", {"plan_id": plan})
    con.commit()
    con.close()

    before, after = upgrade(url)

    con = sqlite3.connect(path)
    assert before == "0008" and after != "0008"
    assert con.execute("SELECT count(*) FROM plans").fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM targets WHERE plan_id = ?", (plan,)).fetchone()[0] == 1
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    con.close()
