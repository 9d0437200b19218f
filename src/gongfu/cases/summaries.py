"""What the CLI prints after taking in or moving a request: a few lines a dispatcher reads at a glance."""

from __future__ import annotations

from gongfu.cases.measures import SATISFACTION_ZH
from gongfu.cases.states import STATE_ZH
from gongfu.fmt import datetime_zh

SOURCE_ZH = {"model": "模型", "given": "指定", "human": "人工", "none": "未分类"}
COLOUR_ZH = {"red": "红色", "orange": "橙色", "yellow": "黄色"}


def _due(iso: str | None) -> str:
    return datetime_zh(iso) if iso else "—"


def intake_lines(c: dict) -> list[str]:
    """诉求 17 已受理 … / 分类 / 承办 / 时限 / 预警 / 重复."""
    how = SOURCE_ZH.get(c["category_source"], c["category_source"])
    if c.get("category_confidence") is not None:
        how += f"，置信度 {c['category_confidence']:.0%}"
    lines = [
        f"诉求 {c['id']} 已{c['status_zh']}（{c['kind']}，{c['region_code']}）：{(c['title'] or c['description'])[:40]}",
        f"  分类：{c['service_name']}（{how}）  责任部门：{c['department']}",
        f"  拟承办：{c['level_zh']} {c['agency_responsible'] or '—'}",
        f"  办理时限：{_due(c['expected_datetime'])}"
        + ("（节假日历未覆盖，按周一至周五估算）" if c.get("due_estimated") else ""),
    ]
    if c.get("repeat_of"):
        lines.append(f"  重复诉求：与诉求 {c['repeat_of']} 相同（同一来电人或同一地点、同类）")
    if c.get("warning") in COLOUR_ZH:
        lines.append(f"  预警：{COLOUR_ZH[c['warning']]}（{'；'.join(c['warning_reasons'])}）")
    return lines


def move_lines(e: dict) -> list[str]:
    """诉求 17：分派 受理 → 分派，承办单位 … (what the move changed)."""
    head = f"诉求 {e['id']}：{STATE_ZH.get(e['from'], e['from'])} → {STATE_ZH.get(e['to'], e['to'])}"
    parts = []
    if e.get("from_unit"):
        parts.append(f"由 {e['from_unit']} 升级至 {e.get('unit', '')}")
    elif e.get("unit"):
        parts.append(("退单单位：" if e["action"] == "return" else "承办单位：") + str(e["unit"]))
    if e.get("joint"):
        parts.append("协办：" + "、".join(e["joint"]))
    for key, label in (("reason", "理由"), ("note", "说明")):
        if e.get(key):
            parts.append(f"{label}：{e[key]}")
    if e.get("satisfaction"):
        parts.append(f"满意度：{SATISFACTION_ZH.get(e['satisfaction'], e['satisfaction'])}")
    return [head + ("；" + "；".join(parts) if parts else ""), f"  版本 {e['version']}"]
