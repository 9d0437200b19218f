"""Evaluation from the store: the sample plans against the sourced statistics, on both databases.

Worked example (嘉兴 地区生产总值 target 9000亿元 by 2025, plan period 2021–2025 → base year 2020):
baseline = the 2020 *final* figure 5563.58 (it supersedes the preliminary 5509.52), latest = 7569.5 (2024);
attainment = (7569.5 − 5563.58) / (9000 − 5563.58) = 0.58372…; time progress = (2024 − 2020) / 5 = 0.8.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gongfu.evaluation.service import composite_index, evaluate_region
from gongfu.observations.service import import_file
from gongfu.plans.service import ingest

ROOT = Path(__file__).resolve().parents[1]
PLANS = ROOT / "tests" / "data" / "plans"
OBS = ROOT / "src" / "gongfu" / "data" / "demo" / "zhejiang-sourced-observations.csv"


@pytest.fixture
def loaded(db):
    ingest(
        db,
        [
            PLANS / "jiaxing-2021-common-prosperity-action-plan.txt",
            PLANS / "taizhou-2021-2025-common-prosperity-action-plan.txt",
            PLANS / "jiangshan-2021-2025-common-prosperity-action-plan.txt",
        ],
    )
    import_file(db, OBS)
    return db


def gdp_9000(records: list[dict]) -> dict:
    return next(r for r in records if r["indicator_code"] == "gdp" and r["target"] == 9000)


def test_gdp_target_uses_the_final_base_year_figure_and_the_latest_value(loaded) -> None:
    r = gdp_9000(evaluate_region(loaded, "330400"))
    assert r["baseline"] == pytest.approx(5563.58) and r["baseline_source"] == "observed"
    assert (r["latest"], r["latest_year"]) == (pytest.approx(7569.5), 2024)
    assert r["attainment"] == pytest.approx((7569.5 - 5563.58) / (9000 - 5563.58))
    assert r["time_progress"] == pytest.approx(0.8)
    assert r["colour"] in {"green", "yellow", "orange", "red"} and r["colour_reason"]
    assert "9000億元" in r["span"]  # provenance: the plan's own (Traditional) text
    sources = {(o["year"], o["source"]) for o in r["observations"]}
    assert (2024, "zhejiang-sourced-observations.csv") in sources
    assert all(o["source_row"] for o in r["observations"])


def test_as_of_year_evaluates_with_the_data_known_then(loaded) -> None:
    r = gdp_9000(evaluate_region(loaded, "330400", year=2022))
    assert r["latest_year"] == 2022 and r["latest"] == pytest.approx(6739.45)
    ratio = next(
        x
        for x in evaluate_region(loaded, "330400", year=2021)
        if x["indicator_code"] == "urban_rural_income_ratio"
    )
    later = next(
        x
        for x in evaluate_region(loaded, "330400", year=2022)
        if x["indicator_code"] == "urban_rural_income_ratio"
    )
    assert ratio["latest"] == pytest.approx(1.6) and not ratio["achieved"]
    assert later["latest"] == pytest.approx(1.56) and later["achieved"] and later["colour"] == "green"


def test_unmatched_or_unobserved_targets_are_grey_with_a_reason(loaded) -> None:
    records = evaluate_region(loaded, "330400")
    grey = [r for r in records if r["colour"] == "grey"]
    assert grey and all(r["colour_reason"] for r in grey)


def test_children_bring_in_sub_regions(loaded) -> None:
    regions = {r["region"] for r in evaluate_region(loaded, "330000", children=True)}
    assert regions == {"330400", "331000", "330881"}


def test_composite_index_ranks_regions_with_rank_ranges(loaded) -> None:
    result = composite_index(loaded, "330000", weights="equal")
    ranked = result["regions"]
    assert sorted(r["rank"] for r in ranked) == list(range(1, len(ranked) + 1))
    assert all(r["min_rank"] <= r["rank"] <= r["max_rank"] for r in ranked)
    assert sum(result["weights"].values()) == pytest.approx(1.0)
    entropy = composite_index(loaded, "330000", weights="entropy")
    assert {r["region"] for r in entropy["regions"]} == {r["region"] for r in ranked}


def test_a_region_evaluated_alone_gets_the_records_it_gets_within_the_province(loaded) -> None:
    """One engine: a target's record does not depend on which other targets share the evaluation."""
    for year in (None, 2022, 2019):  # stored as-of years, and one computed on demand
        province = evaluate_region(loaded, "330000", children=True, year=year)
        by_region: dict[str, list[dict]] = {}
        for r in province:
            by_region.setdefault(r["region"], []).append(r)
        assert len(by_region) > 1
        for code, records in by_region.items():
            alone = evaluate_region(loaded, code, year=year)
            assert alone == records, code


