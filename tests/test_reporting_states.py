"""The approval state machine: every allowed and every refused step, per role, from every state.

Chain: unit approver → analyst of the region owning the target. Actors (synthetic users of 秀洲区 330411):
rep (the unit's reporter), boss (the unit's approver), both (reporter and approver of the unit), county
(analyst of 秀洲区), city (analyst of 嘉兴市), other (analyst of 南湖区), viewer (viewer of 秀洲区).
"""

from __future__ import annotations

import itertools

import pytest

from cascade_seed import add_users
from gongfu.access import get_user
from gongfu.access.scope import Scope
from gongfu.errors import ConflictError, NotFound, ScopeError
from gongfu.regions import load
from gongfu.reporting import add_member, approve, open_form, return_form, revise, save, submit, withdraw
from gongfu.reporting.views import form_view
from gongfu.store.db import open_db
from gongfu.store.reporting_tables import DataRequestRow
from gongfu.work.access import operator_scope

COUNTY, UNIT = "330411", "区统计局"
USERS = {
    "rep": ("reporter", COUNTY),
    "boss": ("reporter", COUNTY),
    "both": ("reporter", COUNTY),
    "county": ("analyst", COUNTY),
    "city": ("analyst", "330400"),
    "other": ("analyst", "330402"),
    "viewer": ("viewer", COUNTY),
}


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    db = open_db(f"sqlite:///{tmp_path_factory.mktemp('states') / 'g.db'}")
    add_users(db, USERS)
    admin = operator_scope(COUNTY)
    for user, duty in (("rep", "reporter"), ("boss", "approver"), ("both", "reporter"), ("both", "approver")):
        add_member(db, admin, user, region=COUNTY, unit=UNIT, duty=duty)
    with db.session() as s:
        for year in (2023, 2024, 2025, 2026):
            s.add(
                DataRequestRow(
                    indicator_code="gdp",
                    region_code=COUNTY,
                    year=year,
                    period_type="month",
                    unit_name=UNIT,
                    unit_source="default",
                    due_days=10,
                    chain=["unit", "region"],
                )
            )
    periods = itertools.product((2023, 2024, 2025, 2026), [f"M{m:02d}" for m in range(1, 13)])
    yield db, periods
    db.engine.dispose()


def who(db, name: str) -> Scope:
    return Scope(get_user(db, name), load())


def make(env, state: str, reporter: str = "rep") -> int:
    """A fresh form (its own period) brought to `state` by the rightful actors."""
    db, periods = env
    year, period = next(periods)
    fid = open_form(
        db, who(db, reporter), region=COUNTY, unit=UNIT, year=year, period=period, period_type="month"
    )
    v = form_view(db, who(db, reporter), fid)
    save(db, who(db, reporter), fid, [{"item": v["items"][0]["item"], "value": "100"}], version=v["version"])
    steps = {
        "draft": [],
        "submitted": ["submit"],
        "approved_1": ["submit", "boss"],
        "returned": ["submit", "return"],
        "approved": ["submit", "boss", "county"],
    }[state]
    for step in steps:
        version = form_view(db, who(db, reporter), fid)["version"]
        if step == "submit":
            submit(db, who(db, reporter), fid, version=version)
        elif step == "return":
            return_form(db, who(db, "boss"), fid, "合成退回", version=version)
        else:
            approve(db, who(db, step), fid, version=version)
    return fid


def act(env, fid: int, actor: str, action: str):
    db, _ = env
    scope = who(db, actor)
    version = form_view(db, operator_scope("330000"), fid)["version"]
    item = form_view(db, operator_scope("330000"), fid)["items"][0]["item"]
    if action == "save":
        return save(db, scope, fid, [{"item": item, "value": "101"}], version=version)
    if action == "return":
        return return_form(db, scope, fid, "数据口径不一致", version=version)
    fn = {"submit": submit, "withdraw": withdraw, "approve": approve, "revise": revise}[action]
    return fn(db, scope, fid, version=version)


