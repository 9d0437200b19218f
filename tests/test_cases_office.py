"""What a dispatcher relies on (issue 15, items 7–8): corrections only to categories the model knows, and
retraining with them; escalation of overdue requests never dispatched; the queue after 退单; warnings with
their reasons; one definition of a repeat for the warnings and the monthly rate. All data synthetic."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gongfu.cases import report
from gongfu.cases.actor import operator
from gongfu.cases.classify import Prediction
from gongfu.cases.corrections import reclassify
from gongfu.cases.intake import CaseDraft, intake_many
from gongfu.cases.moves import escalate_overdue, move
from gongfu.cases.queries import get_case, queue, warnings_board
from gongfu.errors import InputError

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # Monday 09:00 in Beijing
TOWN = "330402007"
OP = operator("tester")
KNOWN = frozenset({"城乡建设", "交通运输", "环境保护"})


@pytest.fixture(autouse=True)
def _contact_key(monkeypatch):
    from cryptography.fernet import Fernet

    monkeypatch.setenv("GONGFU_CONTACT_KEY", Fernet.generate_key().decode())


class FakeClassifier:
    version = "fake-1"
    labels = sorted(KNOWN)

    def predict(self, subjects, bodies):
        return [Prediction("城乡建设", 0.55, "交通运输", 0.2) for _ in bodies]


def _take(db, *drafts: CaseDraft, now=T0) -> list[int]:
    return intake_many(db, OP, list(drafts), classifier=FakeClassifier(), now=now).ids


def test_reclassify_refuses_a_category_the_model_does_not_know_and_reports_the_previous_one(db):
    [cid] = _take(db, CaseDraft("学校门口道路拥堵（合成）", TOWN))
    with pytest.raises(InputError, match=r"政法.*不在分类模型的类别中"):
        reclassify(db, OP, cid, "政法", known=KNOWN)
    assert get_case(db, OP, cid)["service_name"] == "城乡建设"  # unchanged
    first = reclassify(db, OP, cid, "交通运输", known=KNOWN)
    second = reclassify(db, OP, cid, "环境保护", known=KNOWN)
    assert (first["previous"], first["previous_source"]) == ("城乡建设", "model")
    assert (second["previous"], second["previous_source"]) == ("交通运输", "human")


def test_train_with_corrections_works_after_a_correction(db_url: str, tmp_path: Path, monkeypatch):
    from gongfu.cli import _register, app

    _register()
    rows = [("道路坑洼不平", "交通运输"), ("公交站台破损", "交通运输"), ("红绿灯不亮", "交通运输"),
            ("小区违章搭建", "城乡建设"), ("楼道堆放杂物", "城乡建设"), ("房屋漏水无人修", "城乡建设"),
            ("工厂排放废水", "环境保护"), ("夜间噪音扰民", "环境保护"), ("河道垃圾漂浮", "环境保护")]  # fmt: skip
    data = tmp_path / "synthetic-labelled.csv"
    with data.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["subject", "body", "label"])
        for i in range(3):
            w.writerows((f"{t}{i}", f"{t}，请尽快处理（合成{i}）", lab) for t, lab in rows)
    model = tmp_path / "model.joblib"
    run = lambda *a: CliRunner().invoke(app, ["--db", db_url, *a], env={"COLUMNS": "200"})  # noqa: E731
    assert run("cases", "train", str(data), "--holdout", "0", "--model", str(model)).exit_code == 0
    taken = run(
        "cases", "intake", "路口信号灯坏了", "--region", TOWN, "--model", str(model), "--format", "json"
    )
    assert taken.exit_code == 0, taken.output
    refused = run("cases", "reclassify", "1", "政法", "--model", str(model))
    assert refused.exit_code != 0 and "不在分类模型的类别中" in f"{refused.output}{refused.exception}"
    ok = run("cases", "reclassify", "1", "城乡建设", "--model", str(model))
    assert ok.exit_code == 0 and "→ 城乡建设" in ok.stdout
    again = run("cases", "train", str(data), "--holdout", "0", "--model", str(model), "--with-corrections")
    assert again.exit_code == 0, again.output
    assert "并入人工更正 1 条" in again.stdout


def test_escalation_includes_overdue_requests_never_dispatched(db):
    [waiting, sent] = _take(db, CaseDraft("路灯不亮（合成）", TOWN), CaseDraft("井盖缺失（合成）", TOWN))
    move(db, OP, sent, "dispatch", now=T0)
    moved = escalate_overdue(db, T0 + timedelta(days=30))
    assert {m["id"] for m in moved} == {waiting, sent}
    m = next(m for m in moved if m["id"] == waiting)
    assert m["from"] == "received" and m["to"] == "dispatched" and m["reason"] == "超期未分派，自动升级"
    assert get_case(db, OP, waiting)["level"] == "county"


def test_after_a_return_the_queue_no_longer_names_the_returning_unit(db):
    [cid] = _take(db, CaseDraft("小区道路破损（合成）", TOWN, grid="G03"))
    first = move(db, OP, cid, "dispatch", now=T0)
    out = move(db, OP, cid, "return", reason="不属于本乡镇职责", now=T0)
    assert out["unit"] and out["unit"] in first["unit"]  # the event keeps who returned it
    [q] = queue(db, OP)
    assert q["id"] == cid and q["agency_responsible"] == ""
    with pytest.raises(InputError, match="已退单"):
        move(db, OP, cid, "dispatch", now=T0)  # routing would send it back to the unit that returned it


def test_monthly_repeat_rate_agrees_with_the_warnings(db):
    # three requests about one grid from three reporters, and one elsewhere: two repeats
    ids = _take(db, CaseDraft("垃圾清运不及时（合成）", TOWN, grid="G09", contact="13700000001"),
                CaseDraft("垃圾清运不及时（合成）", TOWN, grid="G09", contact="13700000002"),
                CaseDraft("垃圾清运不及时（合成）", TOWN, grid="G09", contact="13700000003"),
                CaseDraft("路面积水（合成）", TOWN, grid="G01"))  # fmt: skip
    board = warnings_board(db, OP, now=T0 + timedelta(hours=2))
    flagged = {w["id"] for w in board if any("重复" in r for r in w["warning_reasons"])}
    assert flagged == {ids[1], ids[2]}
    rate = next(
        m for m in report.compute(db, OP, region=TOWN, asof=T0 + timedelta(days=1)) if m.measure == "repeat"
    )
    assert (rate.numerator, rate.denominator) == (len(flagged), 4)


def test_warnings_table_has_a_reasons_column(db_url: str, monkeypatch):
    from gongfu.cli import _register, app

    _register()
    run = lambda *a: CliRunner().invoke(app, ["--db", db_url, *a], env={"COLUMNS": "250"})  # noqa: E731
    now = "2026-03-02T09:00:00+08:00"
    assert run("cases", "intake", "井盖缺失（合成）", "--region", TOWN, "--category", "城乡建设", "--now", now,
               "--urgency", "urgent").exit_code == 0  # fmt: skip
    out = run("cases", "warnings", "--now", "2026-04-30T09:00:00+08:00")
    assert out.exit_code == 0 and "预警原因" in out.stdout and "已超期" in out.stdout


def test_cli_intake_and_moves_print_a_summary_and_reclassify_reports_what_came_before(db_url: str):
    import json

    from gongfu.cli import _register, app

    _register()
    run = lambda *a: CliRunner().invoke(app, ["--db", db_url, *a], env={"COLUMNS": "200"})  # noqa: E731
    now = "2026-03-02T09:00:00+08:00"
    taken = run(
        "cases", "intake", "井盖缺失（合成）", "--region", TOWN, "--category", "城乡建设", "--now", now
    )
    assert taken.exit_code == 0, taken.output
    assert (
        taken.stdout.startswith("诉求 1 已") and "分类：城乡建设（指定）" in taken.stdout
    )  # readable, not JSON
    moved = run("cases", "move", "1", "分派", "--now", now)
    assert moved.exit_code == 0 and moved.stdout.startswith("诉求 1：") and "→" in moved.stdout, moved.output
    as_json = json.loads(run("cases", "move", "1", "签收", "--now", now, "--format", "json").stdout)
    assert as_json["id"] == 1 and as_json["action"] == "sign"
    first = run("cases", "reclassify", "1", "交通运输")
    assert first.exit_code == 0 and "分类 城乡建设 → 交通运输" in first.stdout, first.output
    second = json.loads(run("cases", "reclassify", "1", "环境保护", "--format", "json").stdout)
    assert (second["previous"], second["previous_source"], second["category"]) == (
        "交通运输",
        "human",
        "环境保护",
    )
