"""Engine, sessions and the migration gate.

Every command that needs a database calls `open_db(url)`: a fresh (empty) database is migrated on the
spot; one at an older revision is refused with the command that fixes it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from gongfu.errors import DatabaseError, require

DEFAULT_URL = "sqlite:///gongfu.db"
_MIGRATIONS = Path(__file__).with_name("migrations")


def resolve_url(url: str | None = None) -> str:
    """`--db`, else $GONGFU_DATABASE_URL, else a SQLite file in the working directory."""
    from gongfu.settings import settings

    url = url or settings().database_url or DEFAULT_URL
    # Plain postgresql:// URLs get the psycopg 3 driver we ship with.
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


@lru_cache(maxsize=1)
def head_revision() -> str:
    return ScriptDirectory.from_config(_alembic_config("sqlite://")).get_current_head() or ""


SUPPORTED = ("sqlite", "postgresql")


def _make_engine(url: str) -> Engine:
    scheme = url.split(":", 1)[0].split("+", 1)[0].lower()
    if scheme not in SUPPORTED:
        raise DatabaseError(
            f"不支持的数据库“{scheme}”：gongfu 使用 SQLite（sqlite:///文件.db）或 PostgreSQL"
            "（postgresql://用户@主机/库）"
        )
    kwargs: dict = {"future": True}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"timeout": 30}
    else:  # a connection the server dropped is noticed and replaced, not handed to a request
        kwargs["pool_pre_ping"] = True
        from gongfu.settings import settings  # the pool's size and why: see gongfu.settings

        cfg = settings()
        kwargs.update(
            pool_size=cfg.db_pool_size, max_overflow=cfg.db_pool_overflow, pool_timeout=cfg.db_pool_timeout
        )
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):

        @event.listens_for(engine, "connect")
        def _fk_on(dbapi_conn, _rec) -> None:  # SQLite enforces foreign keys only when asked
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

    return engine


@dataclass
class Database:
    url: str
    engine: Engine
    sessions: sessionmaker[Session]

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: commits on success, rolls back everything on any error."""
        s = self.sessions()
        try:
            yield s
            s.commit()
        except BaseException:
            s.rollback()
            raise
        finally:
            s.close()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(url: str | None = None, revision: str = "head") -> tuple[str | None, str]:
    """Migrate to head (or `revision`); returns (revision before, revision after)."""
    url = resolve_url(url)
    if url.startswith("postgresql"):
        require("psycopg", "postgres", "连接 PostgreSQL 数据库")
    engine = _make_engine(url)
    sqlite = url.startswith("sqlite")
    try:
        before = current_revision(engine)
        with engine.connect() as conn:
            if sqlite:
                # SQLite alters a table by copying it, dropping the old one and renaming the copy; with foreign
                # keys on, that DROP fires ON DELETE CASCADE and empties every table pointing at it (targets,
                # tasks …). So keys are off while migrating (a PRAGMA outside the transaction) and checked after.
                conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
                conn.commit()
            with conn.begin():
                cfg = _alembic_config(url)
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, revision)
                if sqlite and (broken := conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()):
                    raise DatabaseError(f"迁移后外键不一致（{len(broken)} 行，如 {broken[0]}），已回滚")
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()
        return before, current_revision(engine) or ""
    except OperationalError as exc:
        raise DatabaseError(f"无法连接数据库 {_safe(url)}：{_first_line(exc)}") from exc
    finally:
        engine.dispose()


def open_db(url: str | None = None) -> Database:
    """Open the database, migrating a fresh one; refuse an outdated one with the fix in the message."""
    url = resolve_url(url)
    engine = _make_engine(url)
    try:
        rev = current_revision(engine)
        if rev is None:
            if inspect(engine).get_table_names():
                raise DatabaseError(
                    f"数据库 {_safe(url)} 已有数据表，但没有 gongfu 的结构版本；请用 --db 指向一个空数据库"
                )
            upgrade(url)
        elif rev != head_revision():
            raise DatabaseError(
                f"数据库 {_safe(url)} 的结构版本为 {rev}，本版 gongfu 需要 {head_revision()}；"
                "请运行 gongfu db upgrade（用同一个 --db）迁移"
            )
    except OperationalError as exc:
        engine.dispose()
        raise DatabaseError(f"无法连接数据库 {_safe(url)}：{_first_line(exc)}") from exc
    except SQLAlchemyError as exc:
        engine.dispose()
        raise DatabaseError(f"数据库 {_safe(url)} 出错：{_first_line(exc)}") from exc
    return Database(url, engine, sessionmaker(engine, expire_on_commit=False))


def _safe(url: str) -> str:
    """The URL without a password."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url


def _first_line(exc: Exception) -> str:
    return str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc) else type(exc).__name__
