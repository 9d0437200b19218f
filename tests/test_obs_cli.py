"""`gongfu obs` through the CLI: re-imports said so, indicators given by name, problems named in full."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gongfu.cli import _register, app
from gongfu.errors import NotFound

HEADER = "地区,指标,数值,单位,年份\n"


@pytest.fixture
def cli(db_url: str):
    _register()
    runner = CliRunner()
    return lambda *args: runner.invoke(app, ["--db", db_url, *args], env={"COLUMNS": "200"})


def _csv(path: Path, body: str) -> Path:
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_reimport_of_an_imported_file_says_so_and_changes_nothing(cli, tmp_path: Path) -> None:
    old = _csv(tmp_path / "old.csv", "嘉兴市,地区生产总值,5509.52,亿元,2020\n")
    rev = _csv(tmp_path / "rev.csv", "嘉兴市,地区生产总值,5563.58,亿元,2020\n")
    assert cli("obs", "import", str(old)).exit_code == 0
    assert cli("obs", "import", str(rev)).exit_code == 0
    again = cli("obs", "import", str(old))
    assert again.exit_code == 0 and "已导入过" in again.stdout and "新增 0" in again.stdout
    listed = json.loads(cli("obs", "list", "--format", "json").stdout)
    assert [r["value"] for r in listed] == [5563.58]


def test_list_takes_an_indicator_name_or_alias(cli, tmp_path: Path) -> None:
    assert (
        cli(
            "obs", "import", str(_csv(tmp_path / "a.csv", "嘉兴市,地区生产总值,5563.58,亿元,2020\n"))
        ).exit_code
        == 0
    )
    for name in ("地区生产总值", "GDP", "gdp"):
        rows = json.loads(cli("obs", "list", "--indicator", name, "--format", "json").stdout)
        assert [r["indicator"] for r in rows] == ["gdp"], name
    unknown = cli("obs", "list", "--indicator", "开心指数")
    assert unknown.exit_code != 0
    assert isinstance(unknown.exception, NotFound) and "开心指数" in str(unknown.exception)


def test_problem_lines_name_file_row_and_column(cli, tmp_path: Path) -> None:
    bad = _csv(tmp_path / "bad.csv", "嘉兴市,地区生产总值,很多,亿元,2020\n")
    out = cli("obs", "import", str(bad)).output
    assert "bad.csv:2 数值列 [bad_number]" in out and "不是数字" in out


def test_the_import_bar_follows_the_phases_and_rows(db, tmp_path: Path) -> None:
    import io

    from rich.console import Console
    from rich.progress import Progress

    from gongfu.cli._common import rows_bar
    from gongfu.observations.service import import_file
    from gongfu.progress import listening

    rows = "".join(f"嘉兴市,地区生产总值,{5000 + y},亿元,{y}\n" for y in range(2015, 2024))
    f = _csv(tmp_path / "nine.csv", rows)
    phases: list[str] = []
    with Progress(console=Console(file=io.StringIO())) as bar:
        task = bar.add_task(f"导入 {f.name}", total=None)
        show = rows_bar(bar, task, f.name)
        with listening(lambda phase, done, total: (phases.append(phase), show(phase, done, total))):
            import_file(db, f, by="test")
        [shown] = bar.tasks
    assert list(dict.fromkeys(phases)) == ["reading", "checking", "storing"]
    assert (shown.completed, shown.total) == (9, 9) and shown.description == "nine.csv：写入数据库"
