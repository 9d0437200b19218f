"""Helpers shared by the command groups: the database from --db, progress, tables, refused imports."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, NoReturn

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from gongfu.errors import ValidationFailed

if TYPE_CHECKING:  # the store (SQLAlchemy, Alembic) is imported by commands that use it, not by all
    from gongfu.store.db import Database


def cli_actor() -> str:
    """Who a CLI write is recorded as in the audit trail: $GONGFU_ACTOR, else the operating-system user."""
    import getpass

    from gongfu.settings import settings

    return settings().actor or f"cli:{getpass.getuser()}"


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


def rows_bar(bar: Progress, task, name: str):
    """A `gongfu.progress` listener moving `task` of `bar`: the phase (读取文件, 校验数据, 写入数据库) and its rows."""
    from gongfu.progress import PHASE_ZH

    def show(phase: str, done: int, total: int | None) -> None:
        bar.update(task, description=f"{name}：{PHASE_ZH.get(phase, phase)}", completed=done, total=total)

    return show


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


SHOWN_PROBLEMS = 200


def print_problems(
    exc: ValidationFailed, name: str, column_label: Callable[[str], str] | None = None
) -> None:
    """Every problem of a refused import, one line each: file:row 列 [code] message (the first 200)."""
    from gongfu.cli import err_console

    err_console.print(f"[red]错误[/red] {name}: {len(exc.problems)} 个问题，未导入任何数据:")
    for p in exc.problems[:SHOWN_PROBLEMS]:
        column = f" {column_label(p.column) if column_label else p.column}列" if p.column else ""
        err_console.print(
            f"  {name}:{p.row or '-'}{column} [{p.code}] {p.message}",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
    if len(exc.problems) > SHOWN_PROBLEMS:
        err_console.print(f"  … 另有 {len(exc.problems) - SHOWN_PROBLEMS} 个问题")


def refuse(exc: ValidationFailed, name: str, column_label: Callable[[str], str] | None = None) -> NoReturn:
    """Print every problem and exit with the input error's code."""
    print_problems(exc, name, column_label)
    raise typer.Exit(exc.exit_code)
