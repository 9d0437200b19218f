"""`gongfu cases`: the grassroots closed loop — classify, take in, route, move, warn and measure requests."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import typer

from gongfu.cases import summaries
from gongfu.cases.states import MOVES
from gongfu.cli._common import get_db, print_json, table
from gongfu.cli.output import FORMAT, OUT, Format, emit, write
from gongfu.labels import colour_zh

NAME = "cases"
HELP = "基层诉求闭环 (分类、受理、分派、办理、回访、预警、月度指标)"
app = typer.Typer(no_args_is_help=True)

ModelOpt = typer.Option(None, "--model", help="模型文件 (默认: $GONGFU_CASE_MODEL 或用户数据目录)")
NowOpt = typer.Option(None, "--now", help="以此时刻为当前时间 (ISO, 用于补录与测试)")
FormatOpt = typer.Option("text", "--format", help="text（可读摘要）| json")


def _now(now: str | None) -> datetime | None:
    if not now:
        return None
    from gongfu.cases.hotline import _time

    return _time(now).astimezone(UTC)


def _actor():
    import getpass

    from gongfu.cases.actor import operator

    return operator(f"cli:{getpass.getuser()}")


def _classifier(model: Path | None, required: bool):
    from gongfu.cases.classify import load_model
    from gongfu.errors import NotFound

    try:
        return load_model(model)
    except NotFound:
        if required:
            raise
        return None


@app.command("train")
def train_cmd(
    file: Path = typer.Argument(..., help="标注数据 CSV/XLSX（标题、内容两列，或“留言详情”等一列全文）"),
    label_col: str = typer.Option("label", "--label-col", help="标注类别所在的列名"),
    model: Path | None = ModelOpt,
    holdout: float = typer.Option(0.2, "--holdout", help="留出比例，用于报告准确率 (0 = 不评估)"),
    with_corrections: bool = typer.Option(False, "--with-corrections", help="并入数据库中人工更正的诉求"),
) -> None:
    """训练诉求分类模型；先在固定种子划出的留出集上报告准确率与宏 F1。

    示例: gongfu cases train 留言.xlsx --label-col 一级分类
    """
    from gongfu.cases.classify import default_model_path, evaluate_holdout, read_labelled, train_model
    from gongfu.cli import console

    data = read_labelled(file, label_col)
    if with_corrections:
        from gongfu.cases.corrections import corrected

        extra = corrected(get_db())
        labels = set(data.labels)
        keep = [i for i, lab in enumerate(extra.labels) if lab in labels]
        if len(keep) < len(extra):
            dropped = sorted({lab for lab in extra.labels if lab not in labels})
            console.print(
                f"跳过人工更正 {len(extra) - len(keep)} 条：分类 {'、'.join(dropped)} 不在训练数据中"
            )
        extra = extra.subset(keep)
        for a, b in ((data.subjects, extra.subjects), (data.bodies, extra.bodies), (data.labels, extra.labels),
                     (data.keys, extra.keys)):  # fmt: skip
            a.extend(b)
        console.print(f"并入人工更正 {len(extra)} 条")
    ev = evaluate_holdout(data, test_size=holdout) if holdout > 0 else None
    if ev:
        console.print(f"留出集 {ev.n_test} 条: 准确率 {ev.accuracy:.4f}, macro-F1 {ev.macro_f1:.4f}")
    clf = train_model(data, source=file.name, evaluation=ev)
    path = clf.save(model or default_model_path())
    console.print(f"已训练 {len(data)} 条, {len(clf.labels)} 类 → {path} (版本 {clf.version})")


@app.command("classify")
def classify_cmd(
    file: Path = typer.Argument(..., help="待分类 CSV/XLSX"),
    model: Path | None = ModelOpt,
    fmt: str = typer.Option("jsonl", "--format", help="输出格式：jsonl 或 table"),
) -> None:
    """对每一行诉求分类：行号或编号、类别与置信度（无需数据库）。

    示例: gongfu cases classify 留言.csv --format table
    """
    from gongfu.cases.classify import read_unlabelled
    from gongfu.cli import console

    data = read_unlabelled(file)
    preds = _classifier(model, True).predict(data.subjects, data.bodies)
    if fmt == "jsonl":
        for (key, value), p in zip(data.keys, preds, strict=True):
            ident: int | str = int(value) if key == "row_index" and value.isdigit() else value
            sys.stdout.write(json.dumps({key: ident, "category": p.category, "confidence": round(p.confidence, 4)},
                                        ensure_ascii=False) + "\n")  # fmt: skip
        return
    console.print(table(None, ["行", "分类", "置信度"],
                        [(v, p.category, f"{p.confidence:.2f}") for (_, v), p in zip(data.keys, preds, strict=True)]))  # fmt: skip


@app.command("intake")
def intake_cmd(
    text: str = typer.Argument(..., help="诉求内容"),
    region: str = typer.Option(..., "--region", help="乡镇或县级区划代码/名称"),
    kind: str = typer.Option("诉求", "--kind", help="诉求 | 社情民意 | 矛盾纠纷 | 隐患"),
    category: str | None = typer.Option(None, "--category", help="不给则自动分类"),
    village: str = typer.Option("", "--village", help="村（社区）"),
    grid: str = typer.Option("", "--grid", help="网格"),
    address: str = typer.Option("", "--address", help="事发地址"),
    contact: str = typer.Option("", "--contact", help="联系电话（加密保存）"),
    urgency: str = typer.Option("normal", "--urgency", help="紧急程度：normal、high 或 urgent"),
    channel: str = typer.Option(
        "grid", "--channel", help="来源渠道：grid（网格）、12345、public（群众）或 api"
    ),
    model: Path | None = ModelOpt,
    now: str | None = NowOpt,
    fmt: str = FormatOpt,
) -> None:
    """受理一件诉求：自动分类、分派路由并计算办理时限，打印摘要。

    示例: gongfu cases intake 小区路灯不亮 --region 330411002
    """
    from gongfu.cases.intake import CaseDraft, intake_many
    from gongfu.cases.queries import get_case

    d = CaseDraft(text, region, kind=kind, category=category, village=village, grid=grid, address=address,
                  contact=contact, urgency=urgency, channel=channel, received_at=_now(now))  # fmt: skip
    db = get_db()
    res = intake_many(db, _actor(), [d], classifier=_classifier(model, False), now=_now(now))
    case = get_case(db, _actor(), res.ids[0])
    if fmt == "json":
        print_json(case)
        return
    _print_lines(summaries.intake_lines(case))


@app.command("import")
def import_cmd(
    file: Path = typer.Argument(..., help="12345 热线或网格导出 CSV/XLSX"),
    channel: str = typer.Option("12345", "--channel", help="来源渠道（默认 12345）"),
    region: str = typer.Option("", "--region", help="文件无区划列时使用"),
    model: Path | None = ModelOpt,
    now: str | None = NowOpt,
) -> None:
    """批量导入 12345 热线或网格导出文件（全部成功或全部不导入；已导入的工单编号跳过），并列出未识别的列。

    示例: gongfu cases import 12345导出.csv --channel 12345
    """
    from gongfu.cases.hotline import read_export_result
    from gongfu.cases.intake import intake_many
    from gongfu.cli import console, err_console

    export = read_export_result(file, channel=channel, region=region)
    if export.unknown:
        err_console.print(f"{file.name}: 未识别的列（已忽略）：{'、'.join(export.unknown)}", highlight=False)
    res = intake_many(get_db(), _actor(), export.drafts, classifier=_classifier(model, False), now=_now(now),
                      source=file.name)  # fmt: skip
    console.print(f"{file.name}: 受理 {len(res.ids)} 件, 已存在跳过 {len(res.existing)} 件")


def _rows_out(items: list[dict], fmt: Format, out: Path | None, title: str) -> None:
    from gongfu.cli import console

    if emit(items, fmt, out, name=NAME):
        return
    cols = ["编号", "状态", "类型", "分类", "区划", "承办单位", "时限", "预警", "预警原因", "内容"]
    console.print(table(title, cols, [
        (c["id"], c["status_zh"], c["kind"], c["service_name"], c["region_code"],
         c.get("assignment_unit") or c["agency_responsible"] or "（待分派）", (c["expected_datetime"] or "")[:10],
         colour_zh(c.get("warning")),
         "；".join(c.get("warning_reasons") or []), (c["title"] or c["description"])[:30]) for c in items]))  # fmt: skip


@app.command("list")
def list_cmd(
    region: str | None = typer.Option(None, "--region", help="地区代码或名称"),
    status: str | None = typer.Option(None, "--status", help="received,dispatched,… (逗号分隔)"),
    kind: str | None = typer.Option(None, "--kind", help="诉求类型"),
    category: str | None = typer.Option(None, "--category", help="诉求分类"),
    limit: int = typer.Option(100, "--limit", help="最多列出的条数"),
    fmt: Format = FORMAT,
    out: Path | None = OUT,
) -> None:
    """列出诉求，最新的在前。

    示例: gongfu cases list --region 330411 --status received,dispatched
    """
    from gongfu.cases.queries import Filters, list_cases
    from gongfu.regions import load

    code = load().resolve(region).code if region else None
    items = list_cases(get_db(), _actor(), Filters(region=code, status=status, kind=kind, category=category,
                                                    limit=limit))  # fmt: skip
    _rows_out(items, fmt, out, "诉求")


@app.command("show")
def show_cmd(case_id: int = typer.Argument(..., help="诉求编号")) -> None:
    """一件诉求及其分派记录与完整流转历史。

    示例: gongfu cases show 7
    """
    from gongfu.cases.queries import get_case

    print_json(get_case(get_db(), _actor(), case_id))


@app.command("queue")
def queue_cmd(
    region: str | None = typer.Option(None, "--region", help="地区代码或名称"),
    limit: int = typer.Option(50, "--limit", help="最多列出的条数"),
    fmt: Format = FORMAT,
    out: Path | None = OUT,
) -> None:
    """调度员的待分派队列：处于受理状态的诉求（新件、退回件、重办件）。

    示例: gongfu cases queue --region 330411
    """
    from gongfu.cases.queries import queue
    from gongfu.regions import load

    code = load().resolve(region).code if region else None
    _rows_out(queue(get_db(), _actor(), region=code, limit=limit), fmt, out, "待分派")


@app.command("inbox")
def inbox_cmd(
    unit: str | None = typer.Option(None, "--unit", help="单位名称"),
    fmt: Format = FORMAT,
    out: Path | None = OUT,
) -> None:
    """承办单位的待办：其牵头或协办的未办结诉求，时限最近的在前。

    示例: gongfu cases inbox --unit 县住建局
    """
    from gongfu.cases.queries import inbox

    _rows_out(inbox(get_db(), _actor(), unit=unit), fmt, out, "待办")


@app.command("move")
def move_cmd(
    case_id: int = typer.Argument(..., help="诉求编号"),
    action: str = typer.Argument(
        ..., help="操作，英文或中文: " + " | ".join(f"{m.action} ({m.zh})" for m in MOVES.values())
    ),
    unit: str | None = typer.Option(None, "--unit", help="单位名称"),
    level: str | None = typer.Option(None, "--level", help="承办层级：grid、village、town 或 county"),
    reason: str = typer.Option("", "--reason", help="原因"),
    note: str = typer.Option("", "--note", help="说明"),
    satisfaction: str | None = typer.Option(
        None, "--satisfaction", help="回访满意度：satisfied、basic 或 dissatisfied"
    ),
    joint: list[str] = typer.Option([], "--joint", help="吹哨报到协办单位, 形如 county:公安局"),
    now: str | None = NowOpt,
    fmt: str = FormatOpt,
) -> None:
    """把诉求推进一步；动作可用中文或英文名（分派 或 dispatch …），打印变化。

    示例: gongfu cases move 7 分派 --unit 县住建局 --level county
    """
    from gongfu.cases.moves import move
    from gongfu.cases.states import action_of
    from gongfu.errors import InputError

    pairs = []
    for j in joint:
        lvl, _, name = j.partition(":")
        if not name:
            raise InputError(f"--joint {j!r}: 应为 层级:单位名称")
        pairs.append((lvl, name))
    out = move(get_db(), _actor(), case_id, action_of(action), unit=unit, level=level, reason=reason,
               note=note, satisfaction=satisfaction, joint=pairs, now=_now(now))  # fmt: skip
    if fmt == "json":
        print_json(out)
        return
    _print_lines(summaries.move_lines(out))


def _print_lines(lines: list[str]) -> None:
    from gongfu.cli import console

    for line in lines:
        console.print(line, highlight=False)


@app.command("reclassify")
def reclassify_cmd(
    case_id: int = typer.Argument(..., help="诉求编号"),
    category: str = typer.Argument(..., help="新的诉求类别"),
    reason: str = typer.Option("", "--reason", help="原因"),
    model: Path | None = ModelOpt,
    fmt: str = FormatOpt,
) -> None:
    """人工更正诉求类别（留有记录；train --with-corrections 会使用）。

    示例: gongfu cases reclassify 7 交通运输 --reason 属交通
    """
    from gongfu.cases.corrections import known_categories, reclassify
    from gongfu.cli import console

    out = reclassify(get_db(), _actor(), case_id, category, reason=reason,
                     known=known_categories(_classifier(model, False)))  # fmt: skip
    if fmt == "json":
        print_json(out)
        return
    console.print(f"诉求 {out['id']}：分类 {out['previous']} → {out['category']}（承办部门 {out['department']}）",
                  highlight=False)  # fmt: skip


@app.command("escalate")
def escalate_cmd(now: str | None = NowOpt) -> None:
    """把所有超时诉求上提一级（可由定时任务运行）。

    示例: gongfu cases escalate
    """
    from gongfu.cases.moves import escalate_overdue
    from gongfu.cli import console

    moved = escalate_overdue(get_db(), _now(now))
    console.print(f"升级 {len(moved)} 件")
    for m in moved:
        console.print(f"  {m['id']}: {m['from_unit']} → {m['unit']}")


@app.command("warnings")
def warnings_cmd(
    region: str | None = typer.Option(None, "--region", help="地区代码或名称"),
    now: str | None = NowOpt,
    fmt: Format = FORMAT,
    out: Path | None = OUT,
) -> None:
    """未办结诉求的红/橙/黄预警及原因。

    示例: gongfu cases warnings --region 330411
    """
    from gongfu.cases.queries import warnings_board
    from gongfu.regions import load

    code = load().resolve(region).code if region else None
    _rows_out(warnings_board(get_db(), _actor(), region=code, now=_now(now)), fmt, out, "预警")


@app.command("measures")
def measures_cmd(
    region: str | None = typer.Option(None, "--region", help="地区代码或名称"),
    year: int | None = typer.Option(None, "--year", help="年份"),
    now: str | None = NowOpt,
    save: bool = typer.Option(False, "--save", help="写入观测数据 (按指标代码、区划、月份)"),
    fmt: Format = FORMAT,
    out: Path | None = OUT,
) -> None:
    """按月、按地区统计按期办结率、满意率、化解率、重复诉求率与办理天数中位数。

    示例: gongfu cases measures --region 330411 --year 2026 --save
    """
    from gongfu.cases import report
    from gongfu.cli import console
    from gongfu.regions import load

    db = get_db()
    code = load().resolve(region).code if region else None
    ms = report.compute(db, _actor(), region=code, year=year, asof=_now(now))
    if fmt is not Format.table:
        write(fmt, out, NAME, [{**m.__dict__, "indicator": m.indicator, "unit": m.unit} for m in ms])
    else:
        console.print(table("月度指标", ["区划", "年", "月", "指标", "值", "分子/分母"], [
            (m.region_code, m.year, m.month, m.indicator, f"{m.value:.2f}", f"{m.numerator:g}/{m.denominator}")
            for m in ms]))  # fmt: skip
    if save:
        s = report.save(db, ms, by=_actor().name)
        console.print(f"已写入观测: 新增 {s.added}, 修订 {s.revised}, 未变 {s.unchanged}")
