"""Documents looked at as a person would: the Word report and the 督办单 rendered by LibreOffice (headless),
the PDF report by WeasyPrint, every page turned into a PNG under test-artifacts/, and the pages checked —
A4, the GB/T 9704 type area (top 37 mm, left 28 mm, 156 × 225 mm), no word off the page or outside the type
area, page numbers "— N —" under the area on the outer side. Real fixture: the Jiaxing plan and the sourced
demo figures; the 督办单 from synthetic tasks."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from gongfu.documents.official import AREA_H, AREA_W, LEFT, TOP

ROOT = Path(__file__).parents[1]
ARTIFACTS = ROOT / "test-artifacts"
DATA = Path(__file__).parent / "data"
DEMO = ROOT / "src/gongfu/data/demo/zhejiang-sourced-observations.csv"
MM = 72 / 25.4
TOL = 2.5  # mm: glyph side bearings and the table rules' half-width
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')


def _need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{tool} is required under CI (scripts/system-deps.sh installs it)")
        pytest.skip(f"{tool} not installed (scripts/system-deps.sh installs it)")
    return path


def _to_pdf(docx: Path, out_dir: Path) -> Path:
    soffice = _need("soffice")
    profile = out_dir / "lo-profile"  # a profile of our own: parallel runs do not share a lock
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out_dir), str(docx)], check=True, capture_output=True, timeout=180)  # fmt: skip
    return out_dir / (docx.stem + ".pdf")


def _pages(pdf: Path) -> list[tuple[float, float, list[tuple[float, float, float, float, str]]]]:
    """Per page: width, height (mm) and every word's box (mm) with its text, from pdftotext -bbox."""
    _need("pdftotext")
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    out = []
    for chunk in html.split("<page ")[1:]:
        w, h = (float(x) / MM for x in _PAGE.match("<page " + chunk).groups())
        words = [(*(float(v) / MM for v in m.groups()[:4]), m.group(5)) for m in _WORD.finditer(chunk)]
        out.append((w, h, words))
    return out


def _pngs(pdf: Path, name: str) -> list[Path]:
    _need("pdftoppm")
    ARTIFACTS.mkdir(exist_ok=True)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(ARTIFACTS / name)], check=True, timeout=180)
    return sorted(ARTIFACTS.glob(f"{name}-*.png"))


def _check_official_pages(pdf: Path, name: str, *, min_pages: int, max_pages: int) -> None:
    pages = _pages(pdf)
    assert min_pages <= len(pages) <= max_pages, f"{name}: {len(pages)} pages"
    right, bottom = LEFT + AREA_W, TOP + AREA_H
    for n, (w, h, words) in enumerate(pages, start=1):
        assert abs(w - 210) < 1 and abs(h - 297) < 1, f"{name} p{n}: not A4 ({w:.0f}×{h:.0f} mm)"
        assert words, f"{name} p{n}: empty page"
        body = [x for x in words if x[1] < bottom + TOL]
        footer = [x for x in words if x[1] >= bottom + TOL]
        for x0, y0, x1, y1, text in words:  # nothing off the paper
            assert x0 >= 0 and x1 <= w and y0 >= 0 and y1 <= h, f"{name} p{n}: {text!r} off the page"
        for x0, y0, x1, _, text in body:  # the type area: 156 × 225 mm from (28, 37)
            assert x0 >= LEFT - TOL and x1 <= right + TOL and y0 >= TOP - TOL, (
                f"{name} p{n}: {text!r} at x {x0:.1f}–{x1:.1f}, y {y0:.1f} mm is outside the type area"
            )
        number = "".join(t for *_, t in footer).replace(" ", "")
        assert number == f"—{n}—", f"{name} p{n}: page number {number!r}"
        x0 = min(x[0] for x in footer)
        x1 = max(x[2] for x in footer)
        assert footer[0][1] - bottom >= 4, f"{name} p{n}: page number not below the type area"
        if n % 2:  # odd pages: on the right, one character in; even: on the left
            assert x1 <= right and right - x1 < 12 and x0 > w / 2, f"{name} p{n}: odd page number not right"
        else:
            assert x0 >= LEFT and x0 - LEFT < 12 and x1 < w / 2, f"{name} p{n}: even page number not left"
    assert len(_pngs(pdf, name)) == len(pages)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory):
    from gongfu.observations.service import import_file
    from gongfu.plans.service import ingest
    from gongfu.reports import build_report
    from gongfu.reports.charts import render_all
    from gongfu.store.db import open_db

    tmp = tmp_path_factory.mktemp("layout")
    db = open_db(f"sqlite:///{tmp / 'report.db'}")
    ingest(db, [DATA / "plans/jiaxing-2021-common-prosperity-action-plan.txt"])
    import_file(db, DEMO)
    data = build_report(db, "330400", 2024)
    charts = render_all(data)
    yield tmp, data, charts
    db.engine.dispose()


