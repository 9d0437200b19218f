"""Who a `task`, `finding`, `policy` or `cases` command acts as: `--as USER`, else a local operator."""

from __future__ import annotations

import getpass
from datetime import date, datetime
from typing import TYPE_CHECKING

import typer

from gongfu.errors import InputError
from gongfu.store.db import Database

if TYPE_CHECKING:
    from gongfu.access.scope import Scope


def default_region() -> str:
    """The operator's region without --as or --region: $GONGFU_CLI_REGION; there is no built-in default
    (the region data covers every province), so without the setting the command asks for one."""
    from gongfu.settings import settings

    configured = settings().cli_region
    if configured:
        return configured
    raise InputError("未指定地区：请用 --region 指定，或设置环境变量 GONGFU_CLI_REGION")


def acting(db: Database, as_user: str | None, region: str | None = None) -> Scope:
    """The scope of `--as USER` (their role and region), else a local admin over `region` or the default."""
    from gongfu.work.access import operator_scope

    if as_user:
        from gongfu.access import get_user
        from gongfu.access.scope import Scope
        from gongfu.regions import load

        return Scope(get_user(db, as_user), load())
    return operator_scope(region or default_region(), name=operator())


def operator() -> str:
    """The operating-system user as an audit actor (cli:NAME)."""
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:
        return "cli"


AS = typer.Option(None, "--as", help="以此用户身份操作（其角色与地区）；默认为本机管理员")
DAY_FORMATS = ["%Y-%m-%d"]  # dates on the command line are typed: Click refuses 2026-13-01 as a usage error


def day(value: datetime | None) -> date | None:
    """The date of a `--due`-style option (typed with DAY_FORMATS); None stays None."""
    return value.date() if value is not None else None
