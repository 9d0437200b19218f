"""`gongfu db`: schema migrations."""

from __future__ import annotations

import typer

from gongfu.store.db import head_revision, resolve_url, upgrade

NAME = "db"
HELP = "数据库 (迁移)"
app = typer.Typer(no_args_is_help=True)


@app.command("upgrade")
def upgrade_cmd() -> None:
    """把数据库迁移到本版本所需的结构（空库则新建）。

    示例: gongfu --db sqlite:///gongfu.db db upgrade
    """
    from gongfu.cli import console, state

    before, after = upgrade(state.db_url)
    url = resolve_url(state.db_url)
    if before == after:
        console.print(f"数据库已是最新 (revision {after}): {url}")
    else:
        console.print(f"数据库已迁移 {before or '(空)'} → {after}: {url}")


@app.command("revision")
def revision_cmd() -> None:
    """显示本版本所需的数据库结构版本号。

    示例: gongfu db revision
    """
    from gongfu.cli import console

    console.print(head_revision())