def test_word_report_pages_keep_the_official_type_area(report) -> None:
    from gongfu.reports import write_report

    tmp, data, charts = report
    docx = write_report(data, "docx", tmp / "report.docx", charts)
    _check_official_pages(_to_pdf(docx, tmp), "report-docx", min_pages=5, max_pages=40)


def test_word_report_sets_the_official_faces_and_sizes(report) -> None:
    from docx import Document

    from gongfu.documents import fonts
    from gongfu.reports import write_report

    tmp, data, charts = report
    doc = Document(write_report(data, "docx", tmp / "faces.docx", charts))
    sec = doc.sections[0]
    assert round(sec.top_margin.mm) == TOP and round(sec.left_margin.mm) == LEFT
    assert round(sec.page_width.mm - sec.left_margin.mm - sec.right_margin.mm) == AREA_W
    assert round(sec.page_height.mm - sec.top_margin.mm - sec.bottom_margin.mm) == AREA_H
    body = doc.styles["Normal"]
    assert body.font.size.pt == 16  # 3号
    east = body.element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
    )
    assert east == fonts.face("body").family
    title = next(p for p in doc.paragraphs if p.style.name == "Title")
    assert title.runs[0].font.size.pt == 22  # 2号
    h1 = next(p for p in doc.paragraphs if p.style.name == "Heading 1")
    assert h1.text.startswith("一、")


def test_supervision_notice_is_an_official_document(tmp_path: Path, monkeypatch) -> None:
    from docx import Document

    from gongfu.store.db import open_db
    from gongfu.work import service
    from gongfu.work.exports import supervision_notice
    from gongfu.work.query import units
    from work_seed import COUNTY_A, scope, synthetic_xlsx

    db = open_db(f"sqlite:///{tmp_path / 'notice.db'}")
    admin = scope("admin", COUNTY_A, name="李明")
    service.import_excel(db, admin, synthetic_xlsx(tmp_path / "synthetic.xlsx", 6), kind="key_tasks",
                         region=COUNTY_A, year=2024)  # fmt: skip
    unit = next(u for u in units(db, admin, COUNTY_A) if u["name"] == "区经信局")
    out = tmp_path / "notice.docx"
    first = supervision_notice(db, admin, unit["id"], out, as_of=date(2024, 12, 1))
    second = supervision_notice(db, admin, unit["id"], tmp_path / "again.docx", as_of=date(2024, 12, 1))
    assert first["number"].endswith("〔2024〕1号") and second["number"].endswith("〔2024〕2号")
    text = "\n".join(p.text for p in Document(out).paragraphs)
    for part in ("秀洲区共同富裕示范区建设领导小组办公室", first["number"], "区经信局：", "2024年12月1日",
                 "签发人：李明"):  # fmt: skip
        assert part in text, part
    assert "cli:" not in text and "2024-12-01" not in text
    _check_official_pages(_to_pdf(out, tmp_path), "notice-docx", min_pages=1, max_pages=4)
    db.engine.dispose()


def test_pdf_report_pages_stay_inside_the_paper(report) -> None:
    pytest.importorskip("weasyprint")
    from gongfu.reports import write_report

    tmp, data, charts = report
    pdf = write_report(data, "pdf", tmp / "report.pdf", charts)
    pages = _pages(pdf)
    assert 5 <= len(pages) <= 60
    for n, (_, h, words) in enumerate(pages, start=1):
        for x0, y0, x1, y1, text in words:
            assert x0 >= LEFT - TOL and x1 <= LEFT + AREA_W + TOL, f"pdf p{n}: {text!r} outside the type area"
            assert y0 >= 0 and y1 <= h
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "第36行" in text and '{"' not in text  # provenance as words, never raw JSON
    assert len(_pngs(pdf, "report-pdf")) == len(pages)
