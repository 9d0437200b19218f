"""`gongfu report --format a,b,c`: several formats from one evaluation (built once), paths, bad formats."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gongfu.cli.report import output_paths, parse_formats
from gongfu.errors import InputError

ROOT = Path(__file__).parents[1]
CITY = "330400"


def _seeder():
    spec = importlib.util.spec_from_file_location("bench_report", ROOT / "benchmarks/bench_report.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.seed_synthetic


def test_parse_formats() -> None:
    assert parse_formats("docx, XLSX,docx") == ["docx", "xlsx"]
    assert parse_formats("all") == ["docx", "xlsx", "html", "pdf"]
    with pytest.raises(InputError, match="未知的报告格式 'odt'"):
        parse_formats("docx,odt")
    with pytest.raises(InputError):
        parse_formats(" , ")


def test_output_paths(tmp_path: Path) -> None:
    name = "年度综合评价报告-330400-2024"
    assert output_paths("330400", 2024, ["docx"], None) == {"docx": Path(f"{name}.docx")}
    assert output_paths("330400", 2024, ["docx"], tmp_path / "a.docx") == {"docx": tmp_path / "a.docx"}
    assert output_paths("330400", 2024, ["docx", "xlsx"], tmp_path) == {
        "docx": tmp_path / f"{name}.docx",
        "xlsx": tmp_path / f"{name}.xlsx",
    }
    assert output_paths("330400", 2024, ["docx", "html"], tmp_path / "r.docx") == {
        "docx": tmp_path / "r.docx",
        "html": tmp_path / "r.html",
    }


def test_several_formats_from_one_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gongfu.reports as reports
    from gongfu.cli import app
    from gongfu.cli.report import register
    from gongfu.store.db import open_db

    db = open_db(f"sqlite:///{tmp_path / 'r.db'}")
    _seeder()(db, CITY, seed=3, per_dimension=1)
    if not any(getattr(c, "name", None) == "report" for c in app.registered_commands):
        register(app)
    builds: list[str] = []
    real = reports.build_report

    def counting(*args, **kwargs):
        builds.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(reports, "build_report", counting)
    out = tmp_path / "out"
    args = ["--db", str(db.engine.url), "report", "-r", CITY, "-y", "2024", "--children"]
    result = CliRunner().invoke(app, [*args, "--format", "docx,xlsx,html", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert builds == [CITY]
    for fmt in ("docx", "xlsx", "html"):
        f = out / f"年度综合评价报告-{CITY}-2024.{fmt}"
        assert f.exists() and f.stat().st_size > 1000
    html = (out / f"年度综合评价报告-{CITY}-2024.html").read_text(encoding="utf-8")
    assert "南湖区" in html
    bad = CliRunner().invoke(app, [*args, "--format", "docx,odt"])
    assert bad.exit_code != 0 and "odt" in str(bad.exception or bad.output)
    db.engine.dispose()
