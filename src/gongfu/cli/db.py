"""`gongfu db`: schema migrations."""

from __future__ import annotations

import typer

from gongfu.store.db import head_revision, resolve_url, upgrade

NAME = "db"
HELP = "数据库 (迁移)"
app = typer.Typer(no_args_is_help=True)


@app.command("upgrade")
def upgrade_cmd() -> None:
    """Migrate the database to the schema this gongfu needs (creates it if empty)."""
    from gongfu.cli import console, state

    before, after = upgrade(state.db_url)
    url = resolve_url(state.db_url)
    if before == after:
        console.print(f"数据库已是最新 (revision {after}): {url}")
    else:
        console.print(f"数据库已迁移 {before or '(空)'} → {after}: {url}")


@app.command("revision")
def revision_cmd() -> None:
    """Print the schema revision this gongfu needs."""
    from gongfu.cli import console

    console.print(head_revision())
