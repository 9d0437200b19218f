"""The report as a Word document in the GB/T 9704-2012 layout (`gongfu.documents.official`): 2号小标宋
title, 3号仿宋 body, chapter headings 一、 in 黑体, gridded tables with a repeating header row and warning
colours, charts across the type area, the sources as an 附件 on its own pages, 落款 and 成文日期, and
page numbers "— 1 —" on the outer side."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from gongfu.documents.issuer import office_name
from gongfu.documents.official import OfficialDocument, font_notes
from gongfu.labels import COLOUR_FILL
from gongfu.reports import fmt
from gongfu.reports.data import ReportData
from gongfu.reports.outline import APPENDIX, Section, Table, outline

FILL = COLOUR_FILL
WIDE = 7  # tables with more columns are set in 小五 (9 pt) rather than 五号 (10.5 pt)


def _table(doc: OfficialDocument, t: Table) -> None:
    doc.caption(t.caption)
    fills = []
    for colour in t.colours or [None] * len(t.rows):
        fills.append({t.colour_col: FILL[colour]} if t.colour_col is not None and colour in FILL else {})
    doc.table(t.header, t.rows, fills=fills, size=9 if len(t.header) > WIDE else 10.5)


def _section(doc: OfficialDocument, s: Section, charts: dict[str, bytes]) -> None:
    if s.heading == APPENDIX:  # 附件: a new page, 附件 in 黑体 flush left, then its title
        doc.page_break()
        doc.label("附件")
        doc.title(s.heading, outline=True)
    else:
        doc.heading(1, s.heading)
    for text in s.paragraphs:
        doc.paragraph(text)
    for t in s.tables:
        _table(doc, t)
    for f in s.figures:
        doc.picture(charts[f.key])
        doc.caption(f.caption, above=False)


def write_docx(data: ReportData, charts: dict[str, bytes], out: Path) -> Path:
    """Write the report (`report_notes` says which faces this machine substituted)."""
    doc = OfficialDocument(title=data.title)
    doc.title(data.title)
    doc.subtitle(f"（{data.full_name}　{fmt.as_of_text(data)}）")
    doc.blank()
    sections = outline(data, charts)
    body = [s for s in sections if s.heading != APPENDIX]
    for s in body:
        _section(doc, s, charts)
    doc.signature(office_name(data.region_name), date.fromisoformat(data.generated_on[:10]))
    for s in sections:
        if s.heading == APPENDIX:
            _section(doc, s, charts)
    doc.save(out)
    return out


report_notes = font_notes
