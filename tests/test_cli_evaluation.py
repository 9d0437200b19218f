"""The issue-3 fronts through the CLI: catalog, obs import (with a row-level error report), targets compare,
evaluate (table/json/xlsx) and index, on both databases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from gongfu.cli import _register, app

ROOT = Path(__file__).resolve().parents[1]
JIAXING = ROOT / "tests" / "data" / "plans" / "jiaxing-2021-common-prosperity-action-plan.txt"
OBS = ROOT / "src" / "gongfu" / "data" / "demo" / "zhejiang-sourced-observations.csv"
EVALUATION_FIELDS = {
    "target_id",
    "indicator",
    "region",
    "target",
    "comparator",
    "year",
    "baseline",
    "latest",
    "latest_year",
    "attainment",
    "expected",
    "progress_ratio",
    "forecast",
    "colour",
}


@pytest.fixture
def cli(db_url: str):
    _register()
    runner = CliRunner()

    def run(*args: str):
        result = runner.invoke(app, ["--db", db_url, *args], env={"COLUMNS": "200"})
        return result

    return run


def test_bad_rows_are_all_reported_and_nothing_is_imported(cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad-gb18030.csv"
    bad.write_bytes(
        "地区,指标,年份,数值,单位\n嘉兴市,常住人口城镇化率,2022,120,%\n火星市,地区生产总值,2022,1,亿元\n"
        "嘉兴市,地区生产总值,2022,很多,亿元\n".encode("gb18030")
    )
    result = cli("obs", "import", str(bad))
    assert result.exit_code == 65  # InputError, distinct from the usage error 2
    out = result.output
    for row in ("bad-gb18030.csv:2", "bad-gb18030.csv:3", "bad-gb18030.csv:4"):
        assert row in out
    listed = cli("obs", "list", "--format", "json")
    assert json.loads(listed.stdout) == []


def test_import_evaluate_and_rank_end_to_end(cli, tmp_path: Path) -> None:
    assert cli("plan", "ingest", str(JIAXING)).exit_code == 0
    imported = cli("obs", "import", str(OBS))
    assert imported.exit_code == 0 and "新增" in imported.stdout
    again = cli("obs", "import", str(OBS))
    assert "新增 0" in again.stdout  # idempotent

    ev = cli("evaluate", "--region", "嘉兴", "--format", "json")
    assert ev.exit_code == 0, ev.output
    records = json.loads(ev.stdout)
    assert records and set(records[0]) >= EVALUATION_FIELDS

    xlsx = tmp_path / "eval.xlsx"
    assert cli("evaluate", "--region", "330400", "--format", "xlsx", "--out", str(xlsx)).exit_code == 0
    wb = load_workbook(xlsx)
    assert "数据来源" in wb.sheetnames and len(wb.sheetnames) >= 2

    table = cli("evaluate", "--region", "330400")
    assert table.exit_code == 0 and "实现度" in table.stdout

    idx = cli("index", "--region", "330000", "--format", "json")
    assert idx.exit_code == 0 and json.loads(idx.stdout)["regions"][0]["region"] == "330400"

    cmp = cli("targets", "compare", "--indicator", "urban_rural_income_ratio", "--format", "json")
    rows = json.loads(cmp.stdout)
    assert rows and rows[0]["region_code"] == "330400" and rows[0]["value"] == 1.58


def test_catalog_commands(cli) -> None:
    shown = cli("catalog", "show", "gini", "--format", "json")
    assert shown.exit_code == 0 and json.loads(shown.stdout)["dimension"] == "收入分配"
    matched = cli("catalog", "match", "全市地區生產總值", "--format", "json")
    assert json.loads(matched.stdout)[0]["code"] == "gdp"
    missing = cli("catalog", "show", "no_such_code")
    assert missing.exit_code != 0
