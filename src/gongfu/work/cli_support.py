"""What the `task`, `finding` and `policy` commands share: who is acting, dates, and error listings."""

from __future__ import annotations

import os
from datetime import date

from gongfu.access.scope import Scope
from gongfu.errors import InputError
from gongfu.store.db import Database
from gongfu.work.access import operator_scope

DEFAULT_REGION = "330000"  # the operator's root without --as; override with $GONGFU_CLI_REGION


def acting(db: Database, as_user: str | None, region: str | None = None) -> Scope:
    """The scope of `--as USER` (their role and region), else a local admin over `region` or the default."""
    if as_user:
        from gongfu.access import get_user
        from gongfu.regions import load

        return Scope(get_user(db, as_user), load())
    return operator_scope(region or os.environ.get("GONGFU_CLI_REGION") or DEFAULT_REGION, name=_operator())


def _operator() -> str:
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except Exception:
        return "cli"


def parse_day(value: str | None, what: str = "date") -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(f"{what} must be YYYY-MM-DD, got {value!r}") from exc
