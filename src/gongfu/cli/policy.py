"""`gongfu policy`: the "1+N" policy registry — register, search in Chinese, link to tasks and indicators."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import typer

from gongfu.cli._common import get_db, print_json, table
from gongfu.cli.acting import AS, DAY_FORMATS
from gongfu.cli.output import FORMAT, OUT, Format, emit

NAME = "policy"
HELP = "政策体系（1+N）：登记、检索、关联任务与指标"
app = typer.Typer(no_args_is_help=True)


@app.command("add")
def add_cmd(
    title: str = typer.Argument("", help="标题（配合 --plan 时默认用方案标题）"),
    region: str = typer.Option(..., "--region", help="地区代码或名称"),
    tier: str = typer.Option("N", "--tier", help="1（方案本身）或 N（配套政策）"),
    text_file: Path | None = typer.Option(
        None, "--text", help="政策全文文件（.txt 任意中文编码，或 .docx/.html/.pdf）"
    ),
    doc_no: str = typer.Option("", "--doc-no", help="文号"),
    issuer: str = typer.Option("", "--issuer", help="发文机关"),
    issued_on: datetime | None = typer.Option(
        None, "--issued-on", formats=DAY_FORMATS, help="成文日期（YYYY-MM-DD）"
    ),
    parent: int | None = typer.Option(None, "--parent", help="本政策所支撑的“1”（方案政策编号）"),
    plan: int | None = typer.Option(None, "--plan", help="本政策对应的已导入方案编号"),
    as_user: str | None = AS,
) -> None:
    """登记一份政策文件（全文可为任意中文编码的 .txt，或 .docx/.html/.pdf）。

    示例: gongfu policy add 关于扩大中等收入群体的实施意见 --region 330411 --text 意见.docx
    """
    from gongfu.cli import console
    from gongfu.cli.acting import acting, day
    from gongfu.plans.readers import read_document
    from gongfu.work.policy import add_policy

    db = get_db()
    text = read_document(text_file).original if text_file else ""  # any encoding; .docx, .html, .pdf too
    p = add_policy(db, acting(db, as_user, region), title=title, region=region, tier=tier, text=text,
                   doc_no=doc_no, issuer=issuer, issued_on=day(issued_on), parent_id=parent,
                   plan_id=plan)  # fmt: skip
    console.print(f"已登记政策 {p['id']}（{p['tier']}）{p['title']}")


@app.command("search")
def search_cmd(
    query: str = typer.Argument(..., help="检索词（中文），如 中等收入群体"),
    region: str | None = typer.Option(None, "--region", help="地区代码或名称"),
    fmt: Format = FORMAT,
    out: Path | None = OUT,
    as_user: str | None = AS,
) -> None:
    """政策全文检索（每个词都须出现）。

    示例: gongfu policy search 中等收入群体 --region 330411
    """
    from gongfu.cli import console
    from gongfu.cli.acting import acting
    from gongfu.work.policy import search

    db = get_db()
    rows = search(db, acting(db, as_user, region), query, region=region)
    if emit(rows, fmt, out, name=NAME):
        return
    console.print(table(f"政策（{len(rows)}）", ["ID", "层级", "标题", "文号", "地区", "摘录"],
                        [(p["id"], p["tier"], p["title"], p["doc_no"], p["region_code"], p["snippet"])
                         for p in rows]))  # fmt: skip


@app.command("link")
def link_cmd(
    policy_id: int = typer.Argument(..., help="政策编号"),
    task: list[int] = typer.Option([], "--task", help="本政策支撑的任务（可重复）"),
    indicator: list[str] = typer.Option([], "--indicator", help="关联的指标目录代码（可重复）"),
    as_user: str | None = AS,
) -> None:
    """把政策关联到任务和指标。

    示例: gongfu policy link 1 --task 12 --indicator urban_rural_income_ratio
    """
    from gongfu.cli import console
    from gongfu.cli.acting import acting
    from gongfu.work.policy import link

    db = get_db()
    out = link(db, acting(db, as_user), policy_id, task_ids=task, indicators=indicator)
    console.print(f"政策 {policy_id}: 新关联任务 {out['tasks']}，指标 {out['indicators']}")


@app.command("list")
def list_cmd(
    region: str = typer.Option(..., "--region", help="地区代码或名称"), as_user: str | None = AS
) -> None:
    """列出地区（含下辖）的政策。

    示例: gongfu policy list --region 330411
    """
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
    code: str = typer.Argument(..., help="指标目录代码"),
    region: str = typer.Option(..., "--region", help="地区代码或名称"),
    as_user: str | None = AS,
) -> None:
    """从一个指标出发：相关的任务、责任单位与政策。

    示例: gongfu policy indicator urban_rural_income_ratio --region 330411
    """
    from gongfu.cli.acting import acting
    from gongfu.work.query import indicator_links

    db = get_db()
    print_json(indicator_links(db, acting(db, as_user, region), code, region))
