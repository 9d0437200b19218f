"""User administration and Chinese state names in the CLI (issue 15, “Also”)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from gongfu.access import AuthFailed, LockedOut, add_user, authenticate, disable_user
from gongfu.access.accounts import enable_user, reset_password, unlock_user
from gongfu.store.access_tables import AuditEventRow

PASSWORD = "synthetic-pass-1"


@pytest.fixture
def cli(db_url: str):
    from gongfu.cli import _register, app

    _register()

    def run(*args: str):
        return CliRunner().invoke(app, ["--db", db_url, *args], env={"COLUMNS": "200"})

    return run


def test_unlock_lifts_the_block_and_enable_and_reset_work(db) -> None:
    add_user(db, "zhang", role="analyst", region="330411", password=PASSWORD, by="test")
    for _ in range(5):
        with pytest.raises(AuthFailed):
            authenticate(db, "zhang", "wrong-password-x")
    with pytest.raises(LockedOut):
        authenticate(db, "zhang", PASSWORD)  # blocked: even the right password
    unlock_user(db, "zhang", by="admin")
    assert authenticate(db, "zhang", PASSWORD).name == "zhang"
    disable_user(db, "zhang", by="admin")
    with pytest.raises(AuthFailed):
        authenticate(db, "zhang", PASSWORD)
    assert enable_user(db, "zhang", by="admin") and not enable_user(db, "zhang", by="admin")
    assert authenticate(db, "zhang", PASSWORD).name == "zhang"
    new, _ = reset_password(db, "zhang", by="admin")
    with pytest.raises(AuthFailed):
        authenticate(db, "zhang", PASSWORD)
    assert len(new) >= 16 and authenticate(db, "zhang", new).name == "zhang"
    with db.session() as s:
        actions = {e.action for e in s.query(AuditEventRow).filter(AuditEventRow.object_id == "zhang")}
    assert {"user.unlock", "user.enable", "user.password"} <= actions


def test_user_commands(cli, db) -> None:
    add_user(db, "li", role="viewer", region="330411", password=PASSWORD, by="test")
    assert cli("user", "disable", "li").exit_code == 0
    r = cli("user", "enable", "li")
    assert r.exit_code == 0 and "已启用用户 li" in r.stdout
    r = cli("user", "unlock", "li")
    assert r.exit_code == 0 and "已解除" in r.stdout
    r = cli("user", "reset-password", "li")
    assert r.exit_code == 0
    new = r.stdout.strip().splitlines()[-1]
    assert authenticate(db, "li", new).name == "li"


def test_finding_states_in_chinese(cli, tmp_path, monkeypatch) -> None:
    from work_seed import COUNTY_A, synthetic_xlsx

    monkeypatch.setenv("GONGFU_CLI_REGION", COUNTY_A)
    assert cli("task", "import", str(synthetic_xlsx(tmp_path / "s.xlsx", 1)), "--list", "reform", "--region",
               COUNTY_A, "--year", "2024").exit_code == 0  # fmt: skip
    assert cli("finding", "add", "合成问题", "--task", "1").exit_code == 0
    r = cli("finding", "move", "1", "已交办")
    assert r.exit_code == 0, r.output
    assert "→ 已交办（assigned）" in r.stdout
    r = cli("finding", "list", "--region", COUNTY_A, "--state", "已交办", "--format", "json")
    assert r.exit_code == 0 and '"state": "assigned"' in r.stdout


def test_report_for_a_region_without_a_plan_is_an_error_not_an_empty_document(cli, tmp_path) -> None:
    out = tmp_path / "empty.docx"
    r = cli("report", "--region", "330881", "--year", "2024", "--format", "docx", "--out", str(out))
    assert r.exit_code != 0 and not out.exists()
    assert "没有已导入的行动方案目标" in f"{r.output}{r.exception}"


def test_plan_ingest_refuses_the_same_plan_in_another_encoding(cli, tmp_path, monkeypatch) -> None:
    from pathlib import Path

    src = Path(__file__).parent / "data/plans/jiangshan-2021-2025-common-prosperity-action-plan.txt"
    gb = tmp_path / "jiangshan-gb18030.txt"
    gb.write_bytes(src.read_text(encoding="utf-8").encode("gb18030"))
    assert cli("plan", "ingest", str(src)).exit_code == 0
    r = cli("plan", "ingest", str(gb))
    assert r.exit_code != 0 and "--replace" in f"{r.output}{r.exception}"
    r = cli("plan", "ingest", str(gb), "--replace")
    assert r.exit_code == 0 and "第2版，替代方案 1" in r.stdout
    monkeypatch.setenv("GONGFU_CLI_REGION", "330881")
    r = cli("task", "from-plan", "1")
    assert r.exit_code != 0 and "已被新版本" in f"{r.output}{r.exception}"
