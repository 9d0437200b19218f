"""The one Word style layer: documents in the layout of GB/T 9704-2012 《党政机关公文格式》.

- A4; type area 156 mm × 225 mm (top margin 37 mm, left 28 mm), 22 lines of 28 characters;
- body 3号 (16 pt) 仿宋_GB2312 at a fixed line pitch, first line indented two characters;
- title 2号 (22 pt) 小标宋, centred; headings by level: 一、黑体 · （一）楷体 · 1. 仿宋 bold · （1）仿宋;
- page numbers "— 1 —" in 4号 (14 pt) 宋体, 7 mm below the type area, odd pages right and even pages left,
  one character in from the edge;
- 发文机关标志 in red 小标宋 over a red rule, 文号, 主送机关, 落款 and 成文日期 (2026年12月1日).

Every Word output (the annual report, the 督办单) is built with `OfficialDocument`, so they cannot drift.
Faces missing on this machine are replaced by free ones of the same metrics (`gongfu.documents.fonts`);
`OfficialDocument.notes` says which.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from gongfu.documents import fonts
from gongfu.documents.dates import date_zh

PAGE_W, PAGE_H = 210, 297  # mm
TOP, LEFT, AREA_W, AREA_H = 37, 28, 156, 225  # mm
BODY_PT, TITLE_PT, PAGE_NO_PT, TABLE_PT = 16, 22, 14, 10.5
LINES = 22
PITCH = Pt(AREA_H / 25.4 * 72 / LINES)  # 225 mm over 22 lines: 28.95 pt
RED = RGBColor(0xFF, 0x00, 0x00)
HEADING_FACES = {1: ("hei", False), 2: ("kai", False), 3: ("body", True), 4: ("body", False)}


def _rfonts(el, east_asian: str) -> None:
    rpr = el.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):  # themes win over names
        rfonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi"):
        rfonts.set(qn(attr), fonts.LATIN)
    rfonts.set(qn("w:eastAsia"), east_asian)


def set_font(
    run_or_style, role: str, size: float, *, bold: bool = False, colour: RGBColor | None = None
) -> None:
    """The run (or style) in `role`'s face at `size` points."""
    font = run_or_style.font
    font.name = fonts.LATIN
    font.size = Pt(size)
    font.bold = bold
    font.color.rgb = colour or RGBColor(0, 0, 0)
    _rfonts(run_or_style.element, fonts.face(role).family)


def _field(run, instr: str) -> None:
    for tag, text in (("begin", None), (None, instr), ("end", None)):
        if tag:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), tag)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def _off_grid(paragraph) -> None:
    """Leave the body's line grid (tables and figures set their own, tighter pitch)."""
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    paragraph._p.get_or_add_pPr().append(snap)


