"""Chinese labels, symbols and fill colours for the shared vocabulary: the one table of each.

The CLI, the dashboard's Jinja filters and the reports all read these, so a comparator or a colour is
written the same way everywhere: `==` shows as `=`, `range` as `a–b`, growth targets as 年均增长/年均下降.
"""

from __future__ import annotations

from gongfu.vocab import (
    COLOURS,
    Ambition,
    CaseState,
    CaseWarning,
    Colour,
    Comparator,
    FindingState,
    TaskStatus,
)

COMPARATOR_SYMBOL: dict[str, str] = {
    Comparator.GE: "≥",
    Comparator.LE: "≤",
    Comparator.EQ: "=",
    Comparator.RANGE: "区间",
    Comparator.INCREASE: "年均增长",
    Comparator.DECREASE: "年均下降",
}
AMBITION_ZH: dict[str, str] = {
    Ambition.BINDING: "确保",
    Ambition.STRIVING: "力争",
    Ambition.INDICATIVE: "预期性",
}
COLOUR_ZH: dict[str, str] = {
    Colour.GREEN: "绿",
    Colour.YELLOW: "黄",
    Colour.ORANGE: "橙",
    Colour.RED: "红",
    Colour.GREY: "灰",
}
# Cell fills of the Word and Excel tables (hex RGB without '#'), chart colours, and the terminal's styles.
COLOUR_FILL: dict[str, str] = {
    Colour.GREEN: "C6EFCE",
    Colour.YELLOW: "FFEB9C",
    Colour.ORANGE: "F8CBAD",
    Colour.RED: "FFC7CE",
    Colour.GREY: "D9D9D9",
}
COLOUR_HEX: dict[str, str] = {
    Colour.GREEN: "#2e9b48",
    Colour.YELLOW: "#e8b600",
    Colour.ORANGE: "#ee7d1e",
    Colour.RED: "#d62c2c",
    Colour.GREY: "#9e9e9e",
}
COLOUR_STYLE: dict[str, str] = {
    Colour.GREEN: "green",
    Colour.YELLOW: "yellow",
    Colour.ORANGE: "dark_orange",
    Colour.RED: "red",
    Colour.GREY: "grey50",
}
CASE_WARNING_ZH: dict[str, str] = {
    CaseWarning.RED: "红",
    CaseWarning.ORANGE: "橙",
    CaseWarning.YELLOW: "黄",
    CaseWarning.NONE: "无",
}
CASE_STATE_ZH: dict[str, str] = {
    CaseState.RECEIVED: "受理",
    CaseState.DISPATCHED: "分派",
    CaseState.SIGNED: "签收",
    CaseState.HANDLING: "办理",
    CaseState.CLOSED: "办结",
    CaseState.VISITED: "回访",
    CaseState.ARCHIVED: "归档",
}
FINDING_STATE_ZH: dict[str, str] = {
    FindingState.OPEN: "待交办",
    FindingState.ASSIGNED: "已交办",
    FindingState.RECTIFYING: "整改中",
    FindingState.SUBMITTED: "已提交",
    FindingState.VERIFIED: "已核验",
    FindingState.CLOSED: "已销号",
    FindingState.RETURNED: "已退回",
}
DIRECTION_ZH: dict[str, str] = {"higher": "越大越好", "lower": "越小越好", "band": "区间内为好"}
VINTAGE_ZH: dict[str, str] = {
    "": "",
    "preliminary": "初步核算",
    "final": "最终核实",
    "revised": "修订",
    "estimate": "预计",
}
SCRIPT_ZH: dict[str, str] = {"simplified": "简体", "traditional": "繁体", "mixed": "简繁混合"}
KIND_ZH: dict[str, str] = {
    "level": "水平值",
    "share": "比重",
    "count": "数量",
    "ratio": "比值",
    "rate": "比率",
    "growth": "增速",
}
WEIGHTS_ZH: dict[str, str] = {"equal": "等权", "entropy": "熵权", "expert": "专家赋权"}
TREND_ZH: dict[str, str] = {"up": "上升", "down": "下降", "flat": "持平"}


def comparator_zh(c: str | None) -> str:
    return COMPARATOR_SYMBOL.get(c or "", c or "")


def ambition_zh(a: str | None) -> str:
    return AMBITION_ZH.get(a or "", a or "")


def colour_zh(c: str | None) -> str:
    """绿/黄/橙/红/灰 for an evaluation colour, 红/橙/黄/无 for a case warning, "" for none."""
    if not c:
        return ""
    return COLOUR_ZH.get(c) or CASE_WARNING_ZH.get(c, c)


def colour_counts_text(counts: dict[str, int]) -> str:
    """绿色3项，黄色1项，… in the order of `COLOURS`."""
    return "，".join(f"{COLOUR_ZH[k]}色{counts.get(k, 0)}项" for k in COLOURS)


def vintage_zh(v: str | None) -> str:
    """初步核算/最终核实/修订/预计 for a figure's vintage; "" for none."""
    return VINTAGE_ZH.get(v or "", v or "")


def actor_zh(actor: str | None) -> str:
    """Who did something, as a Chinese page shows it: `cli:root` → 命令行（root）, `system` → 系统."""
    if not actor:
        return ""
    if actor.startswith("cli:"):
        return f"命令行（{actor[4:]}）" if actor[4:] else "命令行"
    if actor == "cli":
        return "命令行"
    if actor == "system":
        return "系统"
    return actor


TASK_STATUS_FILL: dict[str, str] = {
    TaskStatus.NOT_STARTED: "D9D9D9",
    TaskStatus.IN_PROGRESS: "BDD7EE",
    TaskStatus.LAGGING: "FFC7CE",
    TaskStatus.DONE: "C6EFCE",
    TaskStatus.CHECKED_OFF: "70AD47",
}
