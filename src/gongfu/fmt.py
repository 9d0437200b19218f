"""The one formatter of numbers, percentages, years, dates and targets: used by the CLI, the dashboard's
Jinja filters and the reports, so a figure reads the same in a terminal, a page and a document.

- `num`: thousands separators, decimals by magnitude (9,000.0 · 12.35 · 0.583); `None` → "—".
- `pct`: a share 0.584 → 58.4%.
- `year`: 2020 → "2020" (never "2,020").
- `date_zh`: 2026-12-01 → 2026年12月1日 (documents and pages); `datetime_zh` adds the time and its zone.
"""

from __future__ import annotations

from datetime import date, datetime

from gongfu.labels import comparator_zh

DASH = "—"


def num(v: float | None) -> str:
    """A figure as printed in tables: thousands separators, decimals by magnitude."""
    if v is None:
        return DASH
    a = abs(v)
    if a >= 100:
        return f"{v:,.1f}"
    if a >= 1:
        return f"{v:.2f}"
    return f"{v:.3f}"


def pct(v: float | None) -> str:
    """A share (0.584) as a percentage (58.4%)."""
    return DASH if v is None else f"{v * 100:.1f}%"


def year(v: int | float | str | None) -> str:
    """A year as a label: no thousands separator, no decimals."""
    if v is None or v == "":
        return ""
    return str(int(float(v)))


def date_zh(d: date | datetime | str | None) -> str:
    """2026年12月1日; an ISO string is read first; None → "—"."""
    if d is None or d == "":
        return DASH
    if isinstance(d, str):
        d = date.fromisoformat(d[:10])
    return f"{d.year}年{d.month}月{d.day}日"


def datetime_zh(t: datetime | str | None) -> str:
    """2026年12月1日 08:30（北京时间）: a time in China Standard Time with its zone named."""
    from gongfu.clock import CST

    if t is None or t == "":
        return DASH
    if isinstance(t, str):
        t = datetime.fromisoformat(t)
    if t.tzinfo is None:  # stored times are UTC
        from datetime import UTC

        t = t.replace(tzinfo=UTC)
    t = t.astimezone(CST)
    return f"{date_zh(t)} {t:%H:%M}（北京时间）"


def with_unit(value: str, unit: str | None) -> str:
    return value if value == DASH or not unit else f"{value} {unit}"


def target_text(
    comparator: str | None,
    value: float | None,
    value2: float | None = None,
    unit: str | None = "",
    target_year: int | None = None,
) -> str:
    """A target as the plan puts it: ≥9,000.0 亿元（2025年）, 60.00–70.00 %, 年均增长5.00 %."""
    if comparator == "range":
        body = f"{num(value)}–{num(value2)}"
    else:
        body = f"{comparator_zh(comparator)}{num(value)}"
    body = f"{body} {unit or ''}".strip()
    return body + (f"（{target_year}年）" if target_year else "")


def jinja_filters() -> dict[str, object]:
    """The filters every Jinja environment of gongfu registers (dashboard pages, cases pages, reports)."""
    from gongfu.labels import actor_zh, ambition_zh, colour_zh

    return {
        "num": num,
        "pct": pct,
        "year": year,
        "date_zh": date_zh,
        "datetime_zh": datetime_zh,
        "cmp": comparator_zh,
        "ambition_zh": ambition_zh,
        "colour_zh": colour_zh,
        "actor_zh": actor_zh,
        "target_text": target_text,
    }
