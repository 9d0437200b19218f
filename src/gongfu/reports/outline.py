"""The report as an outline of sections (heading, paragraphs, tables, figures) in Chinese text.

docx and html render the same outline, so the two cannot drift; the tests read it back from both.
Every data table ends in a 来源 column whose references (方案…, P…, S…, 表…) the appendix resolves.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gongfu.reports import fmt, provenance
from gongfu.reports.data import COLOUR_ZH, COLOURS, ReportData

APPENDIX = "附录　数据来源"


@dataclass
class Table:
    caption: str
    header: list[str]
    rows: list[list[str]]
    colours: list[str | None] = field(default_factory=list)  # per row, the warning colour if any
    colour_col: int | None = None  # the column tinted with the row's colour
    source_col: int | None = None  # the 来源 column, None in the appendix (its rows are the sources)


@dataclass
class Figure:
    key: str  # in charts.render_all's mapping
    caption: str


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)


def _table(caption: str, columns: list, records: list[dict]) -> Table:
    header = [h for h, _ in columns]
    return Table(
        caption,
        header,
        [fmt.cells(columns, r) for r in records],
        [r["colour"] for r in records],
        header.index("预警") if "预警" in header else None,
        header.index("来源"),
    )


def _summary(data: ReportData, n: int, chapter_tables: dict[str, str]) -> Section:
    s = Section(f"{fmt.chinese_number(n)}、总体评价")
    s.paragraphs.append(fmt.summary_text(data))
    s.paragraphs.append(fmt.composite_text(data))
    if data.top_lagging:
        s.paragraphs.append("最为滞后的三项指标：")
        s.paragraphs += [f"{i}. {fmt.lagging_text(r)}" for i, r in enumerate(data.top_lagging, 1)]
    else:
        s.paragraphs.append("没有处于红、橙、黄色预警的可评价指标。")
    rows, colours = [], []
    for ch in data.chapters:
        counts = {k: sum(1 for r in ch.records if r["colour"] == k) for k in COLOURS}
        att = [r["attainment"] for r in ch.records if r.get("attainment") is not None]
        score = data.composite.dimensions.get(ch.dimension)
        rows.append(
            [ch.dimension, str(len(ch.records))]
            + [str(counts[k]) for k in COLOURS]
            + [fmt.pct(sum(att) / len(att)) if att else "—", fmt.num(score), chapter_tables[ch.dimension]]
        )
        colours.append(None)
    header = ["维度", "目标数"] + [f"{COLOUR_ZH[k]}色" for k in COLOURS] + ["平均实现度", "维度得分", "来源"]
    s.tables.append(Table("表1　各维度评价概况", header, rows, colours, None, len(header) - 1))
    s.figures.append(Figure("summary", "图1　目标预警分布"))
    return s


def _chapter(data: ReportData, i: int, n: int, table_no: int) -> Section:
    ch = data.chapters[i - 1]
    s = Section(f"{fmt.chinese_number(n)}、{ch.dimension}")
    counts = {k: sum(1 for r in ch.records if r["colour"] == k) for k in COLOURS}
    s.paragraphs.append(f"本维度共{len(ch.records)}项目标，{fmt.counts_text(counts)}。")
    s.tables.append(_table(f"表{table_no}　{ch.dimension}目标监测评价", fmt.TARGET_COLUMNS, ch.records))
    s.figures.append(Figure(f"trend-{i}", f"图{table_no}-1　{ch.dimension}：实际值与预期轨迹"))
    s.figures.append(Figure(f"attainment-{i}", f"图{table_no}-2　{ch.dimension}：实现度与时序进度"))
    return s


def _lagging(data: ReportData, n: int, table_no: int) -> Section:
    s = Section(f"{fmt.chinese_number(n)}、滞后指标分析")
    if not data.lagging:
        s.paragraphs.append("没有处于红、橙、黄色预警的可评价指标。")
        return s
    s.paragraphs.append(
        f"共{len(data.lagging)}项指标进度滞后。下表将实现目标现在所需的年均增速与基期以来的历史年均增速对照，"
        "所需增速明显高于历史增速的指标需加大工作力度。"
    )
    s.tables.append(_table(f"表{table_no}　滞后指标所需增速与历史增速", fmt.LAGGING_COLUMNS, data.lagging))
    return s


def _distribution(data: ReportData, n: int, table_no: int) -> Section:
    s = Section(f"{fmt.chinese_number(n)}、收入分配格局")
    if not data.measures:
        s.paragraphs.append("暂无已计算的收入分配测度（基尼系数、泰尔指数、收入份额等）。")
        return s
    s.paragraphs.append("以下为最近年份已计算并入库的收入分配测度。")
    rows = [[m.name, str(m.year), fmt.num(m.value), m.unit or "—", m.ref] for m in data.measures]
    header = ["测度", "年份", "数值", "单位", "来源"]
    s.tables.append(Table(f"表{table_no}　收入分配测度", header, rows, [None] * len(rows), None, 4))
    return s


TIMELINESS_APPENDIX = "附表4"


def _timeliness(data: ReportData, n: int, table_no: int) -> Section:
    """Issue 16: per responsible unit, reports on time / late / missing and the rates (DHIS2 style)."""
    s = Section(f"{fmt.chinese_number(n)}、数据报送及时率与完整率")
    t = data.timeliness
    if not t["reports"]:
        s.paragraphs.append(
            f"{data.region_name}{data.year}年度尚未下达数据需求，暂无数据报送及时率与完整率。"
        )
        return s
    units = t["units"]
    total = {k: sum(u[k] for u in units) for k in ("expected", "on_time", "late", "missing", "pending")}
    n_exp = total["expected"]
    s.paragraphs.append(
        f"截至{fmt.date_zh(t['as_of'])}，{len(units)}个责任单位已到报送截止日的应报{n_exp}期次中，"
        f"按时报送{total['on_time']}期次、迟报{total['late']}期次、未报{total['missing']}期次，"
        f"完整率{fmt.pct((total['on_time'] + total['late']) / n_exp if n_exp else None)}、"
        f"及时率{fmt.pct(total['on_time'] / n_exp if n_exp else None)}；"
        f"尚未到截止日的{total['pending']}期次不计入。逐期明细见{TIMELINESS_APPENDIX}。"
    )
    header = ["地区", "责任单位", "应报", "按时", "迟报", "未报", "未到期", "完整率", "及时率", "来源"]
    rows = [
        [u["region_name"], u["unit"]]
        + [str(u[k]) for k in ("expected", "on_time", "late", "missing", "pending")]
        + [fmt.pct(u["completeness"]), fmt.pct(u["timeliness"]), TIMELINESS_APPENDIX]
        for u in units
    ]
    s.tables.append(
        Table(
            f"表{table_no}　各责任单位数据报送情况", header, rows, [None] * len(rows), None, len(header) - 1
        )
    )
    return s


def _children(data: ReportData, n: int, table_no: int) -> Section:
    s = Section(f"{fmt.chinese_number(n)}、下辖地区比较")
    kids = [c for c in data.children or [] if c.targets]
    missing = [c.region_name for c in data.children or [] if not c.targets]
    s.paragraphs.append(f"下辖{len(data.children or [])}个地区中，{len(kids)}个已录入行动方案目标。")
    if missing:
        s.paragraphs.append("尚未录入行动方案的地区：" + "、".join(missing) + "。")
    if data.child_composite_note:
        s.paragraphs.append(data.child_composite_note)
    header = (
        ["地区", "目标数"]
        + [f"{COLOUR_ZH[k]}色" for k in COLOURS]
        + ["平均实现度", "综合指数", "排名", "来源"]
    )
    rows = [
        [c.region_name, str(c.targets)]
        + [str(c.counts.get(k, 0)) for k in COLOURS]
        + [fmt.pct(c.mean_attainment), fmt.num(c.index), str(c.rank or "—"), "、".join(c.refs)]
        for c in kids
    ]
    s.tables.append(
        Table(f"表{table_no}　下辖地区评价比较", header, rows, [None] * len(rows), None, len(header) - 1)
    )
    s.paragraphs.append(
        "各地区逐项目标的评价明细（含方案原文与最新数据的来源文件和行）见 xlsx 版报告“下辖地区目标”表。"
    )
    s.figures.append(Figure("children", f"图{table_no}　下辖地区目标预警分布"))
    return s


def _appendix(data: ReportData) -> Section:
    s = Section(APPENDIX)
    s.paragraphs.append("报告中每个数字均可由下列编号追溯到方案原文或统计数据文件的具体行。")
    s.tables.append(
        Table(
            "附表1　行动方案",
            ["编号", "方案", "地区", "期限", "文件"],
            [[p.ref, p.title, p.region_name, p.period, p.file_name] for p in data.plans],
        )
    )
    s.tables.append(
        Table(
            "附表2　方案原文",
            ["编号", "方案", "地区", "指标", "原文"],
            [[p.ref, p.plan_ref, p.region_name, p.indicator, p.sentence] for p in data.sentences],
        )
    )
    s.tables.append(
        Table(
            "附表3　统计数据",
            ["编号", "地区", "指标", "年份", "数值", "来源（文件·行·口径）", "原文及链接"],
            [
                [o.ref, o.region_name, o.indicator_name, str(o.year), fmt.with_unit(fmt.num(o.value), o.unit),
                 provenance.where(o), provenance.quote_and_link(o)]
                for o in data.stats
            ],
        )
    )  # fmt: skip
    if data.timeliness["reports"]:
        s.tables.append(
            Table(
                f"{TIMELINESS_APPENDIX}　数据报送明细",
                ["编号", "地区", "责任单位", "指标", "报告期", "截止日", "首次报送", "状态"],
                [
                    [f"R{i}", r["region_name"], r["unit"], "、".join(r["indicators"]), r["period_label"],
                     fmt.date_zh(r["due"]), fmt.date_zh(r["submitted_on"]), r["status_zh"]]
                    for i, r in enumerate(data.timeliness["reports"], 1)
                ],
            )
        )  # fmt: skip
    return s


def outline(data: ReportData, charts: dict[str, bytes]) -> list[Section]:
    """The report's sections in order; figures whose chart is missing (nothing to draw) are left out."""
    n_ch = len(data.chapters)
    tables = {ch.dimension: f"表{i + 2}" for i, ch in enumerate(data.chapters)}
    sections = [_summary(data, 1, tables)]
    sections += [_chapter(data, i, i + 1, i + 1) for i in range(1, n_ch + 1)]
    n = n_ch + 2
    sections.append(_lagging(data, n, n))
    sections.append(_distribution(data, n + 1, n + 1))
    sections.append(_timeliness(data, n + 2, n + 2))
    if data.children is not None:
        sections.append(_children(data, n + 3, n + 3))
    sections.append(_appendix(data))
    for s in sections:
        s.figures = [f for f in s.figures if f.key in charts]
    return sections