def test_growth_target_on_a_rate_indicator_uses_the_realised_average_rate(db, tmp_path: Path) -> None:
    """年均增长10% against yearly rates 12%, 9%, 8% (2021–2023): realised average
    (1.12 · 1.09 · 1.08)^(1/3) − 1 = 9.65…% — close to the target, not "moving away"."""
    plan = tmp_path / "plan-synthetic.txt"
    plan.write_text(
        "某市共同富裕行动方案(2021—2025年)\n一、主要目标\n到2025年,固定资产投资年均增长10%。\n",
        encoding="utf-8",
    )
    ingest(db, [plan], region="330881")
    obs = tmp_path / "rates-synthetic.csv"
    obs.write_text(
        "region_code,indicator,year,value,unit\n"
        "330881,固定资产投资增长率,2021,12,%\n330881,固定资产投资增长率,2022,9,%\n330881,固定资产投资增长率,2023,8,%\n",
        encoding="utf-8",
    )
    import_file(db, obs)
    [r] = [x for x in evaluate_region(db, "330881") if x["indicator_code"] == "fixed_asset_investment_growth"]
    expected = ((1.12 * 1.09 * 1.08) ** (1 / 3) - 1) * 100
    assert r["latest_year"] == 2023 and r["latest"] == pytest.approx(100 * 1.12 * 1.09 * 1.08)
    assert r["realised_rate"] == pytest.approx(expected)
    assert r["progress_ratio"] == pytest.approx(expected / 10, rel=1e-6)
    assert r["colour"] == "green"  # ratio 0.965 ≥ 0.95


def test_chained_index_from_yearly_rates() -> None:
    from gongfu.evaluation.service import chained_index

    rates = [(2020, 50.0), (2021, 10.0), (2022, 10.0), (2024, 5.0)]
    index = chained_index(rates, 2020)
    assert [y for y, _ in index] == [2021, 2022]  # 2023 is missing: the chain stops
    assert index[-1][1] == pytest.approx(121.0)


def test_synthetic_figures_never_enter_the_evaluation(loaded) -> None:
    from gongfu.model import ObservationDraft
    from gongfu.observations.service import store_drafts

    fake = ObservationDraft(
        indicator="gdp",
        region="330400",
        year=2025,
        value=99999.0,
        unit="亿元",
        source="synthetic-households.parquet",
        vintage="synthetic",
    )
    store_drafts(loaded, [fake], source="synthetic-households.parquet", kind="computation")
    r = gdp_9000(evaluate_region(loaded, "330400"))
    assert (r["latest"], r["latest_year"]) == (pytest.approx(7569.5), 2024)


def test_a_new_figure_is_seen_at_once_despite_the_cache(loaded) -> None:
    from gongfu.model import ObservationDraft
    from gongfu.observations.service import store_drafts

    before = gdp_9000(evaluate_region(loaded, "330400"))
    assert before["latest_year"] == 2024
    new = ObservationDraft(
        indicator="gdp", region="330400", year=2025, value=8100.0, unit="亿元", source="t.csv"
    )
    store_drafts(loaded, [new], source="t.csv")
    after = gdp_9000(evaluate_region(loaded, "330400"))
    assert (after["latest"], after["latest_year"]) == (pytest.approx(8100.0), 2025)
