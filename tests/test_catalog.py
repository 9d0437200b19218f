"""The shipped indicator catalog: complete, consistent, and looked up by code, name or alias."""

import csv
from collections import defaultdict
from importlib import resources

import pytest

from gongfu.catalog import indicator_key, load_catalog
from gongfu.catalog.catalog import DIMENSIONS, DIRECTIONS, KINDS, read_catalog_csv
from gongfu.errors import NotFound
from gongfu.units import is_known

REQUIRED_CODES = [
    "gdp",
    "per_capita_disposable_income",
    "urban_rural_income_ratio",
    "gini",
    "theil_t",
    "theil_l",
    "theil_t_between_share",
    "bottom20_share",
    "bottom40_share",
    "top10_share",
    "top20_share",
    "s80_s20",
    "palma_ratio",
    "middle_income_share_10_50",
    "middle_income_share_20_60",
    "low_income_count",
    "low_income_share",
    "county_income_max_min_ratio",
    "case_ontime_rate",
    "case_satisfaction_rate",
    "dispute_resolution_rate",
    "case_repeat_rate",
    "case_median_handling_days",
]


def test_catalog_file_has_the_documented_columns():
    text = resources.files("gongfu.catalog").joinpath("indicators.csv").read_text(encoding="utf-8")
    header = next(csv.reader(text.splitlines()))
    assert (
        ",".join(header)
        == "code,name,aliases,unit,direction,dimension,growing_level,kind,definition,source,nature,weight_by"
    )


def test_catalog_has_a_realistic_size_and_the_required_codes():
    cat = load_catalog()
    assert 150 <= len(cat) <= 250
    missing = [c for c in REQUIRED_CODES if c not in cat]
    assert missing == []


def test_every_row_is_well_formed():
    for ind in load_catalog():
        assert ind.code.isascii() and ind.code == ind.code.lower() and " " not in ind.code, ind.code
        assert ind.direction in DIRECTIONS, ind.code
        assert ind.dimension in DIMENSIONS, ind.code
        assert ind.kind in KINDS, ind.code
        assert is_known(ind.unit), (ind.code, ind.unit)
        assert ind.definition.endswith("。"), ind.code
        assert ind.source, ind.code
        if ind.kind == "share":
            assert ind.unit in ("%", "‰"), ind.code


def test_no_alias_names_two_indicators():
    owners = defaultdict(set)
    for ind in load_catalog():
        for n in ind.names:
            owners[indicator_key(n)].add(ind.code)
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}


def test_growth_siblings_are_growth_rates_of_a_level():
    cat = load_catalog()
    for ind in cat:
        if ind.code.endswith("_growth"):
            assert ind.kind == "growth" and ind.unit == "%"
            assert ind.code.removesuffix("_growth") in cat


def test_get_unknown_code_raises_not_found():
    with pytest.raises(NotFound, match="no_such"):
        load_catalog().get("no_such_indicator")


@pytest.mark.parametrize(
    ("wording", "code"),
    [
        ("gdp", "gdp"),
        ("GDP", "gdp"),
        ("地区生产总值", "gdp"),
        ("地區生產總值", "gdp"),  # Traditional
        ("城乡居民收入比", "urban_rural_income_ratio"),
        ("家庭年可支配收入10万~50万元的群体比例", "middle_income_share_10_50"),
        ("家庭年可支配收入10—50万元的群体比例", "middle_income_share_10_50"),
        ("按期办结率", "case_ontime_rate"),
        ("人均GDP", "per_capita_gdp"),
    ],
)
def test_lookup_finds_code_name_and_alias(wording, code):
    found = load_catalog().lookup(wording)
    assert found is not None and found.code == code


def test_lookup_is_exact_not_fuzzy():
    assert load_catalog().lookup("全市GDP增长快") is None


def test_by_dimension_groups_every_indicator_once():
    groups = load_catalog().by_dimension()
    assert list(groups)[:2] == ["经济高质量发展", "收入分配"]
    assert sum(len(v) for v in groups.values()) == len(load_catalog())
    assert {i.code for i in groups["收入分配"]} >= {"gini", "per_capita_disposable_income"}


def test_load_catalog_is_cached():
    assert load_catalog() is load_catalog()


def test_an_alias_never_shadows_another_indicators_name():
    text = (
        "code,name,aliases,unit,direction,dimension,growing_level,kind,definition,source\n"
        "a_synthetic,甲指标,乙指标,元,higher,收入分配,false,level,甲。,s\n"
        "b_synthetic,乙指标,,元,higher,收入分配,false,level,乙。,s\n"
    )
    cat = read_catalog_csv(text)
    assert cat.lookup("乙指标").code == "b_synthetic"
