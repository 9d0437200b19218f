"""Turn raw observation rows into `ObservationDraft`s in catalog units, collecting every problem on the way.

Pure logic: no file I/O. The reader hands in `RawRow`s (cell text plus the spreadsheet row number) and a
region resolver; this module parses numbers and years, finds the indicator in the catalog, reads the
parenthetical qualifiers of an indicator name into `vintage`/`note`, converts units with `gongfu.units`,
checks values are plausible (`PLAUSIBLE_BY_KIND`, `PLAUSIBLE_BY_UNIT_FAMILY`), and finds duplicates.

Problem codes: unknown_region, unknown_indicator, bad_number, bad_year (unreadable or a future year),
unknown_unit, incompatible_unit, unit_conflict, impossible_value, duplicate (and missing_column /
empty_file from the reader). Messages are Simplified Chinese; `Problem.row` and `Problem.column` say where.

A unit written in the value cell ("72.4%", "5786.19亿元") is read, never dropped: with an empty unit
column it is the row's unit; when it differs from the unit column that is a `unit_conflict`.

Duplicates: two rows with the same region, indicator, year, period, vintage and 口径 are one figure.
If their values agree after conversion (578.619 billion yuan and 5786.19 亿元) they are merged into the
first row's draft, whose note names both rows; if they differ, that is a `duplicate` problem.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from gongfu import clock, units
from gongfu.catalog import Catalog, Indicator, match
from gongfu.errors import AmbiguousName, NotFound, Problem
from gongfu.model import ObservationDraft
from gongfu.text import to_simplified
from gongfu.text.names import clean_text, foreign_scheme

__all__ = [
    "DRAFT_FIELDS",
    "PLAUSIBLE_BY_KIND",
    "PLAUSIBLE_BY_UNIT_FAMILY",
    "Plausible",
    "RawRow",
    "RowValidator",
    "check_value",
    "draft_of",
    "draft_tuple",
    "merge_duplicates",
    "parse_number",
    "parse_year",
    "resolve_indicator",
    "split_qualifiers",
    "split_value",
    "validate_rows",
]

RegionResolver = Callable[[str], str]  # name or code -> GB/T 2260 code; raises NotFound / AmbiguousName

# Matcher results accepted for an observation file: exact wording or very close to it.
_CONFIDENT_HOW = ("exact", "cleaned")
_CONFIDENT_SCORE = 0.85


@dataclass(slots=True)
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
    value_column: str = ""  # wide layout: the year header the value was read under ("2021年")


# A number (thousands separators and spaces allowed between digits), then whatever follows it.
_VALUE = re.compile(r"^(?P<num>[+-]?(?:\d[\d,，\s]*(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)(?P<rest>.*)$", re.I)
_RATIO_TAIL = re.compile(r"^[:：]\s*1(?:\.0+)?$")


def split_value(text: str) -> tuple[float | None, str]:
    """(number, unit written in the cell): "72.4%" → (72.4, "%"), "5786.19亿元" → (5786.19, "亿元"),
    "1.94:1" → (1.94, ":1"), "１２，３４５.６" → (12345.6, "").

    (None, "") when the cell is not a number, or a number followed by text that is not a known unit
    ("约六千", "1.2万"): a figure is read whole or not at all."""
    s = to_simplified(str(text)).strip().replace("−", "-").replace("－", "-")
    m = _VALUE.match(s)
    if not m:
        return None, ""
    try:
        x = float(re.sub(r"[\s,，]", "", m.group("num")))
    except ValueError:
        return None, ""
    rest = m.group("rest").strip()
    if _RATIO_TAIL.match(rest):
        rest = ":1"
    if not math.isfinite(x) or (rest and not units.is_known(rest)):
        return None, ""
    return x, rest


def parse_number(text: str) -> float | None:
    """The number of a cell (see `split_value`, which also returns the unit written after it)."""
    return split_value(text)[0]


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


@dataclass(frozen=True)
class Plausible:
    """The values a published figure can take: low ≤ x ≤ high (low < x when `low_open`), in `unit`."""

    what: str  # names the rule in messages
    low: float = 0
    high: float = math.inf
    low_open: bool = False
    unit: str | None = None  # compare in this unit (same family); None: in the catalog unit

    def why_not(self, value: float, unit: str) -> str | None:
        x = units.convert(value, unit, self.unit) if self.unit is not None else value
        if (self.low < x if self.low_open else self.low <= x) and x <= self.high:
            return None
        shown = unit if self.unit is None else self.unit
        if self.high == math.inf:
            rule = f"应大于{self.low:g}" if self.low_open else f"不能小于{self.low:g}"
        else:
            rule = f"应在{self.low:g}–{self.high:g}{shown}之间"
        return f"{self.what}的值{rule}，实际为{x:g}{shown}"


# Plausibility is decided by what a figure measures — the catalog `kind` of its indicator and the family of
# its unit — never by indicator names, so a catalog entry added tomorrow is checked the same way. A value
# must pass both tables. Values are in the catalog unit (already converted) when checked.
PLAUSIBLE_BY_KIND: dict[str, Plausible] = {
    "share": Plausible("比重/比例类指标", 0, 100, unit="%"),  # a part of a whole: 0–100 %
    "level": Plausible("总量类指标"),  # an amount: never negative
    "count": Plausible("计数类指标"),
    "rate": Plausible("比率类指标"),
    "ratio": Plausible("比值类指标", low_open=True),  # 城乡收入比: a quotient of two positive amounts
}
PLAUSIBLE_BY_UNIT_FAMILY: dict[str, Plausible] = {
    "age": Plausible("以“岁”计的年龄", 0, 130),  # nobody (and no average) is older than 130
}


def check_value(ind: Indicator, value: float, unit: str) -> str | None:
    """Why `value` (in `unit`, the catalog unit) is implausible for this indicator, or None if it is fine."""
    rules = [PLAUSIBLE_BY_KIND.get(ind.kind), PLAUSIBLE_BY_UNIT_FAMILY.get(units.family(unit))]
    for rule in rules:
        if rule is None or (rule.unit is not None and not units.compatible(unit, rule.unit)):
            continue
        if why := rule.why_not(value, unit):
            return f"{ind.name}：{why}"
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
        return None, f"无法识别地区：{exc}"


def _indicator(code: str, text: str, catalog: Catalog) -> tuple[Indicator | None, str, str]:
    """(catalog indicator, vintage, qualifier note) of an indicator cell (`validate_rows` resolves each
    distinct cell once: a file repeats a few hundred indicator names over its rows)."""
    base, vintage, qualifier_note = split_qualifiers(text)
    ind = catalog.get(code) if code in catalog else None
    return (
        ind or resolve_indicator(base, catalog) or resolve_indicator(text, catalog),
        vintage,
        qualifier_note,
    )


def _one_row(
    raw: RawRow, file: str, catalog_of, resolve: RegionResolver, this_year: int, problems: list[Problem]
):
    before = len(problems)
    # the wide layout reads values from year columns: say which one
    under = f"（{raw.value_column}列）" if raw.value_column else ""

    def bad(code: str, message: str, column: str) -> None:
        problems.append(Problem(code, message, raw.row, column))

    region, why = _region(raw, resolve)
    if why:
        bad("unknown_region", why, "region")
    if foreign_scheme(raw.source_url):  # javascript:, data: …; a plain description stays text
        bad(
            "bad_url",
            f"来源链接只接受 http:// 或 https:// 网址：{clean_text(raw.source_url, 60)}",
            "source_url",
        )
    ind, vintage, qualifier_note = catalog_of(raw.indicator_code, raw.indicator)
    if ind is None:
        bad("unknown_indicator", f"指标“{raw.indicator}”不在指标库中", "indicator")
    value, cell_unit = split_value(raw.value)
    if value is None:
        if raw.value.strip().startswith("="):
            why = f"公式“{raw.value.strip()}”没有计算结果（文件保存时未经Excel计算），请在Excel中打开并保存后再导入"
        else:
            why = f"数值“{raw.value}”不是数字"
        bad("bad_number", why + under, "value")
    year = parse_year(raw.year)
    if year is None:
        bad("bad_year", f"年份“{raw.year}”无效（应为1900–2100年间的四位年份）", "year")
    elif year > this_year:
        bad(
            "bad_year", f"年份“{raw.year}”是未来的年份（今年是{this_year}年），观测数据只能是已发生的", "year"
        )
    unit_text = raw.unit.strip()
    if not units.is_known(unit_text):
        bad("unknown_unit", f"未知单位“{unit_text}”", "unit")
        unit_text = None
    elif cell_unit and unit_text == "" and not _RATIO_TAIL.match(cell_unit):
        unit_text = cell_unit  # "72.7%" under an empty unit column: the cell says the unit
    elif cell_unit and units.normalise_unit(cell_unit) != units.normalise_unit(unit_text):
        shown = f"“{unit_text}”" if unit_text else "为空（比值）"
        bad("unit_conflict", f"数值“{raw.value}”自带单位“{cell_unit}”，与单位列{shown}不一致{under}", "value")
    if unit_text is not None and ind is not None and not units.compatible(unit_text, ind.unit):
        bad("incompatible_unit", f"单位“{unit_text}”无法换算为{ind.name}的单位“{ind.unit}”", "unit")
    missing = ind is None or value is None or year is None or region is None or unit_text is None
    if len(problems) > before or missing:
        return None
    converted = units.convert(value, unit_text, ind.unit)
    why = check_value(ind, converted, ind.unit)
    if why:
        bad("impossible_value", why + under, "value")
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
        source_url=raw.source_url.strip()
        or raw.source.strip(),  # 来源 text stays text: shown as a link only if web_url
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


# A value cell that is a plain ASCII decimal: `float()` reads it exactly as `split_value` does, with no unit.
_PLAIN = re.compile(r"[+-]?\d+(?:\.\d*)?")


class RowValidator:
    """Validates rows chunk by chunk with caches that live across chunks: a file repeats a few thousand
    regions, indicators, years and units over its rows, so each distinct cell text is decided once."""

    def __init__(
        self, *, file: str, catalog: Catalog, resolve_region: RegionResolver, this_year: int | None = None
    ):
        self.file = file
        self.year = this_year or clock.today().year
        self.resolve = functools.lru_cache(maxsize=65536)(resolve_region)  # a region repeats over its rows
        self.catalog_of = functools.lru_cache(maxsize=65536)(
            lambda code, text: _indicator(code, text, catalog)
        )
        # what each distinct cell text was found to be (None: not good, the full path words why)
        self._regions: dict[tuple[str, str], str | None] = {}
        self._years: dict[str, int | None] = {}
        self._unit_ok: dict[tuple[str, str], bool] = {}
        self._urls: dict[str, bool] = {}
        self._bounds: dict[str, tuple[float, float, bool] | None] = {}

    def validate(self, rows: list[RawRow]) -> tuple[list[ObservationDraft], list[Problem]]:
        """Drafts for the good rows and the problems of the bad ones (no duplicate merge)."""
        values, problems = self.validate_cells(
            [(r.row, (r.indicator, r.value, r.unit, r.year, r.region, r.region_code, r.period, r.source,
                      r.source_url, r.source_quote, r.note, r.indicator_code, r.value_column)) for r in rows]
        )  # fmt: skip
        return [draft_of(t) for t in values], problems

    def validate_cells(
        self, rows: list[tuple[int, tuple[str, ...]]], default_unit: str | None = None
    ) -> tuple[list[tuple], list[Problem]]:
        """The good rows as `DRAFT_FIELDS` tuples and the problems of the bad ones (no duplicate merge). Each
        row is (row number, its cells in RawRow's field order after `row`); an empty unit cell reads
        `default_unit` (the table's 单位 line) when there is one.

        A row takes the fast path when its region, link, indicator, year and unit are each good (each
        decided once per distinct cell text and kept) and its value is a plain number; any other row takes
        the full path (`_one_row`), which words its problems. Both give the same draft for the same row."""
        problems: list[Problem] = []
        out: list[tuple] = []
        regions, years, unit_ok, urls, bounds_of = (
            self._regions,
            self._years,
            self._unit_ok,
            self._urls,
            self._bounds,
        )
        plain, file, catalog_of, this_year = _PLAIN.fullmatch, self.file, self.catalog_of, self.year
        for n, cells in rows:
            (indicator, value_text, unit, year_text, region_name, region_code, period, source, source_url,
             quote, note, indicator_code, _value_column) = cells  # fmt: skip
            if default_unit and not unit:
                unit = default_unit
            rkey = (region_code, region_name)
            region = regions.get(rkey, _UNSEEN)
            if region is _UNSEEN:
                code, why = _region(RawRow(n, "", "", "", "", region_name, region_code), self.resolve)
                region = regions[rkey] = None if why else code
            year = years.get(year_text, _UNSEEN)
            if year is _UNSEEN:
                y = parse_year(year_text)
                year = years[year_text] = y if y is not None and y <= this_year else None
            url_ok = urls.get(source_url)
            if url_ok is None:
                url_ok = urls[source_url] = not foreign_scheme(source_url)
            ind, vintage, qualifier_note = catalog_of(indicator_code, indicator)
            if region is not None and year is not None and url_ok and ind is not None and plain(value_text):
                unit = unit.strip()
                ukey = (unit, ind.unit)
                ok = unit_ok.get(ukey)
                if ok is None:
                    ok = unit_ok[ukey] = units.is_known(unit) and units.compatible(unit, ind.unit)
                if ok:
                    value = float(value_text)
                    converted = value if unit == ind.unit else units.convert(value, unit, ind.unit)
                    bounds = bounds_of.get(ind.code, _UNSEEN)
                    if bounds is _UNSEEN:
                        bounds = bounds_of[ind.code] = _bounds(ind)
                    if (
                        (bounds[0] < converted if bounds[2] else bounds[0] <= converted)
                        and converted <= bounds[1]
                        if bounds is not None
                        else check_value(ind, converted, ind.unit) is None
                    ):
                        if note:
                            note = note.strip()
                        if qualifier_note:
                            note = "; ".join(x for x in (qualifier_note, note) if x)
                        out.append(
                            (ind.code, region, year, period.strip() if period else "", converted, ind.unit,
                             value, unit, vintage, note, file, n, quote.strip() or value_text,
                             source_url.strip() or source.strip())
                        )  # fmt: skip
                        continue
            raw = RawRow(n, *cells)
            if default_unit:
                raw.unit = raw.unit or default_unit
            if d := _one_row(raw, file, catalog_of, self.resolve, this_year, problems):
                out.append(draft_tuple(d))
        return out, problems


# The fields of a draft as the store takes them, in this order (`draft_tuple`, `draft_of`).
DRAFT_FIELDS = ("indicator_code", "region_code", "year", "period", "value", "unit", "original_value",
                "original_unit", "vintage", "note", "source", "source_row", "source_text", "source_url")  # fmt: skip


def draft_tuple(d: ObservationDraft) -> tuple:
    return (d.indicator, d.region, d.year, d.period, d.value, d.unit, d.original_value, d.original_unit,
            d.vintage, d.note, d.source, d.source_row, d.source_text, d.source_url)  # fmt: skip


def draft_of(t: tuple) -> ObservationDraft:
    (indicator, region, year, period, value, unit, original_value, original_unit, vintage, note, source,
     source_row, source_text, source_url) = t  # fmt: skip
    return ObservationDraft(
        indicator=indicator, region=region, year=year, value=value, unit=unit, source=source,
        source_row=source_row, source_text=source_text, period=period, original_value=original_value,
        original_unit=original_unit, source_url=source_url, vintage=vintage, note=note,
    )  # fmt: skip


_UNSEEN = object()


def _bounds(ind: Indicator) -> tuple[float, float, bool] | None:
    """(low, high, low open) that `check_value` accepts for this indicator's values in its catalog unit, when
    its rules compare in that unit; None when a rule converts first (then `check_value` decides each row)."""
    low, high, low_open = -math.inf, math.inf, False
    for rule in (PLAUSIBLE_BY_KIND.get(ind.kind), PLAUSIBLE_BY_UNIT_FAMILY.get(units.family(ind.unit))):
        if rule is None or (rule.unit is not None and not units.compatible(ind.unit, rule.unit)):
            continue
        if rule.unit is not None and units.normalise_unit(rule.unit) != units.normalise_unit(ind.unit):
            return None
        if rule.low > low or (rule.low == low and rule.low_open):
            low, low_open = rule.low, rule.low_open
        high = min(high, rule.high)
    return low, high, low_open


def validate_rows(
    rows: list[RawRow],
    *,
    file: str,
    catalog: Catalog,
    resolve_region: RegionResolver,
    this_year: int | None = None,
) -> tuple[list[ObservationDraft], list[Problem]]:
    """Drafts for every good row and the problems of every bad one (the caller decides all-or-nothing).

    A year after `this_year` (default: today's) is a `bad_year`: an observation cannot come from the future."""
    v = RowValidator(file=file, catalog=catalog, resolve_region=resolve_region, this_year=this_year)
    drafts, problems = v.validate(rows)
    drafts, dup = merge_duplicates(drafts)
    return drafts, problems + dup
