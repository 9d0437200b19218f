"""The migration gate: fresh databases are migrated, outdated ones refused with the fix."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, inspect, text

from chinese_text import foreign_words
from gongfu.errors import DatabaseError
from gongfu.store.db import head_revision, open_db, resolve_url, upgrade


def test_fresh_database_is_migrated_on_open(db_url: str) -> None:
    db = open_db(db_url)
    names = set(inspect(db.engine).get_table_names())
    assert {"plans", "targets", "tasks", "observations", "alembic_version"} <= names
    db.engine.dispose()


def test_outdated_database_is_refused_with_the_command_that_fixes_it(db_url: str) -> None:
    open_db(db_url).engine.dispose()
    engine = create_engine(resolve_url(db_url))
    with engine.begin() as conn:
        conn.execute(text("update alembic_version set version_num = '0000old'"))
    engine.dispose()
    with pytest.raises(DatabaseError, match="gongfu db upgrade") as info:
        open_db(db_url)
    assert foreign_words(str(info.value).replace(db_url, ""), {"old", "db", "upgrade"}) == []


def test_upgrade_reports_revisions(db_url: str) -> None:
    before, after = upgrade(db_url)
    assert before is None and after == head_revision()
    assert upgrade(db_url) == (head_revision(), head_revision())


def test_foreign_tables_are_not_taken_over(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'other.db'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("create table invoices (id integer)"))
    engine.dispose()
    with pytest.raises(DatabaseError, match="没有 gongfu 的结构版本") as info:
        open_db(url)
    assert foreign_words(str(info.value).replace(url, "")) == []


def test_unreachable_server_is_one_clear_error() -> None:
    with pytest.raises(DatabaseError, match="无法连接数据库"):
        open_db("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")


def test_plain_postgresql_url_gets_the_psycopg_driver() -> None:
    assert resolve_url("postgresql://u@h/db").startswith("postgresql+psycopg://")
