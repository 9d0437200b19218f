"""The report as a Word document (python-docx): A4, cover page, 黑体 headings, 宋体 body, gridded tables
with a repeating header row, warning colours shaded, charts as pictures, page numbers in the footer."""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from gongfu.labels import COLOUR_FILL
from gongfu.reports import fmt
from gongfu.reports.data import ReportData
from gongfu.reports.outline import Section, Table, outline

BODY_FONT, HEADING_FONT, LATIN_FONT = "宋体", "黑体", "Times New Roman"
FILL = COLOUR_FILL
HEADER_FILL = "DDE8F3"


def _fonts(style_or_run, east_asian: str, size: float | None = None, bold: bool | None = None) -> None:
    font = style_or_run.font
    font.name = LATIN_FONT
    if size:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    rpr = style_or_run.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.append(rfonts)
    rfonts.set(qn("w:eastAsia"), east_asian)


def _styles(doc) -> None:
    _fonts(doc.styles["Normal"], BODY_FONT, 11)
    doc.styles["Normal"].paragraph_format.line_spacing = 1.4
    for name, size in (("Heading 1", 16), ("Heading 2", 13), ("Title", 24)):
        st = doc.styles[name]
        _fonts(st, HEADING_FONT, size, bold=True)
        st.font.color.rgb = RGBColor(0, 0, 0)
    doc.styles["Heading 1"].paragraph_format.space_before = Pt(12)
    _fonts(doc.styles["Caption"], HEADING_FONT, 10, bold=True)
    doc.styles["Caption"].font.color.rgb = RGBColor(0, 0, 0)


def _page(doc) -> None:
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(2.2)
    sec.top_margin, sec.bottom_margin = Cm(2.5), Cm(2.2)


def _page_numbers(section) -> None:
    section.different_first_page_header_footer = True
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run()
    for tag, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if tag:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), tag)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def _shade(cell, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _repeat_header(row) -> None:
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


def _cell_text(cell, text: str, *, bold: bool = False) -> None:
    p = cell.paragraphs[0]
    p.paragraph_format.line_spacing = 1.0
    run = p.add_run(text)
    run.font.size = Pt(8)
    run.font.bold = bold


def _table(doc, t: Table) -> None:
    doc.add_paragraph(t.caption, style="Caption").alignment = WD_ALIGN_PARAGRAPH.CENTER
    table = doc.add_table(rows=1, cols=len(t.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, h in zip(table.rows[0].cells, t.header, strict=True):
        _cell_text(cell, h, bold=True)
        _shade(cell, HEADER_FILL)
    _repeat_header(table.rows[0])
    colours = t.colours or [None] * len(t.rows)
    for row, colour in zip(t.rows, colours, strict=True):
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            _cell_text(cell, text)
        if t.colour_col is not None and colour in FILL:
            _shade(cells[t.colour_col], FILL[colour])
    doc.add_paragraph()


def _cover(doc, data: ReportData) -> None:
    for _ in range(6):
        doc.add_paragraph()
    title = doc.add_paragraph(data.title, style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in (
        f"{data.full_name}（行政区划代码 {data.region}）",
        fmt.as_of_text(data),
        f"生成日期：{fmt.date_zh(data.generated_on)}",
    ):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _fonts(p.add_run(line), BODY_FONT, 14)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _section(doc, s: Section, charts: dict[str, bytes], first: bool) -> None:
    if not first:
        doc.add_page_break()
    doc.add_heading(s.heading, level=1)
    for text in s.paragraphs:
        p = doc.add_paragraph(text)
        p.paragraph_format.first_line_indent = Pt(22)
    for t in s.tables:
        _table(doc, t)
    for f in s.figures:
        doc.add_picture(io.BytesIO(charts[f.key]), width=Cm(16))
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        doc.add_paragraph(f.caption, style="Caption").alignment = WD_ALIGN_PARAGRAPH.CENTER


def write_docx(data: ReportData, charts: dict[str, bytes], out: Path) -> Path:
    doc = Document()
    _styles(doc)
    _page(doc)
    doc.core_properties.title = data.title
    doc.core_properties.language = "zh-CN"
    _cover(doc, data)
    for i, s in enumerate(outline(data, charts)):
        _section(doc, s, charts, first=i == 0)
    _page_numbers(doc.sections[0])
    doc.save(out)
    return out
