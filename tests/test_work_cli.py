"""The task, finding and policy commands through the real entry point, `gongfu.cli.main` (synthetic data,
SQLite)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from gongfu.access import add_user
from gongfu.store.db import open_db
from work_seed import COUNTY_A, PDF, synthetic_xlsx

PASSWORD = "synthetic-pass-1"


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """`gongfu ARGS` run in this process (Click's test runner: the same app, options, output and exit codes
    as the installed command, without an interpreter start per call)."""
    from typer.testing import CliRunner

    from gongfu.cli import main

    url = f"sqlite:///{tmp_path / 'gongfu.db'}"
    db = open_db(url)
    add_user(db, "unit_a", role="reporter", region=COUNTY_A, password=PASSWORD, by="test")
    add_user(db, "county_a", role="analyst", region=COUNTY_A, password=PASSWORD, by="test")
    db.engine.dispose()
    monkeypatch.chdir(tmp_path)

    def run(*args: str) -> subprocess.CompletedProcess:
        argv, code = sys.argv, 0
        with CliRunner().isolation(env={"COLUMNS": "200", "GONGFU_CLI_REGION": "330000"}) as (out, err, _):
            sys.argv = ["gongfu", "--db", url, *args]
            try:
                main()  # the command's own entry point: its error lines and exit codes
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            finally:
                sys.argv = argv
            return subprocess.CompletedProcess(args, code, out.getvalue().decode(), err.getvalue().decode())

    return run


def test_import_list_report_checkoff_and_exports(cli, tmp_path: Path) -> None:
    xlsx = synthetic_xlsx(tmp_path / "synthetic-list.xlsx", 4)
    r = cli("task", "import", str(xlsx), "--list", "key_tasks", "--region", COUNTY_A, "--year", "2024")
    assert r.returncode == 0, r.stderr
    assert "导入 4 项任务" in r.stdout
    r = cli("task", "list", "--region", COUNTY_A, "--overdue", "--as-of", "2024-07-15", "--format", "json")
    over = json.loads(r.stdout)
    assert [t["title"] for t in over] == ["合成任务1", "合成任务2"] and all(
        t["status"] == "滞后" for t in over
    )
    table = cli("task", "list", "--region", COUNTY_A, "--as-of", "2024-07-15")
    assert table.returncode == 0 and "合成任务3" in table.stdout
    (tmp_path / "synthetic.pdf").write_bytes(PDF)
    r = cli("task", "report", "1", "--percent", "100", "--note", "完成（合成）", "--on", "2024-03-20",
            "--evidence", str(tmp_path / "synthetic.pdf"), "--as", "unit_a")  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "sha256=" in r.stdout
    r = cli("task", "checkoff", "1", "--as", "county_a")
    assert r.returncode == 77 and "上级" in r.stderr  # the county may not approve its own
    assert cli("task", "checkoff", "1").returncode == 0  # the local admin over the province may
    now = json.loads(cli("task", "list", "--region", COUNTY_A, "--format", "json").stdout)
    assert {t["id"]: t["status"] for t in now}[1] == "已销号"
    out = tmp_path / "battle.xlsx"
    r = cli(
        "task",
        "battle-map",
        "--region",
        COUNTY_A,
        "--year",
        "2024",
        "--as-of",
        "2024-07-15",
        "--out",
        str(out),
    )
    assert r.returncode == 0, r.stderr
    ws = openpyxl.load_workbook(out).active
    head = [c.value for c in ws[3]]
    assert head[:3] == ["清单", "序号", "任务"] and head[-1] == "12月"
    rows = {r[2].value: r for r in ws.iter_rows(min_row=4)}
    task1 = rows["合成任务1"]  # due 31 March, nothing by the end of January, done on 20 March
    assert task1[9].fill.fgColor.rgb.endswith("FFC7CE") and task1[11].fill.fgColor.rgb.endswith("C6EFCE")
    assert task1[8].value == "已完成" and task1[11].value == "▲"  # checked off after the as-of day
    assert rows["合成任务2"][14].fill.fgColor.rgb.endswith("FFC7CE")  # June: lagging red
    assert rows["合成任务2"][20].fill.fgColor.rgb in (None, "00000000")  # December: not yet
    r = cli("task", "accountability", "区发改局", "--region", COUNTY_A, "--out", str(tmp_path / "acc.xlsx"),
            "--as-of", "2024-07-15")  # fmt: skip
    assert r.returncode == 0, r.stderr
    r = cli("finding", "add", "合成：进度滞后", "--task", "2", "--deadline", "2024-08-31")
    assert r.returncode == 0, r.stderr
    r = cli("task", "notice", "区经信局", "--region", COUNTY_A, "--out", str(tmp_path / "notice.docx"),
            "--as-of", "2024-07-15")  # fmt: skip
    assert r.returncode == 0, r.stderr
    text = "\n".join(p.text for p in Document(str(tmp_path / "notice.docx")).paragraphs)
    cells = [
        c.text for t in Document(str(tmp_path / "notice.docx")).tables for row in t.rows for c in row.cells
    ]
    assert "督 办 单" in text and "区经信局" in text
    assert "合成：进度滞后" not in cells  # raised today: on 2024-07-15 it did not exist yet
    r = cli("task", "notice", "区经信局", "--region", COUNTY_A, "--out", str(tmp_path / "today.docx"))
    assert r.returncode == 0, r.stderr
    cells = [
        c.text for t in Document(str(tmp_path / "today.docx")).tables for row in t.rows for c in row.cells
    ]
    assert "合成任务2" in cells and "合成：进度滞后" in cells


def test_bad_excel_exits_65_listing_rows(cli, tmp_path: Path) -> None:
    xlsx = synthetic_xlsx(tmp_path / "synthetic-bad.xlsx", 1)
    wb = openpyxl.load_workbook(xlsx)
    wb.active.append([2, "合成任务2", None, None, "某天", ""])
    wb.save(xlsx)
    r = cli("task", "import", str(xlsx), "--list", "key_tasks", "--region", COUNTY_A, "--year", "2024")
    assert (
        r.returncode == 65
        and "synthetic-bad.xlsx:4 牵头单位列 [no-lead-unit]" in r.stderr
        and "[bad-deadline]" in r.stderr
    )


def test_importing_twice_reports_the_tasks_already_present(cli, tmp_path: Path) -> None:
    xlsx = synthetic_xlsx(tmp_path / "synthetic-list.xlsx", 3)
    args = ("task", "import", str(xlsx), "--list", "key_tasks", "--region", COUNTY_A, "--year", "2024")
    assert cli(*args).returncode == 0
    r = cli(*args)
    assert r.returncode == 0, r.stderr
    assert "导入 0 项任务" in r.stdout and "已存在 3 项，未重复导入" in r.stdout
    rows = json.loads(cli("task", "list", "--region", COUNTY_A, "--format", "json").stdout)
    assert sorted(t["seq"] for t in rows) == ["1", "2", "3"]


def test_import_help_names_no_fixed_year(cli) -> None:
    r = cli("task", "import", "--help")
    assert r.returncode == 0 and "2024年" not in r.stdout and "YYYY年重点任务清单" in r.stdout


def test_finding_move_not_allowed_exits_nonzero_naming_allowed_states(cli, tmp_path: Path) -> None:
    cli("task", "import", str(synthetic_xlsx(tmp_path / "s.xlsx", 1)), "--list", "reform", "--region", COUNTY_A,
        "--year", "2024")  # fmt: skip
    assert cli("finding", "add", "合成问题", "--task", "1").returncode == 0
    r = cli("finding", "move", "1", "closed")
    assert r.returncode != 0 and "可转到: assigned" in r.stderr
    assert cli("finding", "move", "1", "assigned").returncode == 0
    r = cli("finding", "move", "1", "rectifying")  # the admin may not rectify: the unit does
    assert r.returncode != 0 and "rectifying（reporter）" in r.stderr
    r = cli("finding", "move", "1", "rectifying", "--as", "unit_a")
    assert r.returncode == 0 and "submitted" in r.stdout
    listed = json.loads(cli("finding", "list", "--region", COUNTY_A, "--format", "json").stdout)
    assert listed[0]["state"] == "rectifying"
    zh = json.loads(
        cli("finding", "list", "--region", COUNTY_A, "--state", "整改中", "--format", "json").stdout
    )
    assert [f["id"] for f in zh] == [1]  # a state by its Chinese name
    from datetime import timedelta

    from gongfu import clock

    yesterday = (clock.today() - timedelta(days=1)).isoformat()  # the finding was raised today
    before = cli("finding", "list", "--region", COUNTY_A, "--as-of", yesterday, "--format", "json")
    assert before.returncode == 0 and json.loads(before.stdout) == [], before.stderr


def test_policy_add_search_link(cli, tmp_path: Path) -> None:
    cli("task", "import", str(synthetic_xlsx(tmp_path / "s.xlsx", 1)), "--list", "key_tasks", "--region",
        COUNTY_A, "--year", "2024")  # fmt: skip
    (tmp_path / "p.txt").write_text("（合成）实施居民收入和中等收入群体双倍增计划。", encoding="utf-8")
    r = cli("policy", "add", "关于扩大中等收入群体的实施意见（合成）", "--region", COUNTY_A, "--text",
            str(tmp_path / "p.txt"))  # fmt: skip
    assert r.returncode == 0, r.stderr
    found = json.loads(cli("policy", "search", "双倍增", "--region", COUNTY_A, "--format", "json").stdout)
    assert [p["title"] for p in found] == ["关于扩大中等收入群体的实施意见（合成）"]
    r = cli("policy", "link", "1", "--task", "1", "--indicator", "urban_rural_income_ratio")
    assert r.returncode == 0, r.stderr
    got = json.loads(cli("policy", "indicator", "urban_rural_income_ratio", "--region", COUNTY_A).stdout)
    assert [t["id"] for t in got["tasks"]] == [1] and got["policies"][0]["id"] == 1


def test_policy_text_in_gb18030_or_docx(cli, tmp_path: Path) -> None:
    """`policy add --text` used to crash on a GB18030 text file and on a .docx."""
    gb = tmp_path / "synthetic-gb18030.txt"
    gb.write_bytes("（合成）推进城乡公交一体化，𠮷字也能读。".encode("gb18030"))
    doc = Document()
    doc.add_paragraph("（合成）实施农村饮用水达标提标行动。")
    doc.save(tmp_path / "synthetic-policy.docx")
    for title, f in (("公交政策（合成）", gb), ("饮水政策（合成）", tmp_path / "synthetic-policy.docx")):
        r = cli("policy", "add", title, "--region", COUNTY_A, "--text", str(f))
        assert r.returncode == 0, r.stderr
    for word, title in (("公交一体化", "公交政策（合成）"), ("饮用水", "饮水政策（合成）")):
        found = json.loads(cli("policy", "search", word, "--region", COUNTY_A, "--format", "json").stdout)
        assert [p["title"] for p in found] == [title]
