"""Reading hotline (12345) and grid exports, CSV or XLSX, into case drafts; every bad row is reported."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from gongfu.cases.classify.data import _rows
from gongfu.cases.intake import CaseDraft
from gongfu.cases.workdays import CST
from gongfu.errors import Problem, ValidationFailed

# our field → header names seen in exports (first match wins)
COLUMNS: dict[str, tuple[str, ...]] = {
    "external_id": ("external_id", "工单编号", "工单号", "编号", "id"),
    "title": ("title", "标题", "诉求标题", "留言主题", "subject"),
    "description": ("description", "诉求内容", "内容", "来电内容", "留言详情", "body", "text"),
    "kind": ("kind", "诉求类型", "类型"),
    "category": ("category", "诉求分类", "分类", "label"),
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
        "乡镇街道",
        "乡镇（街道）",
        "所属乡镇",
        "所属街道",
        "乡镇",
        "街道",
    ),
    "village": ("village", "村社区", "村（社区）"),
    "grid": ("grid", "网格", "网格编号"),
    "address": ("address", "地址", "事发地址"),
    "contact": ("contact", "联系电话", "来电号码", "联系方式"),
    "urgency": ("urgency", "紧急程度"),
    "received_at": ("received_at", "受理时间", "来电时间", "time"),
}
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


def read_export(path: Path, *, channel: str = "12345", region: str = "") -> list[CaseDraft]:
    """Drafts for every row; ValidationFailed lists all rows that cannot be read (nothing is taken in)."""
    rows = _rows(path)
    header = list(rows[0]) if rows else []
    col = {f: next((h for h in names if h in header), None) for f, names in COLUMNS.items()}
    problems: list[Problem] = []
    if col["description"] is None and col["title"] is None:
        problems.append(Problem("columns", f"缺少诉求内容列（{'/'.join(COLUMNS['description'])}）"))
        raise ValidationFailed(path.name, problems)
    if col["region"] is None and not region.strip() and rows:
        problems.append(
            Problem(
                "columns",
                f"找不到地区列（表头应为 {'/'.join(COLUMNS['region'][1:6])} 等），也未用 --region 指定地区",
            )
        )
        raise ValidationFailed(path.name, problems)
    drafts = []
    for i, r in enumerate(rows, start=2):
        get = lambda f, r=r: (r.get(col[f]) or "").strip() if col[f] else ""  # noqa: E731
        received = None
        if get("received_at"):
            try:
                received = _time(get("received_at"))
            except ValueError as exc:
                problems.append(Problem("time", str(exc), i, col["received_at"]))
        urgency = URGENCY.get(get("urgency"), get("urgency") or "normal")
        drafts.append(CaseDraft(
            description=get("description"), title=get("title"), kind=get("kind") or "诉求",
            category=get("category") or None, region=get("region") or region, village=get("village"),
            grid=get("grid"), address=get("address"), contact=get("contact"), urgency=urgency,
            channel=channel, external_id=get("external_id") or None, received_at=received, row=i,
        ))  # fmt: skip
    if problems:
        raise ValidationFailed(path.name, problems)
    return drafts