def _shade(cell, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _rule(paragraph, colour: str = "FF0000", size_eighths: int = 12) -> None:
    """A rule under the paragraph across the type area (the red 分隔线 of the 版头)."""
    ppr = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", str(size_eighths)), ("w:space", "4"), ("w:color", colour)):
        bottom.set(qn(k), v)
    border.append(bottom)
    ppr.append(border)


def column_widths(header: Sequence[str], rows: Sequence[Sequence[str]], total_mm: float, size_pt: float,
                  *, cap: float = 40) -> list[float]:  # fmt: skip
    """Column widths (mm) that fill `total_mm`: each column in proportion to its typical (80th percentile)
    cell, capped at `cap` characters, and none narrower than four characters or its longest word up to
    that — so a column never squeezes to one character per line while a long text column takes the rest."""
    char = size_pt / 72 * 25.4  # a CJK character
    pad = 4.0  # a cell's left and right margins (Word and LibreOffice: 1.9 mm each) and the rule
    natural, floor = [], []
    for j, h in enumerate(header):
        lengths = sorted(_width(str(r[j])) for r in rows[:500] if j < len(r)) or [0.0]
        typical = lengths[int(0.8 * (len(lengths) - 1))]
        natural.append((min(cap, max(typical, _width(h) / 2, 2.0)) + 0.6) * char + pad)
        floor.append((min(4.0, max(2.0, lengths[-1], _width(h) / 2)) + 0.6) * char + pad)  # slack: no wrap
    need = sum(floor)
    if need >= total_mm:  # too many columns for the width: the floors, scaled to fit
        return [f * total_mm / need for f in floor]
    spare = total_mm - need
    extra = [max(0.0, n - f) for n, f in zip(natural, floor, strict=True)]
    room = sum(extra) or 1.0
    return [f + spare * e / room for f, e in zip(floor, extra, strict=True)]


def font_notes() -> list[str]:
    """One line saying which official faces this machine lacks and what stands in for them (or none)."""
    missing = fonts.substitutions()
    return [f"本机缺少公文字体，以字宽相同的免费字体代替：{'；'.join(missing)}"] if missing else []


def _width(text: str) -> float:
    """Width in characters of the body face: CJK one, Latin and digits half."""
    return sum(1.0 if ord(ch) > 0x2E80 else 0.5 for ch in text)


class OfficialDocument:
    """A Word document in the GB/T 9704-2012 layout; methods add its parts in reading order."""

    def __init__(self, *, title: str = "") -> None:
        self.doc = Document()
        self.notes = font_notes()
        self.doc.core_properties.title = title
        self.doc.core_properties.language = "zh-CN"
        self._page()
        self._styles()
        self._page_numbers()

    # -- page, styles, page numbers --------------------------------------------------------------------
    def _page(self) -> None:
        sec = self.doc.sections[0]
        sec.page_width, sec.page_height = Mm(PAGE_W), Mm(PAGE_H)
        sec.top_margin, sec.left_margin = Mm(TOP), Mm(LEFT)
        sec.right_margin = Mm(PAGE_W - LEFT - AREA_W)
        sec.bottom_margin = Mm(PAGE_H - TOP - AREA_H)
        sec.header_distance = Mm(15)
        sec.footer_distance = Mm(PAGE_H - TOP - AREA_H - 7 - 6)  # the number's top 7 mm below the area
        grid = sec._sectPr.find(qn("w:docGrid"))
        if grid is None:
            grid = OxmlElement("w:docGrid")
            sec._sectPr.append(grid)
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(round(PITCH.pt * 20)))

    def _styles(self) -> None:
        normal = self.doc.styles["Normal"]
        set_font(normal, "body", BODY_PT)
        pf = normal.paragraph_format
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = PITCH
        pf.space_before = pf.space_after = Pt(0)
        pf.widow_control = False
        for name in ("Header", "Footer"):
            set_font(self.doc.styles[name], "song", PAGE_NO_PT)
        # Built-in styles keep the document's outline (navigation pane, table of contents); their look is ours.
        for level, (role, bold) in HEADING_FACES.items():
            self._paragraph_style(f"Heading {level}", role, BODY_PT, bold)
        self._paragraph_style("Title", "title", TITLE_PT, False, centred=True, pitch=Pt(TITLE_PT * 1.6))
        self._paragraph_style("Caption", "hei", TABLE_PT + 1.5, False, centred=True, pitch=Pt(22))

    def _paragraph_style(self, name: str, role: str, size: float, bold: bool, *, centred: bool = False,
                         pitch=PITCH) -> None:  # fmt: skip
        st = self.doc.styles[name]
        set_font(st, role, size, bold=bold)
        st.font.italic = False
        pf = st.paragraph_format
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = pitch
        pf.space_before = pf.space_after = Pt(0)
        pf.first_line_indent = Pt(0) if centred else Pt(BODY_PT * 2)
        pf.alignment = WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.JUSTIFY
        ppr = st.element.get_or_add_pPr()
        border = ppr.find(qn("w:pBdr"))  # the Title style's underline rule
        if border is not None:
            ppr.remove(border)

    def _page_numbers(self) -> None:
        self.doc.settings.odd_and_even_pages_header_footer = True
        sec = self.doc.sections[0]
        for footer, align, side in ((sec.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
                                    (sec.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left")):  # fmt: skip
            p = footer.paragraphs[0]
            p.alignment = align
            pf = p.paragraph_format
            pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
            setattr(pf, f"{side}_indent", Pt(PAGE_NO_PT))  # 右空一字 / 左空一字
            run = p.add_run("— ")
            set_font(run, "song", PAGE_NO_PT)
            number = p.add_run()
            set_font(number, "song", PAGE_NO_PT)
            _field(number, "PAGE")
            set_font(p.add_run(" —"), "song", PAGE_NO_PT)

    # -- 版头 ----------------------------------------------------------------------------------------------
    def issuer_mark(self, issuer: str) -> None:
        """发文机关标志: the issuing body's name in red 小标宋, centred."""
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        pf = p.paragraph_format
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
        pf.space_after = Pt(BODY_PT)
        size = 30 if len(issuer) <= 14 else max(20, int(AREA_W / 25.4 * 72 / len(issuer)))
        set_font(p.add_run(issuer), "title", size, colour=RED)

    def doc_number(self, number: str) -> None:
        """发文字号 centred under the mark, then the red rule across the type area."""
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        set_font(p.add_run(number), "body", BODY_PT)
        _rule(p)
        self.blank()

    # -- 主体 ----------------------------------------------------------------------------------------------
    def title(self, text: str, *, outline: bool = False) -> None:
        """标题: 2号小标宋, centred, with a blank line under it. `outline`: also a level-1 heading of the
        document's outline (an 附件's title)."""
        p = self.doc.add_paragraph(style="Heading 1" if outline else "Title")
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        pf = p.paragraph_format
        pf.first_line_indent = Pt(0)
        pf.line_spacing = Pt(TITLE_PT * 1.6)
        set_font(p.add_run(text), "title", TITLE_PT)
        self.blank()

    def subtitle(self, text: str) -> None:
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        set_font(p.add_run(text), "kai", BODY_PT)

    def addressee(self, text: str) -> None:
        """主送机关: flush left, ending in a full-width colon."""
        p = self.doc.add_paragraph()
        set_font(p.add_run(text.rstrip("：:") + "："), "body", BODY_PT)

    def heading(self, level: int, text: str) -> None:
        """A heading of level 1–4 (一、/（一）/1./（1）), indented two characters like the body."""
        level = min(4, max(1, level))
        role, bold = HEADING_FACES[level]
        p = self.doc.add_paragraph(style=f"Heading {level}")
        p.paragraph_format.keep_with_next = True
        set_font(p.add_run(text), role, BODY_PT, bold=bold)

    def label(self, text: str) -> None:
        """A label flush left in 黑体 (附件, 附表)."""
        p = self.doc.add_paragraph()
        set_font(p.add_run(text), "hei", BODY_PT)

    def paragraph(self, text: str, *, indent: bool = True) -> None:
        p = self.doc.add_paragraph()
        if indent:
            p.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
        set_font(p.add_run(text), "body", BODY_PT)

    def blank(self) -> None:
        self.doc.add_paragraph()

    def page_break(self) -> None:
        self.doc.add_page_break()

    def caption(self, text: str, *, above: bool = True) -> None:
        """A table's title (above it: kept with the table) or a figure's (below it)."""
        p = self.doc.add_paragraph(style="Caption")
        p.paragraph_format.keep_with_next = above
        set_font(p.add_run(text), "hei", TABLE_PT + 1.5)

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]], *, fills: Sequence[dict[int, str]] = (),
              header_fill: str = "E7E6E6", size: float = TABLE_PT) -> None:  # fmt: skip
        """A gridded table across the type area; the header repeats on every page; `fills[i]` tints cells
        of row i (column → RGB hex)."""
        if not rows:
            self.paragraph("无。")
            return
        widths = column_widths(header, rows, AREA_W, size)
        table = self.doc.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for col, w in zip(table.columns, widths, strict=True):
            col.width = Mm(w)  # the grid LibreOffice lays out by
        layout = OxmlElement("w:tblLayout")
        layout.set(qn("w:type"), "fixed")
        table._tbl.tblPr.append(layout)
        self._row(
            table.rows[0],
            header,
            widths,
            size,
            header=True,
            fill={j: header_fill for j in range(len(header))},
        )
        trpr = table.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        trpr.append(repeat)
        for i, r in enumerate(rows):
            self._row(
                table.add_row(), [str(x) for x in r], widths, size, fill=fills[i] if i < len(fills) else {}
            )
        self.doc.add_paragraph()

    @staticmethod
    def _row(row, texts: Sequence[str], widths: list[float], size: float, *, header: bool = False,
             fill: dict[int, str]) -> None:  # fmt: skip
        for j, (cell, text) in enumerate(zip(row.cells, texts, strict=True)):
            cell.width = Mm(widths[j])
            p = cell.paragraphs[0]
            pf = p.paragraph_format
            pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            pf.line_spacing = Pt(size * 1.35)
            pf.first_line_indent = Pt(0)
            _off_grid(p)
            if header:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            set_font(p.add_run(text), "hei" if header else "body", size)
            if j in fill:
                _shade(cell, fill[j])

    def picture(self, png: bytes, *, width_mm: float = AREA_W) -> None:
        self.doc.add_picture(io.BytesIO(png), width=Mm(min(width_mm, AREA_W)))
        p = self.doc.paragraphs[-1]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        p.paragraph_format.first_line_indent = Pt(0)
        _off_grid(p)

    # -- 落款 ----------------------------------------------------------------------------------------------
    def signature(self, issuer: str, on: date, *, signer: str = "") -> None:
        """落款 and 成文日期: the issuer centred over the date, the date four characters in from the right."""
        if self.doc.paragraphs:  # 落款 never alone on a page: the last paragraph goes over with it
            self.doc.paragraphs[-1].paragraph_format.keep_with_next = True
        self.blank()
        self.doc.paragraphs[-1].paragraph_format.keep_with_next = True
        day = date_zh(on)
        wi, wd = _width(issuer), _width(day)
        # a long name: 署名右空二字 and the date centred under it; else 成文日期右空四字, the name centred over it
        long = wi > wd
        indents = {issuer: 2.0, day: 2 + (wi - wd) / 2} if long else {day: 4.0, issuer: 4 + (wd - wi) / 2}
        for text in (issuer, day):
            p = self.doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.right_indent = Pt(BODY_PT * indents[text])
            p.paragraph_format.keep_with_next = bool(signer) or text == issuer
            set_font(p.add_run(text), "body", BODY_PT)
        if signer:
            p = self.doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.right_indent = Pt(BODY_PT * 4)
            set_font(p.add_run(f"签发人：{signer}"), "body", BODY_PT)

    def save(self, out: Path) -> Path:
        self.doc.save(str(out))
        return out


__all__ = ["AREA_H", "AREA_W", "LEFT", "TOP", "OfficialDocument", "column_widths", "font_notes", "set_font"]