ALLOWED = [  # (state, actor, action, state after)
    ("draft", "rep", "save", "draft"),
    ("draft", "rep", "submit", "submitted"),
    ("submitted", "rep", "withdraw", "draft"),
    ("submitted", "boss", "approve", "submitted"),
    ("submitted", "boss", "return", "returned"),
    ("approved_1", "county", "approve", "approved"),
    ("approved_1", "city", "approve", "approved"),
    ("approved_1", "county", "return", "returned"),
    ("returned", "rep", "save", "returned"),
    ("returned", "rep", "submit", "submitted"),
    ("approved", "rep", "revise", "draft"),
]
REFUSED = [  # (state, actor, action, error)
    ("draft", "rep", "withdraw", ConflictError),
    ("draft", "boss", "approve", ConflictError),
    ("draft", "rep", "revise", ConflictError),
    ("draft", "boss", "submit", ScopeError),  # an approver who is not a reporter of the unit
    ("draft", "viewer", "save", ScopeError),
    ("draft", "county", "save", ScopeError),  # the analyst is not the unit's reporter
    ("draft", "other", "submit", NotFound),  # another county's analyst does not even see the form
    ("submitted", "rep", "approve", ScopeError),  # the reporter is not an approver
    ("submitted", "county", "approve", ScopeError),  # the first level is the unit's, not the analyst's
    ("submitted", "viewer", "approve", ScopeError),
    ("submitted", "rep", "save", ConflictError),
    ("submitted", "rep", "submit", ConflictError),
    ("submitted", "boss", "revise", ScopeError),
    ("approved_1", "rep", "withdraw", ConflictError),  # too late: the unit has approved
    ("approved_1", "boss", "approve", ScopeError),  # the second level is an analyst's
    ("approved_1", "other", "approve", NotFound),
    ("approved_1", "viewer", "return", ScopeError),
    ("approved_1", "rep", "save", ConflictError),
    ("returned", "boss", "approve", ConflictError),
    ("returned", "rep", "withdraw", ConflictError),
    ("returned", "county", "return", ConflictError),
    ("approved", "county", "approve", ConflictError),
    ("approved", "rep", "submit", ConflictError),
    ("approved", "rep", "save", ConflictError),
    ("approved", "rep", "withdraw", ConflictError),
    ("approved", "boss", "return", ConflictError),
]


@pytest.mark.parametrize(("state", "actor", "action", "after"), ALLOWED)
def test_allowed_step(env, state, actor, action, after):
    fid = make(env, state)
    assert act(env, fid, actor, action)["state"] == after
    db, _ = env
    view = form_view(db, operator_scope("330000"), fid)
    assert view["steps"][-1]["action"] == action and view["steps"][-1]["actor"] == actor


@pytest.mark.parametrize(("state", "actor", "action", "error"), REFUSED)
def test_refused_step(env, state, actor, action, error):
    fid = make(env, state)
    db, _ = env
    before = form_view(db, operator_scope("330000"), fid)
    with pytest.raises(error):
        act(env, fid, actor, action)
    after = form_view(db, operator_scope("330000"), fid)
    assert (after["state"], after["level"], after["version"], len(after["steps"])) == (
        before["state"],
        before["level"],
        before["version"],
        len(before["steps"]),
    )


def test_the_approver_cannot_be_the_reporter(env):
    fid = make(env, "submitted", reporter="both")  # both reports and is an approver of the unit
    with pytest.raises(ScopeError, match="审核人不能是填报人"):
        act(env, fid, "both", "approve")
    assert act(env, fid, "boss", "approve")["level"] == 1


def test_one_person_does_not_approve_two_levels(env):
    db, _ = env
    fid = make(env, "approved_1")
    with pytest.raises(ScopeError):
        act(env, fid, "boss", "approve")
    assert form_view(db, who(db, "county"), fid)["moves"] == ["approve", "return"]
    assert form_view(db, who(db, "boss"), fid)["moves"] == []


def test_a_stale_version_is_refused(env):
    db, _ = env
    fid = make(env, "draft")
    v = form_view(db, who(db, "rep"), fid)
    submit(db, who(db, "rep"), fid, version=v["version"])
    with pytest.raises(ConflictError, match="已被他人修改"):
        withdraw(db, who(db, "rep"), fid, version=v["version"])


def test_a_chain_up_to_the_region_above(env):
    """Levels are configurable: here the county analyst, then an analyst of the city above."""
    db, _ = env
    with db.session() as s:
        s.add(
            DataRequestRow(
                indicator_code="gdp",
                region_code=COUNTY,
                year=2026,
                period_type="quarter",
                unit_name="区发改局",
                unit_source="mapping",
                due_days=15,
                chain=["region", "parent"],
            )
        )
    add_member(db, operator_scope(COUNTY), "rep", region=COUNTY, unit="区发改局", duty="reporter")
    fid = open_form(
        db, who(db, "rep"), region=COUNTY, unit="区发改局", year=2026, period="Q1", period_type="quarter"
    )
    v = form_view(db, who(db, "rep"), fid)
    v = save(db, who(db, "rep"), fid, [{"item": v["items"][0]["item"], "value": "250"}], version=v["version"])
    v = submit(db, who(db, "rep"), fid, version=v["version"])
    with pytest.raises(ScopeError):
        approve(db, who(db, "boss"), fid, version=v["version"])  # no unit level in this chain
    v = approve(db, who(db, "county"), fid, version=v["version"])
    with pytest.raises(ScopeError, match="上级"):
        approve(db, who(db, "county"), fid, version=v["version"])  # the county is not above itself
    assert approve(db, who(db, "city"), fid, version=v["version"])["state"] == "approved"
