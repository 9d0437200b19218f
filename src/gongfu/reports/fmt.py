"""How the report writes numbers, targets and references: one place, shared by docx, html and the tests."""

from __future__ import annotations

from gongfu.fmt import DASH, date_zh, num, pct, target_text, with_unit
from gongfu.labels import WEIGHTS_ZH, colour_counts_text
from gongfu.reports.data import ReportData

NUMERALS = "一二三四五六七八九十"
__all__ = ["DASH", "WEIGHTS_ZH", "date_zh", "num", "pct", "with_unit"]


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 21 → 二十一 (chapter numbers up to 99)."""
    if n <= 10:
        return NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else NUMERALS[tens - 1]) + "十" + (NUMERALS[ones - 1] if ones else "")


def growth(r: dict, key: str) -> str:
    """A growth per year as the evaluation measured it: a compound rate (a fraction, shown as a signed
    percentage) for method "cagr", or a change in the indicator's own unit for method "linear" (shares
    and rates: percentage points)."""
    v = r.get(key)
    if v is None:
        return DASH
    if r.get("method") == "linear":
        unit = r.get("unit") or ""
        unit = "个百分点" if unit in ("%", "％") else unit
        return f"{v:+.2f}{unit}/年"
    return f"{v * 100:+.1f}%"


def target(r: dict) -> str:
    """The target as the plan puts it: ≥9,000.0 亿元（2025年）."""
    return target_text(r.get("comparator"), r.get("target"), r.get("value2"), r.get("unit"), r.get("year"))


def baseline(r: dict) -> str:
    b = r.get("baseline")
    if b is None:
        return DASH
    y = r.get("baseline_year")
    return num(b) + (f"（{y}年）" if y else "")


def latest(r: dict) -> str:
    if r.get("latest") is None:
        return DASH
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
    return colour_counts_text(counts)


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
