"""The plan's region: a document-level guess from the registry that never blocks extraction.

`plan extract` never needs --region; `plan ingest` asks for it only when the document gives none; a --region
that contradicts the document is kept, with a warning; loose names resolve only at the level they state.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gongfu.errors import InputError
from gongfu.model import PlanMeta
from gongfu.plans.reading import read_plan
from gongfu.plans.region_guess import guess_region, resolve_region
from gongfu.plans.service import ingest
from gongfu.store.tables import PlanRow

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    ("title", "code"),
    [
        ("2026年北京市政府工作报告", "110000"),
        ("中共嘉兴市秀洲区委关于推进共同富裕的决定", "330411"),  # the county inside its city
        ("江山市跨越式高质量发展建设共同富裕示范区行动方案", "330881"),
        ("浙江省人民政府办公厅关于印发行动方案的通知", "330000"),
    ],
)
def test_the_region_comes_from_the_title(title: str, code: str) -> None:
    assert guess_region(PlanMeta(title=title), "").code == code


@pytest.mark.parametrize("title", ["2026年X省政府工作报告", "教育强省建设行动方案", "火星发展行动方案"])
def test_an_unknown_place_gives_no_region_and_a_warning(title: str) -> None:
    g = guess_region(PlanMeta(title=title), "")
    assert g.code is None and g.warnings and "地区" in g.warnings[0]


def test_a_contradicting_region_option_is_kept_with_a_warning() -> None:
    meta = PlanMeta(title="台州市高质量发展建设共同富裕先行市行动方案")
    g = resolve_region("330411", meta, "")
    assert g.code == "330411"
    assert g.warnings and "不一致" in g.warnings[0] and "331000" in g.warnings[0]
    assert resolve_region("331000", meta, "").warnings == []  # agreeing: no warning


def test_extract_never_needs_a_region_and_says_what_it_found(tmp_path: Path) -> None:
    p = tmp_path / "x.txt"
    p.write_text("2026年X省政府工作报告\n今年地区生产总值增长5%左右。\n", encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "gongfu", "plan", "extract", str(p)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr
    assert '"year": 2026' in out.stdout
    assert "x.txt:" in out.stderr and "报告年份: 2026" in out.stderr and "警告" in out.stderr


def test_ingest_asks_for_a_region_only_when_the_document_gives_none(db, tmp_path: Path) -> None:
    p = tmp_path / "x.txt"
    p.write_text("2026年X省政府工作报告\n今年地区生产总值增长5%左右。\n", encoding="utf-8")
    with pytest.raises(InputError, match="--region"):
        ingest(db, [p])
    with db.session() as s:
        assert s.query(PlanRow).count() == 0  # nothing stored
    (r,) = ingest(db, [p], region="330000")
    assert r.region_code == "330000" and r.created


def test_every_labelled_document_reads_without_a_region() -> None:
    files = sorted((DATA / "unseen").glob("*.txt")) + sorted((DATA / "corpus").glob("*.txt"))
    for f in files:
        plan = read_plan(f)  # must not raise
        assert plan.summary.startswith(f.name)


def test_plan_show_outline_prints_each_parts_time_scope(db_url: str, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from gongfu.cli import _register, app

    _register()
    p = tmp_path / "report.txt"
    p.write_text(
        "2026年北京市政府工作报告\n一、2025年工作回顾\n全年实现地区生产总值5.2万亿元。\n"
        "二、“十五五”时期主要目标任务\n地区生产总值年均增长5%左右。\n三、2026年重点工作\n城镇新增就业28万人。\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    ingested = runner.invoke(app, ["--db", db_url, "plan", "ingest", str(p)], env={"COLUMNS": "200"})
    assert ingested.exit_code == 0, ingested.output
    shown = runner.invoke(app, ["--db", db_url, "plan", "show", "1", "--outline"], env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    lines = shown.output.splitlines()
    assert any("体裁: 政府工作报告" in line and "报告年份: 2026" in line for line in lines)
    assert any("2025年工作回顾" in line and "回顾" in line.split("〔")[-1] for line in lines)
    assert any("“十五五”时期" in line and "2030" in line for line in lines)
    assert any("2026年重点工作" in line and "今年 → 2026" in line for line in lines)
