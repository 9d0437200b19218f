"""12345 exports as they come: a GBK CSV, the town and village columns of common exports (所属镇街,
所属村社), and the columns we do not read listed rather than silently dropped."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from typer.testing import CliRunner

from gongfu.cases.hotline import read_export, read_export_result
from gongfu.cli import _register, app

HEADER = "工单编号,来电时间,诉求内容,诉求分类,所属区县,所属镇街,所属村社,满意度,办理时限\n"
ROWS = "G1,2026-03-02 09:15,路灯不亮（合成）,城乡建设,南湖区,建设街道,某社区,满意,3\n"


def test_town_and_village_columns_route_to_the_town(tmp_path: Path) -> None:
    f = tmp_path / "synthetic-12345.csv"
    f.write_text(HEADER + ROWS, encoding="utf-8")
    result = read_export_result(f)
    [d] = result.drafts
    assert d.region == "330402007" and d.village == "某社区"  # 建设街道 within 南湖区
    assert result.unknown == ["满意度", "办理时限"]


def test_town_column_alone(tmp_path: Path) -> None:
    f = tmp_path / "synthetic-town.csv"
    f.write_text("工单编号,诉求内容,镇街,村社\nT1,噪音（合成）,330402007,某村\n", encoding="utf-8")
    [d] = read_export(f)
    assert (d.region, d.village) == ("330402007", "某村")


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_gbk_export_imports_through_the_cli(db_url: str, tmp_path: Path, encoding: str) -> None:
    """This file used to end in a raw UnicodeDecodeError, 内部错误, exit 70."""
    _register()
    f = tmp_path / f"synthetic-12345-{encoding}.csv"
    f.write_bytes((HEADER + ROWS).encode(encoding))
    env = {
        "COLUMNS": "200",
        "GONGFU_CONTACT_KEY": Fernet.generate_key().decode(),
        "GONGFU_CASE_MODEL": str(tmp_path / "absent.joblib"),
    }
    r = CliRunner().invoke(app, ["--db", db_url, "cases", "import", str(f), "--now", "2026-03-02T09:30:00+08:00"],
                           env=env)  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "受理 1 件" in r.stdout
    assert "未识别的列（已忽略）：满意度、办理时限" in r.stderr
