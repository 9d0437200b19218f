"""The grassroots loop through the real CLI on both databases: intake, queue, moves, measures, evaluation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gongfu.cli import _register, app

TOWN, COUNTY = "330411002", "330411"
NOW = "2026-03-02T09:00:00+08:00"


@pytest.fixture
def cli(db_url: str):
    _register()
    runner = CliRunner()

    def run(*args: str, ok: bool = True):
        result = runner.invoke(app, ["--db", db_url, *args], env={"COLUMNS": "200"})
        if ok:
            assert result.exit_code == 0, result.output
        return result

    return run


def test_a_dispute_goes_round_the_loop_and_its_rate_reaches_the_evaluation(cli, tmp_path: Path) -> None:
    plan = tmp_path / "plan-synthetic.txt"
    plan.write_text("秀洲区共同富裕行动方案(2021—2026年)\n一、主要目标\n到2026年,矛盾纠纷化解率达到95%以上。\n",
                    encoding="utf-8")  # fmt: skip
    cli("plan", "ingest", str(plan), "--region", COUNTY)
    taken = json.loads(
        cli(
            "cases",
            "intake",
            "邻里因排水沟堵塞发生纠纷（合成）",
            "--region",
            TOWN,
            "--kind",
            "矛盾纠纷",
            "--category",
            "城乡建设",
            "--now",
            NOW,
            "--format",
            "json",
        ).stdout
    )
    cid = str(taken["id"])
    assert taken["status_zh"] == "受理"
    assert cid in cli("cases", "queue", "--region", COUNTY, "--format", "json").stdout

    refused = cli("cases", "move", cid, "办结", "--note", "已调解", "--now", NOW, ok=False)
    assert refused.exit_code != 0  # not yet dispatched and signed
    cli("cases", "move", cid, "分派", "--unit", "司法所", "--level", "town", "--now", NOW)
    cli("cases", "move", cid, "签收", "--now", NOW)
    no_note = cli("cases", "move", cid, "办结", "--now", NOW, ok=False)
    assert no_note.exit_code != 0  # closing needs a handling note
    cli("cases", "move", cid, "办结", "--note", "双方达成调解协议", "--now", NOW)
    cli("cases", "move", cid, "回访", "--satisfaction", "satisfied", "--now", NOW)
    assert cid not in cli("cases", "queue", "--region", COUNTY, "--format", "json").stdout

    cli(
        "cases",
        "measures",
        "--region",
        COUNTY,
        "--year",
        "2026",
        "--now",
        "2026-04-30T12:00:00+08:00",
        "--save",
    )
    records = json.loads(cli("evaluate", "--region", COUNTY, "--format", "json").stdout)
    [rate] = [r for r in records if r["indicator_code"] == "dispute_resolution_rate"]
    assert (rate["latest"], rate["latest_year"]) == (pytest.approx(100.0), 2026)
    assert rate["achieved"] and rate["colour"] == "green"
