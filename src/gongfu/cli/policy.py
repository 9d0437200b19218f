"""`gongfu policy`: the "1+N" policy registry — register, search in Chinese, link to tasks and indicators."""

from __future__ import annotations

from pathlib import Path

import typer

from gongfu.cli._common import Format, get_db, print_json, table

NAME = "policy"
HELP = "政策体系（1+N）：登记、检索、关联任务与指标"
app = typer.Typer(no_args_is_help=True)
AS = typer.Option(None, "--as", help="Act as this user (their role and region); default: local admin")


@app.command("add")
def add_cmd(
    title: str = typer.Argument("", help="Title (default: the plan's, with --plan)"),
    region: str = typer.Option(..., "--region"),
    tier: str = typer.Option("N", "--tier", help="1 (the plan) or N (a supporting policy)"),
    text_file: Path | None = typer.Option(
        None, "--text", help="政策全文文件（.txt 任意中文编码，或 .docx/.html/.pdf）"
    ),
    doc_no: str = typer.Option("", "--doc-no", help="文号"),
    issuer: str = typer.Option("", "--issuer"),
    issued_on: str | None = typer.Option(None, "--issued-on"),
    parent: int | None = typer.Option(None, "--parent", help="The '1' this policy supports"),
    plan: int | None = typer.Option(None, "--plan", help="An ingested plan this policy is"),
    as_user: str | None = AS,
) -> None:
    """Register a policy document."""
    from gongfu.cli import console
    from gongfu.cli.acting import acting, parse_day
    from gongfu.plans.readers import read_document
    from gongfu.work.policy import add_policy

    db = get_db()
    text = read_document(text_file).original if text_file else ""  # any encoding; .docx, .html, .pdf too
    p = add_policy(db, acting(db, as_user, region), title=title, region=region, tier=tier, text=text,
                   doc_no=doc_no, issuer=issuer, issued_on=parse_day(issued_on), parent_id=parent,
                   plan_id=plan)  # fmt: skip
    console.print(f"已登记政策 {p['id']}（{p['tier']}）{p['title']}")


@app.command("search")
def search_cmd(
    query: str = typer.Argument(..., help="Words in Chinese, e.g. 中等收入群体"),
    region: str | None = typer.Option(None, "--region"),
    fmt: Format = typer.Option(Format.table, "--format"),
    as_user: str | None = AS,
) -> None:
    """Full-text search in Chinese (every word must occur)."""
    from gongfu.cli import console
    from gongfu.cli.acting import acting
    from gongfu.work.policy import search

    db = get_db()
    rows = search(db, acting(db, as_user, region), query, region=region)
    if fmt is Format.json:
        print_json(rows)
        return
    console.print(table(f"政策（{len(rows)}）", ["ID", "层级", "标题", "文号", "地区", "摘录"],
                        [(p["id"], p["tier"], p["title"], p["doc_no"], p["region_code"], p["snippet"])
                         for p in rows]))  # fmt: skip


@app.command("link")
def link_cmd(
    policy_id: int = typer.Argument(...),
    task: list[int] = typer.Option([], "--task", help="Task it authorises (repeat)"),
    indicator: list[str] = typer.Option([], "--indicator", help="Indicator it moves, catalog code (repeat)"),
    as_user: str | None = AS,
) -> None:
    """Link a policy to tasks and indicators."""
    from gongfu.cli import console
    from gongfu.cli.acting import acting
    from gongfu.work.policy import link

    db = get_db()
    out = link(db, acting(db, as_user), policy_id, task_ids=task, indicators=indicator)
    console.print(f"政策 {policy_id}: 新关联任务 {out['tasks']}，指标 {out['indicators']}")


@app.command("list")
def list_cmd(region: str = typer.Option(..., "--region"), as_user: str | None = AS) -> None:
    """The policies of a region subtree."""
    from gongfu.cli import console
    from gongfu.cli.acting import acting
    from gongfu.work.policy import policies

    db = get_db()
    rows = policies(db, acting(db, as_user, region), region)
    console.print(table("政策", ["ID", "层级", "标题", "文号", "上位", "地区"],
                        [(p["id"], p["tier"], p["title"], p["doc_no"], p["parent_id"], p["region_code"])
                         for p in rows]))  # fmt: skip


@app.command("indicator")
def indicator_cmd(
    code: str = typer.Argument(..., help="Indicator catalog code"),
    region: str = typer.Option(..., "--region"),
    as_user: str | None = AS,
) -> None:
    """From an indicator: its tasks, units and policies (JSON)."""
    from gongfu.cli.acting import acting
    from gongfu.work.query import indicator_links

    db = get_db()
    print_json(indicator_links(db, acting(db, as_user, region), code, region))
