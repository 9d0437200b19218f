"""Reading hotline (12345) and grid exports, CSV or XLSX, into case drafts; every bad row is reported."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from gongfu.cases.intake import CaseDraft
from gongfu.cases.workdays import CST
from gongfu.errors import Problem, ValidationFailed
from gongfu.tabular import Column, Schema, read_table

# our field → header names seen in exports (first match wins). A 12345 export often names the county
# and the town in two columns (所属区县 + 所属镇街) and the village in a third (所属村社): the town routes.
COLUMNS: dict[str, tuple[str, ...]] = {
    "external_id": ("external_id", "工单编号", "工单号", "编号", "id"),
    "title": ("title", "标题", "诉求标题", "留言主题", "subject"),
    "description": ("description", "诉求内容", "内容", "来电内容", "留言详情", "body", "text"),
    "kind": ("kind", "诉求类型", "类型"),
    "category": ("category", "诉求分类", "分类", "label"),
    "town": (
        "town",
        "所属镇街",
        "镇街",
        "所属镇街道",
        "乡镇街道",
        "乡镇（街道）",
        "所属乡镇",
        "所属街道",
        "所属乡镇街道",
        "乡镇",
        "街道",
    ),
    "region": (
        "region",
        "区划代码",
        "行政区划代码",
        "区划",
        "行政区划",
        "所属区划",
        "区域",
        "所属区域",
        "地区",
        "所属地区",
    ),
    "county": ("county", "所属区县", "区县", "所属县区", "县（市、区）", "所属县（市、区）"),
    "village": (
        "village",
        "村社区",
        "村（社区）",
        "所属村社",
        "村社",
        "所属村（社区）",
        "所属社区",
        "所属村居",
        "村居",
    ),
    "grid": ("grid", "网格", "网格编号", "所属网格"),
    "address": ("address", "地址", "事发地址", "事发地点"),
    "contact": ("contact", "联系电话", "来电号码", "联系方式"),
    "urgency": ("urgency", "紧急程度"),
    "received_at": ("received_at", "受理时间", "来电时间", "time"),
}
SCHEMA = Schema(tuple(Column(name, names) for name, names in COLUMNS.items()))
PLACE_COLUMNS = ("town", "region", "county")
URGENCY = {"一般": "normal", "加急": "high", "紧急": "high", "特急": "urgent"}
TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y/%m/%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d",
)


def _time(text: str) -> datetime:
    text = text.strip()
    try:
        t = datetime.fromisoformat(text)
    except ValueError:
        for fmt in TIME_FORMATS:
            try:
                t = datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        else:
            raise ValueError(f"无法识别的时间 {text!r}") from None
    return t if t.tzinfo else t.replace(tzinfo=CST)  # exports give local time


@dataclass
class Export:
    """The drafts of an export, how it was read, and the columns it has that we do not read."""

    drafts: list[CaseDraft]
    encoding: str
    unknown: list[str] = field(default_factory=list)


def read_export(path: Path, *, channel: str = "12345", region: str = "") -> list[CaseDraft]:
    """Drafts for every row; ValidationFailed lists all rows that cannot be read (nothing is taken in)."""
    return read_export_result(path, channel=channel, region=region).drafts


def read_export_result(path: Path, *, channel: str = "12345", region: str = "") -> Export:
    """`read_export` with the encoding and the unknown columns, which the CLI lists."""
    path = Path(path)
    table = read_table(path, SCHEMA)
    cols = table.columns
    problems: list[Problem] = table.formula_problems()
    if "description" not in cols and "title" not in cols:
        problems.append(Problem("columns", f"缺少诉求内容列（{'/'.join(COLUMNS['description'][1:])}）"))
        raise ValidationFailed(path.name, problems)
    if not any(c in cols for c in PLACE_COLUMNS) and not region.strip() and table.rows:
        problems.append(
            Problem(
                "columns",
                f"找不到地区列（表头应为 {'/'.join(COLUMNS['town'][1:4] + COLUMNS['region'][1:4])} 等），"
                "也未用 --region 指定地区",
            )
        )
        raise ValidationFailed(path.name, problems)
    place = _place_reader()
    drafts = []
    for i, cells in table.rows:
        get = lambda f, c=cells: table.get(c, f).strip()  # noqa: E731
        received = None
        if get("received_at"):
            try:
                received = _time(get("received_at"))
            except ValueError as exc:
                problems.append(Problem("time", str(exc), i, table.header[cols["received_at"]]))
        urgency = URGENCY.get(get("urgency"), get("urgency") or "normal")
        drafts.append(CaseDraft(
            description=get("description"), title=get("title"), kind=get("kind") or "诉求",
            category=get("category") or None, region=place(get("town"), get("region"), get("county")) or region,
            village=get("village"), grid=get("grid"), address=get("address"), contact=get("contact"),
            urgency=urgency, channel=channel, external_id=get("external_id") or None, received_at=received, row=i,
        ))  # fmt: skip
    if problems:
        raise ValidationFailed(path.name, problems)
    return Export(drafts, table.encoding, table.unknown)


def _place_reader():
    """(town, region, county) cells → the most specific place: a town named within its county when both
    are given (南湖街道 within 南湖区), else the town, the region or the county as written."""
    registry = None

    def place(town: str, region: str, county: str) -> str:
        nonlocal registry
        if town and county and not town.isdigit():
            from gongfu.errors import GongfuError
            from gongfu.regions import load

            registry = registry or load()
            try:
                return registry.resolve(town, within=registry.resolve(county).code).code
            except GongfuError:
                return town  # intake reports the name it cannot place, with its row
        return town or region or county

    return place
