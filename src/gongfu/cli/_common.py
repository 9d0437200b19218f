"""Helpers shared by the command groups: the database from --db, output formats, progress."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

if TYPE_CHECKING:  # the store (SQLAlchemy, Alembic) is imported by commands that use it, not by all
    from gongfu.store.db import Database


class Format(StrEnum):
    table = "table"
    json = "json"


def cli_actor() -> str:
    """Who a CLI write is recorded as in the audit trail: $GONGFU_ACTOR, else the operating-system user."""
    import getpass
    import os

    return os.environ.get("GONGFU_ACTOR") or f"cli:{getpass.getuser()}"


def get_db() -> Database:
    from gongfu.cli import state
    from gongfu.store.db import open_db

    return open_db(state.db_url)


def progress() -> Progress:
    from gongfu.cli import err_console

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    )


def print_json(data: object) -> None:
    from gongfu.cli import console

    console.print_json(json.dumps(data, ensure_ascii=False, default=str))


def table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> Table:
    t = Table(title=title, show_lines=False, header_style="bold cyan")
    for c in columns:
        t.add_column(c, overflow="fold")
    for r in rows:
        t.add_row(*("" if v is None else str(v) for v in r))
    return t
