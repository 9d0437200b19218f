"""Separation of duties in the findings loop (every role pair) and case moves that cannot both win a race."""

from __future__ import annotations

import itertools
import threading

import pytest
from sqlalchemy import func, select

from gongfu.access.roles import ROLES
from gongfu.errors import ConflictError, NotFound
from gongfu.regions import load
from gongfu.store.cases_tables import CaseAssignmentRow, CaseEventRow, CaseRow
from gongfu.store.work_tables import FindingRow
from gongfu.work import finding_service as fs
from gongfu.work.findings import STATES, TransitionNotAllowed, check_transition, sides_of
from work_seed import CITY, COUNTY_A, COUNTY_B, PROVINCE, scope

REG = load()
# The loop written out again, independently of the module: (from, to) -> (roles, who on which side may).
SUPERVISE = {
    ("open", "assigned"),
    ("submitted", "verified"),
    ("submitted", "returned"),
    ("verified", "closed"),
}
RECTIFY = {("assigned", "rectifying"), ("rectifying", "submitted"), ("returned", "rectifying")}
RAISERS = [("analyst", CITY), ("admin", CITY), ("analyst", COUNTY_A), ("admin", PROVINCE)]
ACTORS = list(itertools.product(ROLES, (PROVINCE, CITY, COUNTY_A)))
PAIRS = list(itertools.product(RAISERS, ACTORS))


def expected(frm: str, to: str, actor: tuple[str, str], raiser: tuple[str, str]) -> bool:
    role, region = actor
    if (frm, to) in SUPERVISE:  # by the raiser's side: bound to the raiser's region or above it
        return role in ("admin", "analyst") and REG.is_within(raiser[1], region)
    if (frm, to) in RECTIFY:  # by the rectified unit: a reporter inside the finding's region (county A)
        return role == "reporter" and REG.is_within(region, COUNTY_A)
    return False


@pytest.mark.parametrize(
    ("raiser", "actor"), PAIRS, ids=[f"{r[0]}@{r[1]}-by-{a[0]}@{a[1]}" for r, a in PAIRS]
)
def test_every_move_for_every_pair_of_raiser_and_actor(raiser, actor) -> None:
    sides = sides_of(f"{actor[0]}@{actor[1]}", actor[1], raiser=f"{raiser[0]}@{raiser[1]}", raised_in=raiser[1],
                     finding_region=COUNTY_A, is_within=REG.is_within)  # fmt: skip
    for frm, to in itertools.product(STATES, STATES):
        if expected(frm, to, actor, raiser):
            check_transition(frm, to, actor[0], sides)
        else:
            with pytest.raises(TransitionNotAllowed):
                check_transition(frm, to, actor[0], sides)


def test_the_raiser_itself_may_verify_even_below_its_own_region() -> None:
    sides = sides_of("zhang", COUNTY_A, raiser="zhang", raised_in=CITY, finding_region=COUNTY_A,
                     is_within=REG.is_within)  # fmt: skip
    check_transition("submitted", "verified", "analyst", sides)


def _submitted_finding(db) -> int:
    city = scope("analyst", CITY, "city_analyst")
    unit = scope("reporter", COUNTY_A, "unit_a")
    fid = fs.add_finding(db, city, title="合成督查问题", region=COUNTY_A, unit_name="区发改局")["id"]
    for who, to in ((city, "assigned"), (unit, "rectifying"), (unit, "submitted")):
        fs.move_finding(db, who, fid, to)
    return fid


def test_the_rectified_county_cannot_verify_what_the_city_raised(db) -> None:
    fid = _submitted_finding(db)
    county = scope("analyst", COUNTY_A, "county_analyst")
    assert fs.finding(db, county, fid)["next"] == []  # nothing offered to the rectified party
    with pytest.raises(TransitionNotAllowed, match="被整改方不能核验自己的整改"):
        fs.move_finding(db, county, fid, "verified")
    with pytest.raises(TransitionNotAllowed):
        fs.move_finding(db, scope("admin", COUNTY_A, "county_admin"), fid, "verified")
    with db.session() as s:
        assert s.get(FindingRow, fid).state == "submitted"
    city = scope("analyst", CITY, "another_city_analyst")
    assert fs.finding(db, city, fid)["next"] == ["verified", "returned"]
    assert fs.move_finding(db, city, fid, "verified")["state"] == "verified"
    assert fs.move_finding(db, scope("admin", PROVINCE, "prov"), fid, "closed")["state"] == "closed"


# ---- case moves: two dispatchers, one version ----------------------------------------------------------


def _race(calls) -> list[object]:
    gate = threading.Barrier(len(calls))
    out: list[object] = [None] * len(calls)

    def run(i, call):
        gate.wait()
        try:
            out[i] = call()
        except Exception as exc:
            out[i] = exc

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def test_two_dispatchers_with_one_version_one_wins_one_gets_409_nothing_lost(db, monkeypatch) -> None:
    from cryptography.fernet import Fernet

    from gongfu.cases.actor import operator
    from gongfu.cases.intake import CaseDraft, intake_many
    from gongfu.cases.moves import move

    monkeypatch.setenv("GONGFU_CONTACT_KEY", Fernet.generate_key().decode())
    town = "330402007"
    [cid] = intake_many(
        db, operator("intake"), [CaseDraft("路灯不亮（合成）", town, category="城乡建设")]
    ).ids
    for trial in range(3):
        with db.session() as s:
            version = s.get(CaseRow, cid).version
            events_before = _events(s, cid)
        action = "dispatch" if trial == 0 else "reroute"

        def dispatch(unit: str, who: str, action: str = action, version: int = version) -> dict:
            return move(
                db, operator(who), cid, action, unit=unit, level="county", reason="合成", version=version
            )

        results = _race(
            [
                lambda: dispatch(f"甲单位{trial}", "dispatcher_1"),  # noqa: B023 (called before the loop moves on)
                lambda: dispatch(f"乙单位{trial}", "dispatcher_2"),  # noqa: B023
            ]
        )
        wins = [r for r in results if isinstance(r, dict)]
        losses = [r for r in results if isinstance(r, ConflictError)]
        assert len(wins) == 1 and len(losses) == 1, results
        assert "未保存" in str(losses[0])
        with db.session() as s:
            row = s.get(CaseRow, cid)
            open_leads = select(CaseAssignmentRow.unit).where(
                CaseAssignmentRow.case_id == cid,
                CaseAssignmentRow.role == "lead",
                CaseAssignmentRow.ended_at.is_(None),
            )
            assert list(s.scalars(open_leads)) == [row.unit] and wins[0]["unit"].endswith(row.unit)
            assert row.version == version + 1
            assert _events(s, cid) == events_before + 1  # one event for the winner, none for the loser


def _events(s, cid: int) -> int:
    return s.scalar(select(func.count()).select_from(CaseEventRow).where(CaseEventRow.case_id == cid))


def test_a_county_b_analyst_moves_nothing_in_county_a(db) -> None:
    fid = _submitted_finding(db)
    with pytest.raises(NotFound):  # out of scope reads as absent
        fs.move_finding(db, scope("analyst", COUNTY_B, "b"), fid, "verified")
