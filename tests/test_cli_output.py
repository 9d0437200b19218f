"""One output option on the listing commands: the same records as json, jsonl, csv and xlsx; a missing
optional part is named with the extra to install."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from gongfu.cli import _register, app
from gongfu.errors import MissingPart, require

ROOT = Path(__file__).resolve().parents[1]
OBS = ROOT / "src" / "gongfu" / "data" / "demo" / "zhejiang-sourced-observations.csv"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory):
    from gongfu.observations.service import import_file
    from gongfu.store.db import open_db

    url = f"sqlite:///{tmp_path_factory.mktemp('out') / 'o.db'}"
    db = open_db(url)
    import_file(db, OBS)
    db.engine.dispose()
    _register()

    def invoke(*args: str):
        r = CliRunner().invoke(app, ["--db", url, *args], env={"COLUMNS": "200"})
        assert r.exit_code == 0, r.output
        return r

    return invoke


def test_json_jsonl_csv_and_xlsx_carry_the_same_records(run, tmp_path: Path) -> None:
    records = json.loads(run("obs", "list", "--format", "json").stdout)
    assert records and {"indicator", "region", "year", "value"} <= records[0].keys()
    lines = [json.loads(x) for x in run("obs", "list", "-f", "jsonl").stdout.splitlines()]
    assert lines == records
    rows = list(csv.DictReader(io.StringIO(run("obs", "list", "-f", "csv").stdout)))
    assert [(r["indicator"], r["year"]) for r in rows] == [(r["indicator"], str(r["year"])) for r in records]
    out = tmp_path / "obs.xlsx"
    run("obs", "list", "-f", "xlsx", "-o", str(out))
    ws = load_workbook(out).worksheets[0]
    texts = [c.value for row in ws.iter_rows() for c in row]
    assert "indicator" in texts and records[0]["source"] in texts


def test_a_missing_extra_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "duckdb", None)
    with pytest.raises(MissingPart) as err:
        require("duckdb", "microdata", "DuckDB 引擎")
    assert "gongfu[microdata]" in str(err.value) and err.value.exit_code == 78
