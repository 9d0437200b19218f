"""How the report writes numbers, targets and references: one place, shared by docx, html and the tests."""

from __future__ import annotations

from gongfu.reports.data import ReportData

NUMERALS = "一二三四五六七八九十"
COMPARATOR_ZH = {">=": "≥", "<=": "≤", "==": "", "increase": "增长", "decrease": "下降"}
WEIGHTS_ZH = {"equal": "等权", "entropy": "熵权", "expert": "专家赋权"}
TREND_ZH = {"up": "上升", "down": "下降", "flat": "持平"}


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 21 → 二十一 (chapter numbers up to 99)."""
    if n <= 10:
        return NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else NUMERALS[tens - 1]) + "十" + (NUMERALS[ones - 1] if ones else "")


def num(v: float | None) -> str:
    """A figure as printed in the tables: thousands separators, decimals by magnitude."""
    if v is None:
        return "—"
    a = abs(v)
    if a >= 100:
        return f"{v:,.1f}"
    if a >= 1:
        return f"{v:.2f}"
    return f"{v:.3f}"


def pct(v: float | None) -> str:
    """A share (0.583) as a percentage (58.4%)."""
    return "—" if v is None else f"{v * 100:.1f}%"


def growth(r: dict, key: str) -> str:
    """A growth per year as the evaluation measured it: a compound rate (a fraction, shown as a signed
    percentage) for method "cagr", or a change in the indicator's own unit for method "linear" (shares
    and rates: percentage points)."""
    v = r.get(key)
    if v is None:
        return "—"
    if r.get("method") == "linear":
        unit = r.get("unit") or ""
        unit = "个百分点" if unit in ("%", "％") else unit
        return f"{v:+.2f}{unit}/年"
    return f"{v * 100:+.1f}%"


def with_unit(value: str, unit: str | None) -> str:
    return value if value == "—" or not unit else f"{value} {unit}"


def target(r: dict) -> str:
    """The target as the plan puts it: ≥9,000.0 亿元 (2025年)."""
    c = r.get("comparator")
    if c == "range":
        body = f"{num(r['target'])}–{num(r.get('value2'))}"
    elif c in ("increase", "decrease"):
        body = f"年均{COMPARATOR_ZH[c]}{num(r['target'])}"
    else:
        body = f"{COMPARATOR_ZH.get(c, c or '')}{num(r['target'])}"
    unit = r.get("unit") or ""
    return f"{body} {unit}".strip() + (f"（{r['year']}年）" if r.get("year") else "")


def baseline(r: dict) -> str:
    b = r.get("baseline")
    if b is None:
        return "—"
    y = r.get("baseline_year")
    return num(b) + (f"（{y}年）" if y else "")


def latest(r: dict) -> str:
    if r.get("latest") is None:
        return "—"
    return num(r["latest"]) + (f"（{r['latest_year']}年）" if r.get("latest_year") else "")


def refs(r: dict) -> str:
    return "、".join(r.get("refs") or [])


def indicator(r: dict) -> str:
    unit = r.get("unit") or ""
    return f"{r['indicator_name']}（{unit}）" if unit else r["indicator_name"]


# The chapter tables: (header, cell) for every column, shared by docx and html so they cannot drift.
TARGET_COLUMNS: list[tuple[str, object]] = [
    ("指标（单位）", indicator),
    ("基期值", baseline),
    ("目标值（年份）", target),
    ("最新值（年份）", latest),
    ("实现度", lambda r: pct(r.get("attainment"))),
    ("预期值", lambda r: num(r.get("expected"))),
    ("时序进度", lambda r: pct(r.get("time_progress"))),
    ("预警", lambda r: r["colour_zh"]),
    ("来源", refs),
]

LAGGING_COLUMNS: list[tuple[str, object]] = [
    ("指标", lambda r: r["indicator_name"]),
    ("预警", lambda r: r["colour_zh"]),
    ("实现度", lambda r: pct(r.get("attainment"))),
    ("时序进度", lambda r: pct(r.get("time_progress"))),
    ("进度比", lambda r: num(r.get("progress_ratio"))),
    ("历史年均增速", lambda r: growth(r, "historic_growth")),
    ("所需年均增速", lambda r: growth(r, "required_growth")),
    ("说明", lambda r: r.get("colour_reason") or ""),
    ("来源", refs),
]


def cells(columns: list[tuple[str, object]], r: dict) -> list[str]:
    return [f(r) for _, f in columns]  # type: ignore[operator]


def counts_text(counts: dict[str, int]) -> str:
    return "，".join(
        f"{zh}色{counts.get(k, 0)}项"
        for k, zh in (("green", "绿"), ("yellow", "黄"), ("orange", "橙"), ("red", "红"), ("grey", "灰"))
    )


def composite_text(data: ReportData) -> str:
    c = data.composite
    if not c.available:
        return c.note or "综合指数: 暂无"
    text = f"综合指数{num(c.index)}（{WEIGHTS_ZH.get(c.scheme, c.scheme)}），在{c.peers}个同级地区中排名第{c.rank}位"
    if c.rank_min is not None and c.rank_max is not None and (c.rank_min, c.rank_max) != (c.rank, c.rank):
        text += f"；权重扰动下排名在第{c.rank_min}至第{c.rank_max}位之间"
    return text + "。"


def summary_text(data: ReportData) -> str:
    n = len(data.records)
    return (
        f"{data.region_name}行动方案共提出{n}项目标，其中{data.evaluable}项有统计数据可评价。"
        f"预警分布：{counts_text(data.counts)}。"
    )


def lagging_text(r: dict) -> str:
    return (
        f"{r['indicator_name']}：{r['colour_zh']}色预警，实现度{pct(r.get('attainment'))}，"
        f"时序进度{pct(r.get('time_progress'))}（{r.get('colour_reason') or ''}）"
    )


def as_of_text(data: ReportData) -> str:
    return f"数据截至{data.as_of}年" if data.as_of else "数据截至最新年份"
