"""Data requests → reporting forms → two approvals → observations in the evaluation, on SQLite and
PostgreSQL; validation, evidence, revisions, the filled-in 数据需求清单, and timeliness. Synthetic data."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from cascade_seed import add_plan, add_users, figures
from gongfu.access import get_user
from gongfu.access.audit import list_events
from gongfu.access.scope import Scope
from gongfu.errors import ValidationFailed
from gongfu.evaluation.service import evaluate_region
from gongfu.observations.service import history
from gongfu.regions import load
from gongfu.reporting import (
    add_member,
    approve,
    form_view,
    issue,
    needed,
    open_form,
    revise,
    save,
    submit,
    timeliness,
)
from gongfu.reporting.workbook import fill_from_xlsx, write_requests_xlsx
from gongfu.store.tables import TaskRow
from gongfu.work.access import operator_scope

COUNTY = "330411"
TARGETS = [
    ("地区生产总值", "gdp", ">=", 1000.0, "亿元"),
    ("居民人均可支配收入", "per_capita_disposable_income", ">=", 80000.0, "元"),
    ("城乡居民收入倍差", "urban_rural_income_ratio", "<=", 1.6, ""),
]
USERS = {"rep": ("reporter", COUNTY), "boss": ("reporter", COUNTY), "county": ("analyst", COUNTY)}


def who(db, name: str) -> Scope:
    return Scope(get_user(db, name), load())


@pytest.fixture
def seeded(db):
    ids = add_plan(db, COUNTY, TARGETS)
    with db.session() as s:  # the plan's own task names 区发改局 as lead for the income target
        s.add(
            TaskRow(
                plan_id=_plan_id(s, ids[1]),
                position=0,
                section="二/1",
                title="提高收入",
                text="合成",
                start=0,
                end=2,
                lead_units=["区发改局"],
                co_units=[],
                target_positions=[1],
            )
        )
    add_users(db, USERS)
    admin = operator_scope(COUNTY)
    for user, unit, duty in (
        ("rep", "区统计局", "reporter"),
        ("boss", "区统计局", "approver"),
        ("rep", "区发改局", "reporter"),
        ("boss", "区发改局", "approver"),
    ):
        add_member(db, admin, user, region=COUNTY, unit=unit, duty=duty)
    figures(db, "gdp", {COUNTY: 900.0}, 2024, "亿元")
    return ids


def _plan_id(s, target_id: int) -> int:
    from gongfu.store.tables import TargetRow

    return s.get(TargetRow, target_id).plan_id


def test_requests_name_the_unit_from_the_task_list_or_the_statistics_bureau(db, seeded, tmp_path):
    rows = needed(db, who(db, "county"), COUNTY, 2025)
    got = [(r["indicator"], r["period"], r["responsible_unit"], r["unit_source"], r["due"]) for r in rows]
    assert got == [
        ("gdp", "2025", "区统计局", "default", "2026-01-10"),
        ("per_capita_disposable_income", "2025", "区发改局", "task", "2026-01-10"),
        ("urban_rural_income_ratio", "2025", "区统计局", "default", "2026-01-10"),
    ]
    assert {"region", "indicator", "year", "period", "responsible_unit", "due"} <= set(rows[0])
    # 2024 has a GDP figure already: not owed
    assert "gdp" not in [r["indicator"] for r in needed(db, who(db, "county"), COUNTY, 2024)]
    mapping = tmp_path / "map.csv"
    mapping.write_text("指标,责任单位,周期,期限\n城乡居民收入倍差,区农业农村局,季,15\n", encoding="utf-8")
    quarterly = [
        r
        for r in needed(db, who(db, "county"), COUNTY, 2025, mapping=mapping)
        if r["indicator"] == "urban_rural_income_ratio"
    ]
    assert [(r["period"], r["responsible_unit"], r["due"]) for r in quarterly] == [
        ("2025Q1", "区农业农村局", "2025-04-15"),
        ("2025Q2", "区农业农村局", "2025-07-15"),
        ("2025Q3", "区农业农村局", "2025-10-15"),
        ("2025Q4", "区农业农村局", "2026-01-15"),
    ]
    out = write_requests_xlsx(rows, tmp_path / "数据需求清单.xlsx")
    ws = openpyxl.load_workbook(out).active  # title, 单位 line, header, then the rows
    assert ws["H3"].value == "责任单位" and ws["H5"].value == "区发改局" and ws.max_row == 6


def _issue_and_open(db, year=2025):
    issue(db, who(db, "county"), needed(db, who(db, "county"), COUNTY, year))
    return open_form(db, who(db, "rep"), region=COUNTY, unit="区统计局", year=year)


def test_two_approvals_bring_the_figures_into_the_evaluation_with_provenance(db, seeded):
    fid = _issue_and_open(db)
    view = form_view(db, who(db, "rep"), fid)
    assert [i["indicator"] for i in view["items"]] == ["gdp", "urban_rural_income_ratio"]
    gdp = view["items"][0]
    assert (gdp["last_period"], gdp["target"], gdp["unit"]) == (900.0, 1000.0, "亿元")
    entries = [
        {"item": gdp["item"], "value": "1,010", "note": "快报数"},
        {"item": view["items"][1]["item"], "value": "1.58"},
    ]
    pdf = b"%PDF-1.4 synthetic evidence\n"
    v = save(
        db,
        who(db, "rep"),
        fid,
        entries,
        version=view["version"],
        evidence={gdp["item"]: ("统计快报.pdf", pdf)},
    )
    assert form_view(db, who(db, "rep"), fid)["items"][0]["evidence_name"] == "统计快报.pdf"
    v = submit(db, who(db, "rep"), fid, version=v["version"])
    assert not [
        o for o in history(db, indicator="gdp", region=COUNTY) if o.year == 2025
    ]  # not before approval
    v = approve(db, who(db, "boss"), fid, version=v["version"])
    assert (v["state"], v["level"]) == ("submitted", 1)
    v = approve(db, who(db, "county"), fid, version=v["version"])
    assert v["state"] == "approved" and v["added"] == 2
    [obs] = [o for o in history(db, indicator="gdp", region=COUNTY) if o.year == 2025]
    assert obs.value == 1010 and obs.source == f"填报表{fid}（区统计局）" and obs.imported_by == "county"
    assert "填报人rep" in obs.source_text and "审核人boss、county" in obs.source_text and obs.note == "快报数"
    record = next(r for r in evaluate_region(db, COUNTY) if r["indicator_code"] == "gdp")
    assert record["latest"] == 1010 and record["latest_year"] == 2025
    actions = [e.action for e in list_events(db, limit=50) if e.object_type == "report_form"]
    assert actions[::-1] == [
        "report.open",
        "report.save",
        "report.submit",
        "report.approve",
        "report.approve",
    ]


def test_a_jump_needs_a_reason_and_a_bad_value_is_refused(db, seeded):
    fid = _issue_and_open(db)
    view = form_view(db, who(db, "rep"), fid)
    gdp, ratio = (i["item"] for i in view["items"])
    with pytest.raises(ValidationFailed) as err:
        save(db, who(db, "rep"), fid, [{"item": gdp, "value": "很多"}], version=view["version"])
    assert err.value.problems[0].code == "type"
    v = save(
        db,
        who(db, "rep"),
        fid,
        [{"item": gdp, "value": "1300"}, {"item": ratio, "value": "-1"}],
        version=view["version"],
    )
    with pytest.raises(ValidationFailed) as err:
        submit(db, who(db, "rep"), fid, version=v["version"])
    # 1300 vs 900 last year: +44.4% > 30% without a reason; a negative 倍差 is implausible
    assert [(p.row, p.code) for p in err.value.problems] == [(1, "jump"), (2, "range")]
    assert "+44.4%" in err.value.problems[0].message
    v = save(
        db,
        who(db, "rep"),
        fid,
        [{"item": gdp, "value": "1300", "reason": "新口径纳入开发区"}, {"item": ratio, "value": "1.55"}],
        version=v["version"],
    )
    assert submit(db, who(db, "rep"), fid, version=v["version"])["state"] == "submitted"


def test_a_correction_after_approval_is_a_revision_with_history(db, seeded):
    fid = _issue_and_open(db)
    view = form_view(db, who(db, "rep"), fid)
    items = [i["item"] for i in view["items"]]
    v = save(
        db,
        who(db, "rep"),
        fid,
        [{"item": items[0], "value": "1000"}, {"item": items[1], "value": "1.6"}],
        version=view["version"],
    )
    for actor in ("rep", "boss", "county"):
        v = (submit if actor == "rep" else approve)(db, who(db, actor), fid, version=v["version"])
    v = revise(db, who(db, "rep"), fid, version=v["version"])
    v = save(
        db,
        who(db, "rep"),
        fid,
        [{"item": items[0], "value": "1020", "note": "年报修订"}],
        version=v["version"],
    )
    for actor in ("rep", "boss", "county"):
        v = (submit if actor == "rep" else approve)(db, who(db, actor), fid, version=v["version"])
    assert v["revised"] == 1
    rows = [o for o in history(db, indicator="gdp", region=COUNTY) if o.year == 2025]
    assert [(o.value, o.superseded_by is None, o.vintage) for o in rows] == [
        (1000, False, ""),
        (1020, True, "revised"),
    ]


def test_a_filled_in_list_goes_through_the_same_checks_and_approval(db, seeded, tmp_path):
    fid = _issue_and_open(db)
    rows = needed(db, who(db, "county"), COUNTY, 2025)
    path = write_requests_xlsx(rows, tmp_path / "清单.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws["L4"], ws["L6"] = 1400, "1.57"  # gdp +55.6% with no reason; the 倍差 fine
    wb.save(path)
    with pytest.raises(ValidationFailed) as err:
        fill_from_xlsx(db, who(db, "rep"), path)
    assert [(p.row, p.code) for p in err.value.problems] == [(4, "jump")]
    assert form_view(db, who(db, "rep"), fid)["items"][0]["value"] is None  # nothing saved
    ws["N4"] = "合成：并入新区"
    wb.save(path)
    out = fill_from_xlsx(db, who(db, "rep"), path)
    assert out["forms"] == [
        {
            "form": fid,
            "unit": "区统计局",
            "region": COUNTY,
            "values": 2,
            "state": "submitted",
            "state_zh": "已报送",
        }
    ]
    assert (
        approve(db, who(db, "boss"), fid, version=form_view(db, who(db, "boss"), fid)["version"])["level"]
        == 1
    )


def test_timeliness_and_completeness_per_unit(db, seeded):
    fid = _issue_and_open(db)
    view = form_view(db, who(db, "rep"), fid)
    entries = [{"item": i["item"], "value": v} for i, v in zip(view["items"], ["1000", "1.6"], strict=True)]
    v = save(db, who(db, "rep"), fid, entries, version=view["version"])
    submit(db, who(db, "rep"), fid, version=v["version"])
    before = timeliness(db, who(db, "county"), COUNTY, 2025, as_of=date(2026, 1, 5))
    assert {u["unit"]: u["expected"] for u in before["units"]} == {
        "区发改局": 0,
        "区统计局": 0,
    }  # not yet due
    assert before["overdue"] == []
    now = timeliness(db, who(db, "county"), COUNTY, 2025)  # today: after the 2026-01-10 due day of 2025
    units = {u["unit"]: u for u in now["units"]}
    # 区统计局 submitted today: complete but late; 区发改局 never reported: missing, overdue since 2026-01-10
    assert (
        units["区统计局"]["late"],
        units["区统计局"]["completeness"],
        units["区统计局"]["timeliness"],
    ) == (1, 1.0, 0.0)
    assert (units["区发改局"]["missing"], units["区发改局"]["completeness"]) == (1, 0.0)
    days = (date.fromisoformat(now["as_of"]) - date(2026, 1, 10)).days
    assert [(r["unit"], r["overdue_days"]) for r in now["overdue"]] == [("区发改局", days)]


def test_the_supervision_notice_lists_the_units_overdue_figures(db, seeded, tmp_path):
    import docx

    from gongfu.store.work_tables import UnitRow
    from gongfu.work.exports import supervision_notice

    issue(db, who(db, "county"), needed(db, who(db, "county"), COUNTY, 2025))
    with db.session() as s:
        unit = UnitRow(region_code=COUNTY, name="区发改局")
        s.add(unit)
        s.flush()
        unit_id = unit.id
    out = tmp_path / "督办单.docx"
    supervision_notice(db, who(db, "county"), unit_id, out, as_of=date(2026, 3, 1))
    text = "\n".join(p.text for p in docx.Document(out).paragraphs)
    cells = [c.text for t in docx.Document(out).tables for row in t.rows for c in row.cells]
    assert "1项数据逾期未报" in text and "三、逾期未报数据（1项）" in text
    assert "全体居民人均可支配收入" in cells and "50" in cells  # due 2026-01-10, 50 days before 2026-03-01
