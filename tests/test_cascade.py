"""Cascading a city's targets to its counties on SQLite and PostgreSQL: a 分解表 all-or-nothing, by hand,
linked from the counties' own plans; the view with attainment, colours, the verdict and the figures."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from cascade_seed import CITY, CITY_TARGETS, COUNTIES, NAMES, add_plan, figures, scope, sheet
from gongfu.cascade import cascade_view, cascades, import_sheet, link_plans, set_child
from gongfu.errors import ConflictError, ScopeError, ValidationFailed
from gongfu.store.reporting_tables import CascadeLinkRow
from gongfu.store.tables import PlanRow, TargetRow

GDP = [900, 800, 1000, 700, 1400, 1100, 1200]  # sum 7100 ≥ 7000


def gdp_rows(values=GDP):
    return [(name, "地区生产总值", v, 2025, "合成") for name, v in zip(NAMES, values, strict=True)]


def test_a_sheet_that_adds_up_is_consistent_and_each_child_is_evaluated(db, tmp_path):
    ids = add_plan(db, CITY, CITY_TARGETS)
    city = scope("analyst", CITY)
    out = import_sheet(db, city, sheet(tmp_path / "分解表.xlsx", gdp_rows()), region=CITY)
    assert len(out["links"]) == 7 and out["parents"] == [ids[0]]
    figures(db, "gdp", dict(zip(COUNTIES, [850, 760, 950, 650, 1300, 1000, 1150], strict=True)), 2023, "亿元")
    view = cascade_view(db, city, ids[0])
    assert view["verdict"]["status"] == "consistent" and view["verdict"]["aggregate"] == 7100
    assert [c["region_name"] for c in view["children"]] == NAMES
    first = view["children"][0]
    assert first["target"] == 900 and first["origin"] == "sheet" and first["source"] == "分解表.xlsx:3"
    assert first["record"]["colour"] in ("green", "yellow", "orange", "red", "grey")
    assert first["drill"]["indicator"] == "/indicator/gdp?region=330402"
    again = import_sheet(db, city, tmp_path / "分解表.xlsx", region=CITY)  # the same file: nothing changes
    assert (
        again["already_imported_as"] == out["document"]
        and again["links"] == []
        and again["parents"] == [ids[0]]
    )
    # the children's 2023 figures add up to 6660 (no city figure yet)
    assert view["figures"] == {"year": 2023, "aggregate": 6660, "parent": None, "note": ""}
    # the child target's text is the row it came from
    with db.session() as s:
        child = s.get(TargetRow, first["target_id"])
        plan = s.get(PlanRow, child.plan_id)
        assert plan.kind == "cascade" and plan.original_text[child.start : child.end] == child.span
        assert child.span.startswith("第3行：南湖区")


def test_a_short_sheet_names_the_shortfall_and_the_children(db, tmp_path):
    ids = add_plan(db, CITY, CITY_TARGETS)
    values = [900, 800, 1000, 700, 1200, 1100, 1200]  # 6900: 100 short; even share 1000
    import_sheet(db, scope("analyst", CITY), sheet(tmp_path / "s.xlsx", gdp_rows(values)), region=CITY)
    v = cascade_view(db, scope("analyst", CITY), ids[0])["verdict"]
    assert v["status"] == "short" and v["shortfall"] == pytest.approx(100)
    assert [c["name"] for c in v["children"] if c["ok"] is False] == ["南湖区", "秀洲区", "海盐县"]
    assert "差100亿元" in v["message"]


def test_a_bad_sheet_stores_nothing_and_lists_every_row(db, tmp_path):
    add_plan(db, CITY, CITY_TARGETS)
    rows = [
        *gdp_rows()[:3],
        ("杭州市", "地区生产总值", 100, 2025, ""),
        ("海盐县", "不存在的指标", 5, 2025, ""),
        ("平湖市", "地区生产总值", "很多", 2025, ""),
        ("南湖区", "地区生产总值", 10, 2025, ""),
    ]
    with pytest.raises(ValidationFailed) as err:
        import_sheet(db, scope("analyst", CITY), sheet(tmp_path / "bad.xlsx", rows), region=CITY)
    got = [(p.row, p.code) for p in err.value.problems]
    assert got == [(6, "region"), (7, "indicator"), (8, "value"), (9, "duplicate")]
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(CascadeLinkRow)) == 0
        assert s.scalar(select(func.count()).where(PlanRow.kind == "cascade")) == 0


def test_a_county_analyst_cannot_cascade_for_the_city(db, tmp_path):
    ids = add_plan(db, CITY, CITY_TARGETS)
    with pytest.raises(ScopeError):
        import_sheet(db, scope("analyst", COUNTIES[0]), sheet(tmp_path / "s.xlsx", gdp_rows()), region=CITY)
    with pytest.raises(ScopeError):
        set_child(db, scope("viewer", CITY), ids[0], COUNTIES[0], 10)


def test_by_hand_and_never_silently_replaced(db):
    ids = add_plan(db, CITY, CITY_TARGETS)
    city = scope("analyst", CITY)
    set_child(db, city, ids[3], "海盐县", 98.5, note="合成")
    with pytest.raises(ConflictError):
        set_child(db, city, ids[3], "海盐县", 99.5)
    out = set_child(db, city, ids[3], "海盐县", 99.5, replace=True)
    assert out["changed_from"] == 98.5
    assert (
        set_child(db, city, ids[3], "海盐县", 99.5, replace=True)["changed_from"] is None
    )  # same: unchanged
    with pytest.raises(Exception, match="不在"):
        set_child(db, city, ids[3], "杭州市", 99)
    for code in COUNTIES:
        if code != "330424":
            set_child(db, city, ids[3], code, 99.2)
    v = cascade_view(db, city, ids[3])["verdict"]
    assert v["nature"] == "floor" and v["status"] == "consistent"
    set_child(db, city, ids[3], "海盐县", 98.0, replace=True)
    v = cascade_view(db, city, ids[3])["verdict"]
    assert (
        v["status"] == "short"
        and v["shortfall"] == pytest.approx(1.0)
        and "海盐县（差1个百分点）" in v["message"]
    )


def test_linked_from_the_counties_own_plans_and_weighted_by_population(db):
    ids = add_plan(db, CITY, CITY_TARGETS)
    incomes = [82000, 76000]
    for code, value in zip(COUNTIES[:2], incomes, strict=True):
        add_plan(db, code, [("居民人均可支配收入", "per_capita_disposable_income", ">=", value, "元")])
    linked = link_plans(db, scope("analyst", CITY), CITY)
    assert [(x["parent"], x["region"]) for x in linked] == [(ids[1], COUNTIES[0]), (ids[1], COUNTIES[1])]
    assert link_plans(db, scope("analyst", CITY), CITY) == []  # once only
    figures(db, "resident_population", {COUNTIES[0]: 60.0, COUNTIES[1]: 40.0}, 2024, "万人")
    view = cascade_view(db, scope("analyst", CITY), ids[1])
    v = view["verdict"]
    # (82000×60 + 76000×40) / 100 = 79 600 < 80 000 → short by 400; five counties have no target
    assert v["weighted"] and v["aggregate"] == pytest.approx(79600) and v["shortfall"] == pytest.approx(400)
    assert v["status"] == "short" and len(v["missing"]) == 5
    assert [c["origin"] for c in view["children"][:2]] == ["plan", "plan"]
    listed = cascades(db, scope("analyst", CITY), CITY)
    assert [(c["target_id"], c["children"], c["status"]) for c in listed] == [(ids[1], 2, "short")]
