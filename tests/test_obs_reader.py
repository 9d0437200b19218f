"""Reading observation files: the real Zhejiang file imports cleanly; broken variants fail whole."""

import csv
from pathlib import Path

import pytest
from openpyxl import Workbook

import gongfu
from gongfu.errors import InputError, ValidationFailed
from gongfu.observations.reader import read_observations, read_observations_result
from gongfu.observations.validate import parse_number, parse_year, split_qualifiers, split_value

DEMO = Path(gongfu.__file__).parent / "data" / "demo" / "zhejiang-sourced-observations.csv"


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(path.read_text(encoding="utf-8").splitlines()))


def _write(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def _find(drafts, region, indicator, year, vintage=""):
    return [
        d for d in drafts if (d.region, d.indicator, d.year, d.vintage) == (region, indicator, year, vintage)
    ]


@pytest.fixture(scope="module")
def demo_drafts():
    return read_observations(DEMO)


def test_the_demo_readme_travels_with_the_data():
    readme = DEMO.with_name("zhejiang-sourced-observations.README.md").read_text(encoding="utf-8")
    assert "Caveats" in readme and "Source list" in readme


def test_real_file_imports_every_row(demo_drafts):
    # 90 rows, of which the two 台州 2021 GDP rows are one figure
    assert len(_rows(DEMO)) - 1 == 90
    assert len(demo_drafts) == 89


def test_billion_yuan_row_is_converted_and_merged_with_its_twin(demo_drafts):
    [gdp] = _find(demo_drafts, "331000", "gdp", 2021)
    assert gdp.value == 5786.19 and gdp.unit == "亿元"
    assert gdp.source_row == 71 and "第71行" in gdp.note and "第72行" in gdp.note


def test_real_figures_come_through_in_catalog_units(demo_drafts):
    [pop] = _find(demo_drafts, "330400", "resident_population", 2020)
    assert pop.value == pytest.approx(540.0868) and pop.unit == "万人"
    assert (pop.original_value, pop.original_unit) == (5400868, "人")
    assert "第七次人口普查" in pop.note and pop.source_row == 37
    [ratio] = _find(demo_drafts, "330000", "urban_rural_income_ratio", 2021)
    assert ratio.value == 1.94 and ratio.unit == "" and ratio.original_unit == "倍(城镇/农村)"
    [income] = _find(demo_drafts, "330000", "per_capita_disposable_income", 2021)
    assert income.value == 57541 and income.source == DEMO.name
    assert income.source_url.startswith("https://epaper.zjgrrb.com") and "57541" in income.source_text


def test_vintages_and_basis_notes_are_read_from_the_indicator_name(demo_drafts):
    assert _find(demo_drafts, "330400", "gdp", 2020, "preliminary")[0].value == 5509.52
    assert _find(demo_drafts, "330400", "gdp", 2020, "final")[0].value == 5563.58
    assert _find(demo_drafts, "330000", "gdp", 2023, "revised")[0].value == 85620
    assert _find(demo_drafts, "330000", "gdp", 2023)[0].value == 82553
    assert _find(demo_drafts, "330881", "gdp", 2024, "estimate")[0].value == 430
    assert _find(demo_drafts, "330411", "gdp", 2021)[0].note == "管理口径"
    assert _find(demo_drafts, "330000", "surveyed_unemployment_rate", 2023)[0].note == "平均值"


def test_gb18030_copy_imports_the_same_and_says_its_encoding(tmp_path):
    gb = tmp_path / "obs-gb18030.csv"
    gb.write_bytes(DEMO.read_text(encoding="utf-8").encode("gb18030"))
    result = read_observations_result(gb)
    assert result.encoding == "gb18030"
    assert [d.value for d in result.drafts] == [d.value for d in read_observations(DEMO)]


def test_bom_and_chinese_headers_are_accepted(tmp_path):
    rows = [["地区", "指标", "数值", "单位", "年份"], ["臺州市", "城鄉居民收入比", "1.94:1", "", "2020年"]]
    path = _write(tmp_path / "zh.csv", rows, encoding="utf-8-sig")
    result = read_observations_result(path)
    assert result.encoding == "utf-8-sig"
    [d] = result.drafts
    assert (d.region, d.indicator, d.value, d.year) == ("331000", "urban_rural_income_ratio", 1.94, 2020)


def test_broken_rows_fail_the_whole_file_and_each_is_named(tmp_path):
    rows = _rows(DEMO)
    rows[9][3] = "120"  # 常住人口城镇化率 2021 -> 120 %, row 10
    rows[20][0], rows[20][1] = "火星市", ""  # unknown region, row 21
    rows[30][3] = "约六千"  # not a number, row 31
    rows[40][4] = "斤斤"  # unknown unit, row 41
    rows[50][5] = "二〇二二"  # bad year, row 51
    rows[60][2] = "开心指数"  # unknown indicator, row 61
    path = _write(tmp_path / "broken.csv", rows)
    with pytest.raises(ValidationFailed) as err:
        read_observations(path)
    exc = err.value
    assert exc.file == "broken.csv" and "broken.csv" in str(exc)
    got = {(p.row, p.code) for p in exc.problems}
    assert got == {
        (10, "impossible_value"),
        (21, "unknown_region"),
        (31, "bad_number"),
        (41, "unknown_unit"),
        (51, "bad_year"),
        (61, "unknown_indicator"),
    }
    assert all(p.message for p in exc.problems)


def test_incompatible_unit_and_conflicting_duplicate_are_problems(tmp_path):
    header = ["region_code", "indicator", "value", "unit", "year"]
    rows = [
        header,
        ["330400", "地区生产总值", "7062.5", "亿元", "2023"],
        ["330400", "地区生产总值", "7100", "亿元", "2023"],
        ["330400", "常住人口城镇化率", "72", "元", "2023"],
        ["330400", "城乡居民收入比", "-1.5", "", "2023"],
    ]
    with pytest.raises(ValidationFailed) as err:
        read_observations(_write(tmp_path / "dup.csv", rows))
    got = {(p.row, p.code) for p in err.value.problems}
    assert got == {(3, "duplicate"), (4, "incompatible_unit"), (5, "impossible_value")}


def test_missing_columns_are_reported_together(tmp_path):
    path = _write(tmp_path / "cols.csv", [["地区", "指标", "数值"], ["台州市", "地区生产总值", "1"]])
    with pytest.raises(ValidationFailed) as err:
        read_observations(path)
    assert {(p.code, p.column) for p in err.value.problems} == {
        ("missing_column", "unit"),
        ("missing_column", "year"),
    }


def test_truncated_xlsx_is_an_input_error_naming_the_file(tmp_path):
    good = tmp_path / "good.xlsx"
    wb = Workbook()
    wb.active.append(["region", "indicator", "value", "unit", "year"])
    wb.active.append(["台州市", "地区生产总值", 5786.19, "亿元", 2021])
    wb.save(good)
    assert read_observations(good)[0].value == 5786.19
    bad = tmp_path / "truncated.xlsx"
    bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(InputError) as err:
        read_observations(bad)
    assert err.value.file == "truncated.xlsx" and "XLSX" in err.value.reason


def _yearbook(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["指标", "单位", "2019", "2020年", "2021年"])
    ws.append(["全市生产总值", "亿元", 5134.05, 5262.72, "5,786.19"])
    ws.append(["城乡收入倍差（synthetic label）", None, None, 1.94, 1.92])
    wb.save(path)
    return path


def test_wide_yearbook_with_toml_mapping(tmp_path):
    book = _yearbook(tmp_path / "yearbook.xlsx")
    mapping = tmp_path / "map.toml"
    mapping.write_text(
        'region = "331000"\nsource_url = "https://example.org/yearbook"\n'
        "[indicators]\n"
        '"城乡收入倍差（synthetic label）" = { code = "urban_rural_income_ratio", unit = "" }\n',
        encoding="utf-8",
    )
    result = read_observations_result(book, mapping=mapping)
    assert result.layout == "wide"
    got = {(d.indicator, d.year): d.value for d in result.drafts}
    assert got == {
        ("gdp", 2019): 5134.05, ("gdp", 2020): 5262.72, ("gdp", 2021): 5786.19,
        ("urban_rural_income_ratio", 2020): 1.94, ("urban_rural_income_ratio", 2021): 1.92,
    }  # fmt: skip
    assert {d.region for d in result.drafts} == {"331000"}
    assert all(d.source_row in (2, 3) for d in result.drafts)


def test_wide_yearbook_with_csv_mapping_and_without_one(tmp_path):
    book = _yearbook(tmp_path / "yearbook.xlsx")
    mapping = _write(
        tmp_path / "map.csv",
        [
            ["label", "indicator", "unit"],
            ["@region", "台州市", ""],
            ["城乡收入倍差（synthetic label）", "urban_rural_income_ratio", ""],
        ],
    )
    assert len(read_observations(book, mapping=mapping)) == 5
    with pytest.raises(ValidationFailed) as err:
        read_observations(book)
    assert err.value.problems[0].code == "missing_column"


def test_number_and_year_parsing():
    assert parse_number("１２，３４５.６") == 12345.6
    assert parse_number("1.94:1") == 1.94
    assert parse_number("72.7%") == 72.7
    assert parse_number("-") is None and parse_number("") is None and parse_number("n/a") is None
    assert split_value("72.4%") == (72.4, "%") and split_value("5 786.19 亿元") == (5786.19, "亿元")
    assert split_value("1.94：1") == (1.94, ":1") and split_value("1.2万") == (None, "")
    assert parse_year("2021年") == 2021 and parse_year("2021.0") == 2021 and parse_year("21") is None


def test_split_qualifiers_keeps_names_that_are_not_qualifiers():
    assert split_qualifiers("地区生产总值（初步核算）") == ("地区生产总值", "preliminary", "")
    assert split_qualifiers("地區生產總值(最終核實)") == ("地区生产总值", "final", "")
    assert split_qualifiers("地区生产总值(五经普修订)")[1] == "revised"
    assert split_qualifiers("地区生产总值(预计数)")[1] == "estimate"
    assert split_qualifiers("地区生产总值(小口径)") == ("地区生产总值", "", "小口径")
    assert split_qualifiers("R&D经费支出占GDP比重(研发投入强度)")[0] == "R&D经费支出占GDP比重(研发投入强度)"


def test_demo_copy_is_byte_identical_to_the_shared_source():
    shared = Path("/work/shared/data/zhejiang-sourced-observations.csv")
    if not shared.is_file():
        pytest.skip("shared data not mounted")
    assert DEMO.read_bytes() == shared.read_bytes()


def _long(tmp_path: Path, rows: list[list[str]], name: str = "cells.csv") -> Path:
    return _write(tmp_path / name, [["region_code", "indicator", "value", "unit", "year"], *rows])


def _problems(path: Path, **kw) -> set[tuple[int | None, str, str | None]]:
    with pytest.raises(ValidationFailed) as err:
        read_observations(path, **kw)
    return {(p.row, p.code, p.column) for p in err.value.problems}


def test_unit_in_the_cell_that_contradicts_the_unit_column_is_a_conflict(tmp_path):
    path = _long(
        tmp_path,
        [
            ["330000", "货物贸易出口占全国比重", "72.4%", "‰", "2021"],  # was stored as 7.24 %
            ["330000", "地区生产总值", "5%", "亿元", "2021"],  # was stored as 5 亿元
            ["330000", "常住人口城镇化率", "72.7%", "%", "2021"],  # agrees: fine on its own
        ],
    )
    assert _problems(path) == {(2, "unit_conflict", "value"), (3, "unit_conflict", "value")}


def test_unit_in_the_cell_is_used_when_the_unit_column_is_empty(tmp_path):
    path = _long(
        tmp_path,
        [
            ["330000", "常住人口城镇化率", "72.7%", "", "2021"],
            ["331000", "地区生产总值", "5786.19亿元", "", "2021"],
        ],
    )
    got = {(d.indicator, d.value, d.original_unit) for d in read_observations(path)}
    assert got == {("urbanisation_rate", 72.7, "%"), ("gdp", 5786.19, "亿元")}


def test_year_after_this_year_is_a_bad_year(tmp_path):
    import datetime

    next_year = str(datetime.date.today().year + 1)
    path = _long(tmp_path, [["330000", "地区生产总值", "90000", "亿元", next_year]])
    with pytest.raises(ValidationFailed) as err:
        read_observations(path)
    [p] = err.value.problems
    assert (p.row, p.code, p.column) == (2, "bad_year", "year") and "未来" in p.message


def test_implausible_age_and_share_are_impossible_values(tmp_path):
    path = _long(
        tmp_path,
        [
            ["331000", "人均预期寿命", "150", "岁", "2021"],
            ["331000", "人均预期寿命", "80.58", "岁", "2020"],
            ["331000", "恩格尔系数", "101", "%", "2021"],
        ],
    )
    assert _problems(path) == {(2, "impossible_value", "value"), (4, "impossible_value", "value")}


def test_big5_csv_is_read_as_big5_not_as_gb18030_mojibake(tmp_path):
    quote = "臺州市全年實現地區生產總值5786.19億元"
    text = f"地區,指標,數值,單位,年份,原文\n臺州市,地區生產總值,5786.19,億元,2021,{quote}\n"
    path = tmp_path / "big5.csv"
    path.write_bytes(text.encode("big5"))
    result = read_observations_result(path)
    assert result.encoding in ("big5", "cp950")
    [d] = result.drafts
    assert (d.region, d.indicator, d.value, d.source_text) == ("331000", "gdp", 5786.19, quote)


def test_formula_without_a_cached_value_is_a_bad_number_not_a_missing_year(tmp_path):
    book = tmp_path / "formula.xlsx"
    wb = Workbook()
    wb.active.append(["指标", "单位", "2020年", "2021年"])
    wb.active.append(["全市生产总值", "亿元", 5262.72, "=5262.72+523.47"])  # saved by openpyxl: no value
    wb.save(book)
    mapping = tmp_path / "map.toml"
    mapping.write_text('region = "331000"\n', encoding="utf-8")
    with pytest.raises(ValidationFailed) as err:
        read_observations(book, mapping=mapping)
    [p] = err.value.problems
    assert (p.row, p.code) == (2, "bad_number")
    assert "公式" in p.message and "=5262.72+523.47" in p.message and "2021" in p.message


def test_every_problem_names_its_column_in_chinese(tmp_path):
    path = _write(tmp_path / "cols.csv", [["地区", "指标", "数值"], ["台州市", "地区生产总值", "1"]])
    with pytest.raises(ValidationFailed) as err:
        read_observations(path)
    assert {p.message for p in err.value.problems} == {"缺少“单位”列（unit）", "缺少“年份”列（year）"}


def test_a_streamed_csv_gives_the_drafts_and_problems_of_the_whole_file_read(tmp_path, monkeypatch) -> None:
    """The chunked CSV path (title and 单位 lines, blank and note rows, bad rows, chunks of 2) gives exactly
    what reading the file whole gives."""
    from gongfu.observations import reader

    p = tmp_path / "streamed.csv"
    p.write_text(
        "嘉兴市主要指标（合成）\n单位：亿元\n区划代码,指标,数值,年份,备注\n"
        "330400,地区生产总值,7000.5,2022,\n330400,地区生产总值(初步核算),7100,2023,管理口径\n\n"
        "330402,地区生产总值,1.2e3,2023,\n330402,地区生产总值,abc,2022,\n330411,地区生产总值,-5,2023,\n"
        "330400,城镇居民人均可支配收入,72000,2023,\n注：合成数据\n",
        encoding="utf-8",
    )

    def run(threshold: int) -> tuple[list, list]:
        monkeypatch.setattr(reader, "STREAM_FROM_BYTES", threshold)
        drafts, problems = [], []
        for d, ps in reader.stream_observations(p, chunk_rows=2):
            drafts += d
            problems += ps
        return drafts, sorted((x.row, x.code, x.message) for x in problems)

    streamed, whole = run(0), run(10**9)
    assert streamed == whole
    assert len(streamed[0]) == 4 and [r for r, _, _ in streamed[1]] == [8, 9]
