"""Turn raw observation rows into `ObservationDraft`s in catalog units, collecting every problem on the way.

Pure logic: no file I/O. The reader hands in `RawRow`s (cell text plus the spreadsheet row number) and a
region resolver; this module parses numbers and years, finds the indicator in the catalog, reads the
parenthetical qualifiers of an indicator name into `vintage`/`note`, converts units with `gongfu.units`,
checks values are possible for the indicator's kind, and finds duplicates.

Problem codes: unknown_region, unknown_indicator, bad_number, bad_year, unknown_unit, incompatible_unit,
impossible_value, duplicate (and missing_column / empty_file from the reader).

Duplicates: two rows with the same region, indicator, year, period, vintage and 口径 are one figure.
If their values agree after conversion (578.619 billion yuan and 5786.19 亿元) they are merged into the
first row's draft, whose note names both rows; if they differ, that is a `duplicate` problem.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from gongfu import units
from gongfu.catalog import Catalog, Indicator, match
from gongfu.errors import AmbiguousName, NotFound, Problem
from gongfu.model import ObservationDraft
from gongfu.text import to_simplified

__all__ = [
    "RawRow",
    "check_value",
    "merge_duplicates",
    "parse_number",
    "parse_year",
    "resolve_indicator",
    "split_qualifiers",
    "validate_rows",
]

RegionResolver = Callable[[str], str]  # name or code -> GB/T 2260 code; raises NotFound / AmbiguousName

# Matcher results accepted for an observation file: exact wording or very close to it.
_CONFIDENT_HOW = ("exact", "cleaned")
_CONFIDENT_SCORE = 0.85


@dataclass
class RawRow:
    """One data row as read from the file: cell text, and the 1-based spreadsheet row (header = 1)."""

    row: int
    indicator: str
    value: str
    unit: str
    year: str
    region: str = ""
    region_code: str = ""
    period: str = ""
    source: str = ""
    source_url: str = ""
    source_quote: str = ""
    note: str = ""
    indicator_code: str = ""  # a code given by a mapping file; wins over the wording


_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$", re.I)


def parse_number(text: str) -> float | None:
    """A float from cell text: thousands separators, full-width digits, "1.94:1", a trailing % all read."""
    s = to_simplified(str(text)).strip().replace("−", "-").replace("－", "-")
    s = re.sub(r"[\s,，]", "", s)
    s = re.sub(r":1(?:\.0+)?$", "", s)
    s = s.removesuffix("%")
    if not _NUMBER.match(s):
        return None
    x = float(s)
    return x if math.isfinite(x) else None


def parse_year(text: str) -> int | None:
    """A year 1900–2100 from "2021", "2021年" or an XLSX float 2021.0."""
    s = to_simplified(str(text)).strip().removesuffix("年")
    m = re.fullmatch(r"(\d{4})(?:\.0+)?", s)
    if not m:
        return None
    y = int(m.group(1))
    return y if 1900 <= y <= 2100 else None


_VINTAGES = (
    (re.compile(r"初步核算|初步测算|初核|初步数"), "preliminary"),
    (re.compile(r"最终核实|最终核算|核实数|最终数"), "final"),
    (re.compile(r"修订"), "revised"),
    (re.compile(r"预计|预估"), "estimate"),
)
_NOTES = re.compile(r"口径|平均值|均值|人口普查|七普|六普")
_PAREN = re.compile(r"[(（]([^()（）]*)[)）]")


def split_qualifiers(name: str) -> tuple[str, str, str]:
    """("地区生产总值(初步核算)") → ("地区生产总值", "preliminary", ""); 口径 and 平均值 go to the note.

    Parentheticals that are not qualifiers ("(研发投入强度)", "(含货币化安置)") stay in the name."""
    vintage, notes = "", []

    def take(m: re.Match[str]) -> str:
        nonlocal vintage
        inner = m.group(1).strip()
        for pattern, v in _VINTAGES:
            if pattern.search(inner):
                vintage = vintage or v
                return ""
        if _NOTES.search(inner):
            notes.append(inner)
            return ""
        return m.group(0)

    base = _PAREN.sub(take, to_simplified(name)).strip()
    return base, vintage, "; ".join(notes)


def resolve_indicator(name: str, catalog: Catalog) -> Indicator | None:
    """The catalog indicator for a code, name or alias, else a confident matcher result, else None."""
    found = catalog.lookup(name)
    if found is not None:
        return found
    m = match(name, catalog=catalog)
    if m.code and (m.how in _CONFIDENT_HOW or m.score >= _CONFIDENT_SCORE):
        return catalog.get(m.code)
    return None


def check_value(ind: Indicator, value: float, unit: str) -> str | None:
    """Why `value` (in `unit`, the catalog unit) is impossible for this indicator, or None if it is fine."""
    if ind.kind == "share":
        pct = units.convert(value, unit, "%") if units.family(unit) == "percent" else value
        if not 0 <= pct <= 100:
            return f"比重/比例类指标的值应在0–100%之间，实际为{value:g}{unit}"
    elif ind.kind in ("level", "count", "rate") and value < 0:
        return f"{ind.name}不能为负数（{value:g}{unit}）"
    elif ind.kind == "ratio" and value <= 0:
        return f"比值类指标应大于0（{value:g}）"
    return None


def _region(raw: RawRow, resolve: RegionResolver) -> tuple[str | None, str | None]:
    """(code, problem message)."""
    code_text, name_text = raw.region_code.strip(), raw.region.strip()
    if not code_text and not name_text:
        return None, "地区和区划代码均为空"
    try:
        code = resolve(code_text or name_text)
        if code_text and name_text and resolve(name_text) != code:
            return None, f"区划代码{code_text}与地区名称“{name_text}”不一致"
        return code, None
    except (NotFound, AmbiguousName) as exc:
        return None, f"无法识别地区“{code_text or name_text}”: {exc}"


def _one_row(raw: RawRow, file: str, catalog: Catalog, resolve: RegionResolver, problems: list[Problem]):
    before = len(problems)

    def bad(code: str, message: str, column: str) -> None:
        problems.append(Problem(code, message, raw.row, column))

    region, why = _region(raw, resolve)
    if why:
        bad("unknown_region", why, "region")
    base, vintage, qualifier_note = split_qualifiers(raw.indicator)
    ind = catalog.get(raw.indicator_code) if raw.indicator_code in catalog else None
    ind = ind or resolve_indicator(base, catalog) or resolve_indicator(raw.indicator, catalog)
    if ind is None:
        bad("unknown_indicator", f"指标“{raw.indicator}”不在指标库中", "indicator")
    value = parse_number(raw.value)
    if value is None:
        bad("bad_number", f"数值“{raw.value}”不是数字", "value")
    year = parse_year(raw.year)
    if year is None:
        bad("bad_year", f"年份“{raw.year}”无效", "year")
    unit_text = raw.unit.strip()
    if not units.is_known(unit_text):
        bad("unknown_unit", f"未知单位“{unit_text}”", "unit")
    elif ind is not None and not units.compatible(unit_text, ind.unit):
        bad("incompatible_unit", f"单位“{unit_text}”无法换算为{ind.name}的单位“{ind.unit}”", "unit")
    if len(problems) > before or ind is None or value is None or year is None or region is None:
        return None
    converted = units.convert(value, unit_text, ind.unit)
    why = check_value(ind, converted, ind.unit)
    if why:
        bad("impossible_value", why, "value")
        return None
    note = "; ".join(x for x in (qualifier_note, raw.note.strip()) if x)
    return ObservationDraft(
        indicator=ind.code,
        region=region,
        year=year,
        value=converted,
        unit=ind.unit,
        source=file,
        source_row=raw.row,
        source_text=raw.source_quote.strip() or raw.value.strip(),
        period=raw.period.strip(),
        original_value=value,
        original_unit=unit_text,
        source_url=raw.source_url.strip() or raw.source.strip(),
        vintage=vintage,
        note=note,
    )


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def merge_duplicates(drafts: list[ObservationDraft]) -> tuple[list[ObservationDraft], list[Problem]]:
    """Merge rows that state the same figure twice; report rows that state different figures."""
    kept: dict[tuple, int] = {}
    out: list[ObservationDraft] = []
    problems: list[Problem] = []
    for d in drafts:
        key = (d.region, d.indicator, d.year, d.period, d.vintage, d.note)
        if key not in kept:
            kept[key] = len(out)
            out.append(d)
            continue
        first = out[kept[key]]
        if _same(first.value, d.value):
            merged = f"与第{d.source_row}行数值相同，已合并（第{first.source_row}行、第{d.source_row}行）"
            out[kept[key]] = replace(first, note="; ".join(x for x in (first.note, merged) if x))
        else:
            problems.append(
                Problem(
                    "duplicate",
                    f"与第{first.source_row}行重复（同一地区、指标、年份、版本），但数值不同："
                    f"{first.value:g} 与 {d.value:g} {d.unit}",
                    d.source_row,
                    "value",
                )
            )
    return out, problems


def validate_rows(
    rows: list[RawRow], *, file: str, catalog: Catalog, resolve_region: RegionResolver
) -> tuple[list[ObservationDraft], list[Problem]]:
    """Drafts for every good row and the problems of every bad one (the caller decides all-or-nothing)."""
    problems: list[Problem] = []
    drafts = [d for raw in rows if (d := _one_row(raw, file, catalog, resolve_region, problems))]
    drafts, dup = merge_duplicates(drafts)
    return drafts, problems + dup
