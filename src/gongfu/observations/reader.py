"""Read an observation file (CSV or XLSX, long or wide yearbook layout) into `ObservationDraft`s.

The import is all-or-nothing: `read_observations` returns every draft or raises `ValidationFailed`
listing ALL problems (file, row, column, code); it never returns a partial list.

**Long layout** (one figure per row), header in row 1, English or Chinese headers:
region/地区, region_code/区划代码 (either or both), indicator/指标, value/数值/值, unit/单位, year/年份,
optional period/期间, source/来源, source_url/来源链接, source_quote/原文, note/备注.

**Wide yearbook layout**: first column 指标 (or indicator), then year columns ("2019", "2020年" …),
optionally a 单位 column. The region is not in the table, so a **mapping file** is required:

TOML::

    region = "台州市"              # name or GB/T 2260 code (required)
    unit = "亿元"                  # default unit for rows without a 单位 cell (optional)
    source_url = "https://…"      # optional, copied to every draft
    [indicators]                  # optional per-row overrides, keyed by the row label as written
    "全市生产总值" = "gdp"
    "城乡收入比" = { code = "urban_rural_income_ratio", unit = "" }

CSV (header ``label,indicator,unit``): a row labelled ``@region`` gives the region in its indicator cell,
``@unit`` the default unit; every other row maps a row label to a code and optionally a unit.

Files are read by `gongfu.tabular` (the one table reader): any Chinese encoding (charset-normalizer;
`ImportResult.encoding` says which), title rows above the header, a `单位：万元` line (the table's unit,
used where a row has no 单位 cell and the mapping names none), merged header cells, and formula cells that
were never calculated (saved by a program, not by Excel) read as their formula text and reported as a
`bad_number`, never dropped. A file that cannot be opened is an `InputError` naming it. Rows are numbered
as a spreadsheet user counts them.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

from gongfu import progress, tabular
from gongfu.catalog import Catalog, load_catalog
from gongfu.errors import InputError, Problem, ValidationFailed
from gongfu.model import ObservationDraft
from gongfu.observations.validate import RawRow, RegionResolver, RowValidator, draft_tuple, validate_rows
from gongfu.tabular import Column, Grid, Schema, Table, decode, locate
from gongfu.tabular.grid import CSV
from gongfu.tabular.table import HEADER_SEARCH, is_note
from gongfu.text import to_simplified

__all__ = [
    "ImportResult",
    "read_observations",
    "read_observations_result",
    "read_table",
    "stream_observations",
]

_HEADERS: dict[str, tuple[str, ...]] = {
    "region": ("region", "地区", "地区名称", "区域", "行政区划", "行政区"),
    "region_code": ("region_code", "区划代码", "行政区划代码", "地区代码", "代码"),
    "indicator": ("indicator", "指标", "指标名称", "项目"),
    "value": ("value", "数值", "值", "指标值", "数据"),
    "unit": ("unit", "单位", "计量单位"),
    "year": ("year", "年份", "年度", "年"),
    "period": ("period", "期间", "时期"),
    "source": ("source", "来源", "数据来源"),
    "source_url": ("source_url", "来源链接", "链接", "url", "网址"),
    "source_quote": ("source_quote", "原文", "引文", "原文摘录"),
    "note": ("note", "备注", "说明"),
}
# The columns in the order of RawRow's fields after `row`.
_RAW_ORDER = ("indicator", "value", "unit", "year", "region", "region_code", "period", "source", "source_url",
              "source_quote", "note")  # fmt: skip
_YEAR_HEADER = re.compile(r"^(\d{4})\s*年?$")
SCHEMA = Schema(tuple(Column(canon, names) for canon, names in _HEADERS.items()), years=True)
# How problems name a column: the first Chinese header we accept for it.
COLUMN_LABELS: dict[str, str] = {canon: names[1] for canon, names in _HEADERS.items()}


@dataclass
class ImportResult:
    """A successful import: the drafts, and how the file was read."""

    drafts: list[ObservationDraft]
    encoding: str
    layout: str  # "long" | "wide"
    merged: list[str] = field(default_factory=list)  # notes of rows merged as identical duplicates


def read_table(path: Path) -> Table:
    """The observation table of a CSV or XLSX file (header found below any title and 单位 lines)."""
    return tabular.read_table(Path(path), SCHEMA)


def _columns(header: list[str]) -> dict[str, int]:
    """Canonical column name → index, for the headers we recognise."""
    return SCHEMA.match(header)


def _long_rows(table: Table) -> tuple[list[RawRow], list[Problem]]:
    cols = _columns(table.header)
    needed = ("indicator", "value", "year") if table.unit else ("indicator", "value", "unit", "year")
    missing = [c for c in needed if c not in cols]
    if "region" not in cols and "region_code" not in cols:
        missing.insert(0, "region")
    if missing:
        return [], [Problem("missing_column", f"缺少“{COLUMN_LABELS[c]}”列（{c}）", 1, c) for c in missing]

    # Cells by position in RawRow's field order; a missing column reads the "" appended to every row (-1).
    width = max(cols.values()) + 1
    pick = itemgetter(*(cols.get(name, -1) for name in _RAW_ORDER))
    rows = []
    for n, cells in table.rows:
        # the reader's own list, padded in place: a short row's missing cells and the "" for absent columns
        cells.extend([""] * (max(0, width - len(cells)) + 1))
        rows.append(RawRow(n, *pick(cells)))
    if table.unit:  # the table's 单位 line stands for an empty 单位 cell
        for r in rows:
            r.unit = r.unit or table.unit
    return rows, []


def _chunks(items: Iterator, size: int) -> Iterator[list]:
    """Lists of up to `size` items, in order."""
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _drain(items: list):
    """The items in order, each let go of by the list as it is taken (so what is built from them does not
    double the memory of a large file)."""
    items.reverse()
    while items:
        yield items.pop()


@dataclass
class Mapping:
    """What a wide-layout mapping file says."""

    region: str = ""
    unit: str | None = None
    source_url: str = ""
    indicators: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # label -> (code, unit)


def read_mapping(path: Path) -> Mapping:
    """Read a TOML or CSV mapping file (format in the module docstring)."""
    if not path.is_file():
        raise InputError("映射文件不存在", file=str(path))
    m = Mapping()
    if path.suffix.lower() == ".toml":
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InputError(f"映射文件格式错误: {exc}", file=path.name) from exc
        m.region = str(data.get("region", ""))
        m.unit = data.get("unit")
        m.source_url = str(data.get("source_url", ""))
        for label, v in (data.get("indicators") or {}).items():
            if isinstance(v, dict):
                m.indicators[to_simplified(label).strip()] = (str(v.get("code", "")), v.get("unit"))
            else:
                m.indicators[to_simplified(label).strip()] = (str(v), None)
        return m
    table = tabular.read_table(path)
    head = [to_simplified(h).strip().lower() for h in table.header]
    if head[:2] != ["label", "indicator"]:
        raise InputError("CSV映射文件的表头应为 label,indicator,unit", file=path.name, row=1)
    for _, cells in table.rows:
        cells = [*cells, "", ""]
        label, code, unit = to_simplified(cells[0]).strip(), cells[1].strip(), cells[2].strip()
        if label == "@region":
            m.region = code
        elif label == "@unit":
            m.unit = code
        elif label:
            m.indicators[label] = (code, unit if len(table.header) > 2 and unit != "" else None)
    return m


def _wide_rows(table: Table, mapping: Mapping | None) -> tuple[list[RawRow], list[Problem]]:
    if mapping is None or not mapping.region:
        return [], [
            Problem("missing_column", "宽表（年份为列）没有“地区”列，需要映射文件指定 region", 1, "region")
        ]
    cols = _columns(table.header)
    unit_col = cols.get("unit")
    years = [
        (i, m.group(1), h) for i, h in enumerate(table.header) if (m := _YEAR_HEADER.match(to_simplified(h)))
    ]
    rows: list[RawRow] = []
    problems: list[Problem] = []
    for n, cells in table.rows:
        label = to_simplified(cells[0]).strip() if cells else ""
        code, unit_override = mapping.indicators.get(label, ("", None))
        # Unit: the mapping's per-row override, else the 单位 cell, else the mapping's default unit.
        unit = unit_override
        if unit is None:
            unit = cells[unit_col] if unit_col is not None and unit_col < len(cells) else ""
            if unit == "":
                unit = mapping.unit or table.unit or ""
        for i, year, header in years:
            value = cells[i] if i < len(cells) else ""
            if value == "":
                continue  # a yearbook leaves years without data blank
            region = mapping.region
            rows.append(
                RawRow(
                    row=n, indicator=label, value=value, unit=unit, year=year,
                    region="" if region.isdigit() else region, region_code=region if region.isdigit() else "",
                    source_url=mapping.source_url, indicator_code=code, value_column=header,
                )
            )  # fmt: skip
    return rows, problems


_LEVEL_SUFFIX = re.compile(r"(省|自治区|市|自治州|地区|盟|县|自治县|旗|区|镇|乡|街道)$")


def _default_resolver() -> RegionResolver:
    from gongfu.regions import load

    registry = load()
    return lambda text: registry.resolve(text, prefer="330000").code


def read_observations_result(
    path: Path,
    *,
    mapping: Path | None = None,
    catalog: Catalog | None = None,
    resolve_region: Callable[[str], str] | None = None,
) -> ImportResult:
    """Read and validate an observation file; ValidationFailed lists every problem, nothing is returned."""
    path = Path(path)
    table = read_table(path)
    rows, _ = _table_rows(path, table, mapping)
    is_wide = bool(rows) and rows[0].value_column != ""
    drafts, problems = validate_rows(
        rows,
        file=path.name,
        catalog=catalog or load_catalog(),
        resolve_region=resolve_region or _default_resolver(),
    )
    if problems:
        raise ValidationFailed(path.name, sorted(problems, key=lambda p: (p.row or 0, p.code)))
    merged = [d.note for d in drafts if "已合并" in d.note]
    return ImportResult(drafts, table.encoding, "wide" if is_wide else "long", merged)


def read_observations(path: Path, *, mapping: Path | None = None) -> list[ObservationDraft]:
    """Every observation of the file as drafts in catalog units, or ValidationFailed with all problems."""
    return read_observations_result(path, mapping=mapping).drafts


# Rows validated per chunk of a streamed CSV: memory stays bounded by the chunk, whatever the file's size.
CHUNK_ROWS = 50_000
# A CSV up to this size is read whole (title rows, any encoding, the wide layout); a larger one is streamed.
STREAM_FROM_BYTES = 2**20
_HEAD_BYTES = 2**18


def stream_observations(
    path: Path,
    *,
    mapping: Path | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> Iterator[tuple[list[tuple], list[Problem]]]:
    """The drafts (as `validate.DRAFT_FIELDS` tuples) and problems of an observation file, chunk by chunk
    (duplicates are NOT merged here: the store finds them set-wise over the whole file). A long-layout CSV
    larger than `STREAM_FROM_BYTES` is read `chunk_rows` rows at a time; any other file is read whole and
    given as one chunk. A missing column or an empty file raises ValidationFailed before any chunk."""
    path = Path(path)
    size = path.stat().st_size if path.is_file() else 0
    streamed = _csv_head(path, size) if path.suffix.lower() in CSV and size > STREAM_FROM_BYTES else None
    validator = RowValidator(file=path.name, catalog=load_catalog(), resolve_region=_default_resolver())
    if streamed is None:
        table = read_table(path)
        rows, problems = _table_rows(path, table, mapping)
        del table
        total, done = len(rows), 0
        # validated a chunk at a time, each row let go of as it is taken: the staged drafts go to the
        # database, so a large workbook is not held twice over in memory
        for chunk in _chunks(_drain(rows), chunk_rows):
            drafts, more = validator.validate(chunk)
            done += len(chunk)
            progress.report("checking", done, total)
            yield [draft_tuple(d) for d in drafts], problems + more
            problems = []
        if problems:
            yield [], problems
        return
    head, encoding = streamed
    _, problems = _long_rows(Table(head.header, [], unit=head.unit))
    if problems:
        raise ValidationFailed(path.name, problems)
    cols = _columns(head.header)
    width = max(cols.values()) + 1
    # cells in RawRow's field order (a missing column reads the "" appended to every row), no code, no column
    pick = itemgetter(*(cols.get(name, -1) for name in _RAW_ORDER), -1, -1)
    any_rows = False
    with path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, newline="")
        chunk: list[tuple[int, tuple[str, ...]]] = []
        strip = str.strip
        try:
            for n, cells in enumerate(csv.reader(text), start=1):
                if n <= head.header_row:
                    continue
                cells = list(map(strip, cells))
                if len(set(cells)) <= 2:  # an empty row or a closing note (注：…) is not data
                    filled = [c for c in cells if c]
                    if not filled or is_note(filled):
                        continue
                cells.extend([""] * (max(0, width - len(cells)) + 1))
                chunk.append((n, pick(cells)))
                if len(chunk) >= chunk_rows:
                    any_rows = True
                    yield validator.validate_cells(chunk, head.unit)
                    chunk = []
                    progress.report("checking", n - head.header_row, None)
        except (csv.Error, UnicodeDecodeError) as exc:
            raise InputError(f"CSV格式错误：{exc}", file=path.name) from None
        if not chunk and not any_rows:
            raise ValidationFailed(path.name, [Problem("empty_file", "文件没有数据行", None, None)])
        if chunk:
            yield validator.validate_cells(chunk, head.unit)
        progress.report("checking", n - head.header_row, n - head.header_row)


def _csv_head(path: Path, size: int) -> tuple[Table, str] | None:
    """(the table's head — header, its row, the 单位 line — and the encoding) of a long-layout CSV read
    from its first bytes, or None when the file should be read whole (UTF-16, the wide layout)."""
    with path.open("rb") as f:
        data = f.read(_HEAD_BYTES)
    data = data[: data.rfind(b"\n") + 1] or data
    text, encoding = decode(data, path.name)
    if encoding.startswith("utf-16"):
        return None
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    if delimiter != ",":
        return None
    lines = list(csv.reader(io.StringIO(text)))[: HEADER_SEARCH + 5]
    head = locate(Grid([(i, [c.strip() for c in r]) for i, r in enumerate(lines, start=1)], encoding), SCHEMA)
    cols = _columns(head.header)
    if "value" not in cols:  # the wide layout (or no header found): read whole
        return None
    return head, encoding


def _table_rows(path: Path, table: Table, mapping: Path | None) -> tuple[list[RawRow], list[Problem]]:
    """The raw rows of a table read whole, long or wide; ValidationFailed for a missing column or no rows."""
    cols = _columns(table.header)
    is_wide = "value" not in cols and any(_YEAR_HEADER.match(to_simplified(h)) for h in table.header)
    if is_wide:
        rows, problems = _wide_rows(table, read_mapping(Path(mapping)) if mapping else None)
    else:
        rows, problems = _long_rows(table)
    if not problems and not rows:
        problems = [Problem("empty_file", "文件没有数据行", None, None)]
    if problems:
        raise ValidationFailed(path.name, problems)
    return rows, problems
