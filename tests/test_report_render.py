"""Rendering: the PDF turned into PNG pages (pdftoppm) has pages, ink, and Chinese glyphs (no tofu);
plus the children comparison on SYNTHETIC data, the CLI, and the one-line error without a converter."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from gongfu.reports import ToolMissing, build_report, write_report
from gongfu.reports.charts import font_file, render_all

ROOT = Path(__file__).parents[1]
CITY = "330400"  # 嘉兴市; the SYNTHETIC seeder gives it and its 7 children plans and series


def _seeder():
    spec = importlib.util.spec_from_file_location("bench_report", ROOT / "benchmarks/bench_report.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.seed_synthetic


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory):
    from gongfu.store.db import open_db

    tmp = tmp_path_factory.mktemp("render")
    db = open_db(f"sqlite:///{tmp / 'synthetic.db'}")
    _seeder()(db, CITY, seed=1, per_dimension=2)
    data = build_report(db, CITY, 2024, children=True)
    yield db, data, render_all(data), tmp
    db.engine.dispose()


def _need(tool: str) -> None:
    if not shutil.which(tool):
        pytest.skip(f"{tool} not installed (apt-get install poppler-utils)")


def test_pdf_pages_have_ink_and_chinese_text(synthetic) -> None:
    pytest.importorskip(
        "weasyprint", reason="PDF converter WeasyPrint not installed (pip install weasyprint)"
    )
    _need("pdftoppm")
    for tool in ("pdftotext", "pdfinfo", "pdffonts"):
        _need(tool)
    _, data, charts, tmp = synthetic
    pdf = write_report(data, "pdf", tmp / "report.pdf", charts)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "综合评价" in text and "一、总体评价" in text and "下辖地区比较" in text
    assert "南湖区" in text  # a child region by name
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp / "page")], check=True)
    pages = sorted(tmp.glob("page-*.png"))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1)) == len(pages)
    assert len(pages) >= 2 + len(data.chapters)  # cover, summary, a page per chapter at least
    for p in pages:
        ink = (np.asarray(Image.open(p).convert("L")) < 128).mean()
        assert ink > 0.002, f"{p.name} is blank"
    cover = np.asarray(Image.open(pages[0]).convert("L"))
    h = cover.shape[0]
    title_band = cover[int(h * 0.2) : int(h * 0.45)]
    assert (title_band < 128).sum() > 200  # the title's glyphs are drawn, not missing
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "NotoSerifCJK" in fonts or "CJK" in fonts or "WenQuanYi" in fonts


def test_chart_font_has_every_glyph_the_charts_use(synthetic) -> None:
    from matplotlib.ft2font import FT2Font

    _, data, _, _ = synthetic
    font = FT2Font(font_file())
    texts = [ch.dimension + "：实际值与预期轨迹实现度与时序进度" for ch in data.chapters]
    texts += [r["indicator_name"] for r in data.records] + ["绿黄橙红灰色指标数目标预警分布下辖地区"]
    missing = {c for t in texts for c in t if not c.isspace() and font.get_char_index(ord(c)) == 0}
    assert not missing, f"tofu for {sorted(missing)}"


def test_children_chapter_compares_every_child(synthetic) -> None:
    from docx import Document

    _, data, charts, tmp = synthetic
    assert data.children is not None and len(data.children) == 7
    assert all(c.targets > 0 and c.refs for c in data.children)
    ranks = sorted(c.rank for c in data.children if c.rank is not None)
    if ranks:  # the composite service ranks the children among themselves
        assert ranks[0] == 1 and ranks[-1] <= len(data.children)
    path = write_report(data, "docx", tmp / "children.docx", charts)
    table = next(t for t in Document(path).tables if t.rows[0].cells[0].text == "地区")
    names = [row.cells[0].text for row in table.rows[1:]]
    assert names == [c.region_name for c in data.children]
    counts = [int(row.cells[1].text) for row in table.rows[1:]]
    assert counts == [len([r for r in data.child_records if r["region"] == c.region]) for c in data.children]


def test_cli_writes_the_default_file_name(synthetic, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from gongfu.cli import app
    from gongfu.cli.report import register

    db, _, _, tmp = synthetic
    if not any(getattr(c, "name", None) == "report" for c in app.registered_commands):
        register(app)
    monkeypatch.chdir(tmp)
    url = str(db.engine.url)
    result = CliRunner().invoke(
        app, ["--db", url, "report", "--region", CITY, "--year", "2024", "--format", "xlsx"]
    )
    assert result.exit_code == 0, result.output
    assert (tmp / f"年度综合评价报告-{CITY}-2024.xlsx").exists()


def test_pdf_without_converter_is_one_clear_line(synthetic, monkeypatch: pytest.MonkeyPatch) -> None:
    _, data, charts, tmp = synthetic
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import fails as if not installed
    with pytest.raises(ToolMissing) as exc:
        write_report(data, "pdf", tmp / "x.pdf", charts)
    assert "\n" not in str(exc.value) and "weasyprint" in str(exc.value)
