"""Pure logic of the closed loop: working days, states, routing, escalation, warnings, measures, contacts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongfu.cases import contact, routing
from gongfu.cases.measures import CaseFacts, false_closure, monthly_measures
from gongfu.cases.states import CASE_ROLES, MOVES, STATES, check
from gongfu.cases.warnings import WarningInput, warn
from gongfu.cases.workdays import CST, add_working_days, is_workday, working_days_between
from gongfu.errors import ConflictError, InputError, ScopeError

T0 = datetime(2026, 9, 28, 10, 0, tzinfo=CST)  # Monday before the National Day holiday


def test_national_day_holiday_and_swapped_saturday():
    assert is_workday(date(2026, 10, 1)) == (False, False)
    assert is_workday(date(2026, 10, 10)) == (True, False)  # 调休上班 (Saturday)
    d = add_working_days(T0, 4)
    # 29, 30 Sep, then 1–7 Oct off, 8 Oct, 9 Oct → the 4th working day is 9 Oct
    assert d.due_at == datetime(2026, 10, 9, 23, 59, 59, tzinfo=CST) and not d.estimated
    assert add_working_days(T0, 5).due_at.date() == date(2026, 10, 10)


def test_year_beyond_the_calendar_is_estimated_weekdays():
    d = add_working_days(datetime(2027, 3, 5, 9, 0, tzinfo=CST), 1)  # Friday
    assert d.estimated and d.due_at.date() == date(2027, 3, 8)


@given(st.integers(min_value=1, max_value=40), st.integers(min_value=0, max_value=500))
def test_working_days_round_trip(days, offset):
    start = datetime(2024, 1, 1, 8, tzinfo=CST) + timedelta(days=offset)
    assert working_days_between(start, add_working_days(start, days).due_at) == days


def test_naive_time_is_refused():
    with pytest.raises(ValueError):
        add_working_days(datetime(2026, 1, 5), 1)


@pytest.mark.parametrize("action", list(MOVES))
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", CASE_ROLES)
def test_every_transition(action, state, role):
    move = MOVES[action]
    if role not in move.roles:
        with pytest.raises(ScopeError):
            check(action, state, role)
    elif state not in move.sources:
        with pytest.raises(ConflictError):
            check(action, state, role)
    else:
        assert check(action, state, role) == (move.target or state)


def test_the_main_path_and_reopen():
    s = "received"
    for action, role in [("dispatch", "dispatcher"), ("sign", "unit"), ("handle", "unit"), ("close", "unit"),
                         ("callback", "dispatcher"), ("archive", "dispatcher"), ("reopen", "dispatcher")]:  # fmt: skip
        s = check(action, s, role)
    assert s == "received"
    assert check("return", "signed", "unit") == "received"  # 退单 goes back to the dispatcher


PLACE = routing.Place("330402", "330402007", "新嘉村", "G03")
RULES = routing.load_rules()


@pytest.mark.parametrize(
    ("kind", "category", "urgency", "place", "level", "unit"),
    [
        ("矛盾纠纷", "城乡建设", "normal", PLACE, "grid", "网格员"),
        ("社情民意", "教育文体", "normal", PLACE, "village", "村（社区）两委"),
        ("诉求", "环境保护", "normal", PLACE, "town", "乡镇（街道）基层治理综合信息指挥室"),
        ("隐患", "城乡建设", "normal", PLACE, "town", "乡镇（街道）基层治理综合信息指挥室"),
        ("隐患", "城乡建设", "urgent", PLACE, "county", "应急管理局"),
        ("诉求", "交通运输", "urgent", PLACE, "county", "交通运输局"),
        (
            "矛盾纠纷",
            "城乡建设",
            "normal",
            routing.Place("330402", "330402007"),
            "town",
            "乡镇（街道）矛调中心",
        ),
        ("社情民意", "卫生计生", "normal", routing.Place("330402"), "county", "卫生健康局"),
    ],
)
def test_entry_routing(kind, category, urgency, place, level, unit):
    u = routing.route(RULES, kind, category, urgency, place)
    assert (u.level, u.name) == (level, unit)
    assert u.region_code == ("330402" if level == "county" else "330402007")


def test_escalation_climbs_one_level_and_stops_at_county():
    chain, u = [], routing.route(RULES, "矛盾纠纷", "城乡建设", "normal", PLACE)
    while u is not None:
        chain.append((u.level, u.name))
        u = routing.escalate(RULES, u, "矛盾纠纷", "城乡建设", PLACE)
    assert chain == [("grid", "网格员"), ("village", "村（社区）两委"), ("town", "乡镇（街道）矛调中心"),
                     ("county", "司法局")]  # fmt: skip
    grid_only = routing.Place("330402", "330402007", "", "G01")
    up = routing.escalate(
        RULES, routing.Unit("grid", "网格员", "330402007", "G01"), "诉求", "教育文体", grid_only
    )
    assert up is not None and up.level == "town"  # no village known: skipped


def test_region_specific_rule_wins(tmp_path: Path):
    for name in ("entry.csv", "deadlines.csv"):
        (tmp_path / name).write_text((routing.RULES_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
    units = (routing.RULES_DIR / "units.csv").read_text(
        encoding="utf-8"
    ) + "*,城乡建设,3304,county,嘉兴市住建委派驻组\n"
    (tmp_path / "units.csv").write_text(units, encoding="utf-8")
    rules = routing.load_rules(tmp_path)
    assert routing.department(rules, "诉求", "城乡建设", PLACE) == "嘉兴市住建委派驻组"
    assert routing.department(rules, "诉求", "城乡建设", routing.Place("330881")) == "住房和城乡建设局"


def test_bad_rule_file_names_the_row(tmp_path: Path):
    (tmp_path / "entry.csv").write_text(
        "kind,category,urgency,region,level\n*,*,*,*,province\n", encoding="utf-8"
    )
    for name in ("units.csv", "deadlines.csv"):
        (tmp_path / name).write_text((routing.RULES_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(InputError, match=r"entry\.csv:2"):
        routing.load_rules(tmp_path)


def test_deadline_days_by_kind_and_urgency():
    assert routing.working_days(RULES, "诉求", "城乡建设", "normal") == 10
    assert routing.working_days(RULES, "矛盾纠纷", "城乡建设", "normal") == 15
    assert routing.working_days(RULES, "隐患", "城乡建设", "urgent") == 1
    assert routing.escalated_days(15) == 8 and routing.escalated_days(1) == 1


@pytest.mark.parametrize(
    ("w", "colour"),
    [
        (WarningInput(10, 9, False, "诉求", "normal", 0), "none"),
        (WarningInput(10, 5, False, "诉求", "normal", 0), "yellow"),
        (WarningInput(10, 2, False, "诉求", "normal", 0), "orange"),
        (WarningInput(10, 0, True, "诉求", "normal", 0), "red"),
        (WarningInput(10, 9, False, "隐患", "normal", 0), "orange"),
        (WarningInput(10, 9, False, "诉求", "normal", 1), "yellow"),
        (WarningInput(10, 9, False, "诉求", "normal", 3), "red"),
        (WarningInput(1, 0, False, "诉求", "urgent", 0), "red"),
        (WarningInput(3, 3, False, "诉求", "high", 0), "yellow"),
    ],
)
def test_warning_colours(w, colour):
    assert warn(w).colour == colour


@given(st.integers(1, 30), st.integers(0, 30), st.integers(0, 5))
def test_less_time_never_lowers_the_warning(allowed, left, repeats):
    rank = {"none": 0, "yellow": 1, "orange": 2, "red": 3}
    left = min(left, allowed)
    a = warn(WarningInput(allowed, left, False, "诉求", "normal", repeats))
    b = warn(WarningInput(allowed, max(0, left - 1), False, "诉求", "normal", repeats))
    assert rank[b.colour] >= rank[a.colour]


def _utc(*a) -> datetime:
    return datetime(*a, tzinfo=UTC)


def test_false_closure():
    closed = _utc(2026, 3, 10)
    base = CaseFacts("330402007", "诉求", _utc(2026, 3, 1), _utc(2026, 3, 15), closed, closed, "closed")
    assert not false_closure(base)
    assert false_closure(CaseFacts(**{**base.__dict__, "satisfaction": "dissatisfied"}))
    assert false_closure(CaseFacts(**{**base.__dict__, "reopened_at": closed + timedelta(days=29)}))
    assert not false_closure(CaseFacts(**{**base.__dict__, "reopened_at": closed + timedelta(days=31)}))


def test_monthly_measures_worked_example():
    """Four March cases in one town (synthetic): every rate checked by hand."""
    mar = lambda d: _utc(2026, 3, d, 2)  # noqa: E731
    cases = [
        CaseFacts("330402007", "矛盾纠纷", mar(2), mar(16), mar(5), mar(5), "visited", "satisfied", mar(6)),
        CaseFacts(
            "330402007", "矛盾纠纷", mar(3), mar(17), mar(20), mar(20), "visited", "dissatisfied", mar(21)
        ),
        CaseFacts(
            "330402007", "诉求", mar(4), mar(18), mar(6), mar(6), "visited", "basic", mar(7), is_repeat=True
        ),
        CaseFacts("330402007", "诉求", mar(9), mar(23), None, None, "handling"),
    ]
    ms = monthly_measures(cases, lambda c: ["330402"] if len(c) == 9 else [], _utc(2026, 4, 1))
    got = {(m.region_code, m.measure): (round(m.value, 2), m.denominator) for m in ms}
    assert got[("330402007", "ontime")] == (50.0, 4)  # case 1 and 3 on time; 2 late and rejected; 4 open
    assert got[("330402007", "satisfaction")] == (66.67, 3)
    assert got[("330402007", "resolution")] == (50.0, 2)  # the rejected dispute is not resolved
    assert got[("330402007", "repeat")] == (25.0, 4)
    assert got[("330402007", "median_days")] == (3.0, 3)  # 3, 17, 2 days
    assert got[("330402", "ontime")] == got[("330402007", "ontime")]


def test_contact_masked_and_protected(monkeypatch):
    from cryptography.fernet import Fernet

    monkeypatch.setenv(contact.KEY_ENV, Fernet.generate_key().decode())
    assert contact.mask("13812345678") == "138****5678"
    assert contact.mask("张三丰") == "张**"
    token = contact.protect("13812345678")
    assert "1381234" not in token and contact.reveal(token) == "13812345678"
    assert (
        contact.fingerprint("138-1234-5678") == contact.fingerprint("13812345678") != contact.fingerprint("1")
    )
