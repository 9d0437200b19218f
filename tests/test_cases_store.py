"""The closed loop on both databases with a fake clock: intake, routing, 退单, 吹哨报到, escalation,
callback, reopen, false closure, measures into observations, scope and audit. All data synthetic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from gongfu.cases import report
from gongfu.cases.actor import CaseActor, operator
from gongfu.cases.classify import Prediction
from gongfu.cases.corrections import corrected, reclassify
from gongfu.cases.hotline import read_export
from gongfu.cases.intake import CaseDraft, intake_many
from gongfu.cases.moves import escalate_overdue, move
from gongfu.cases.queries import Filters, breakdown, get_case, inbox, list_cases, queue, warnings_board
from gongfu.errors import ConflictError, InputError, NotFound, ScopeError, ValidationFailed
from gongfu.store.access_tables import AuditEventRow
from gongfu.store.cases_tables import CaseRow

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # Monday 09:00 in Beijing
TOWN, TOWN2, COUNTY = "330402007", "330402008", "330402"
OP = operator("tester")


@pytest.fixture(autouse=True)
def _contact_key(monkeypatch):
    from cryptography.fernet import Fernet

    monkeypatch.setenv("GONGFU_CONTACT_KEY", Fernet.generate_key().decode())


class FakeClassifier:
    """Stands in for the trained model: says 环境保护 for anything mentioning 噪音, else 城乡建设."""

    version = "fake-1"

    def predict(self, subjects, bodies):
        return [Prediction("环境保护" if "噪音" in b else "城乡建设", 0.9 if "噪音" in b else 0.55, "x", 0.05)
                for b in bodies]  # fmt: skip


def _take(db, *drafts: CaseDraft, now=T0, actor=OP) -> list[int]:
    return intake_many(db, actor, list(drafts), classifier=FakeClassifier(), now=now).ids


def test_intake_classifies_routes_and_sets_the_deadline(db):
    [cid] = _take(db, CaseDraft("楼下工地夜间噪音扰民", TOWN, grid="G07", contact="13812345678"))
    c = get_case(db, OP, cid)
    assert (c["service_name"], c["category_source"], c["category_confidence"]) == ("环境保护", "model", 0.9)
    assert c["department"] == "生态环境分局" and c["gongfu_status"] == "received"
    assert (c["level"], c["agency_responsible"]) == ("town", "乡镇（街道）基层治理综合信息指挥室")
    assert c["contact"] == "138****5678"
    assert c["expected_datetime"].startswith("2026-03-16")  # 10 working days after Mon 2 March
    with db.session() as s:
        row = s.get(CaseRow, cid)
        assert "13812345678" not in row.contact_protected
        assert (
            s.scalar(
                select(func.count()).select_from(AuditEventRow).where(AuditEventRow.action == "case.intake")
            )
            == 1
        )


def test_bad_drafts_store_nothing_and_list_every_problem(db):
    with pytest.raises(ValidationFailed) as exc:
        _take(db, CaseDraft("ok", TOWN), CaseDraft("", TOWN, kind="投诉"), CaseDraft("x", "330400"))
    assert len(exc.value.problems) == 3  # empty text, unknown kind, a city is too coarse
    assert list_cases(db, OP, Filters()) == []


def test_full_loop_with_return_reroute_join_and_callback(db):
    [cid] = _take(db, CaseDraft("小区道路破损", TOWN, village="新嘉村", grid="G03", contact="13900000000"))
    move(db, OP, cid, "dispatch", now=T0)
    with pytest.raises(InputError, match="理由"):
        move(db, OP, cid, "return", now=T0)
    move(db, OP, cid, "return", reason="不属于本乡镇职责", now=T0)
    assert [c["id"] for c in queue(db, OP)] == [cid]  # back in the dispatcher's queue
    with pytest.raises(InputError, match="已退单"):
        move(db, OP, cid, "dispatch", now=T0)
    move(db, OP, cid, "dispatch", unit="住房和城乡建设局", level="county", now=T0)
    move(db, OP, cid, "reroute", unit="交通运输局", level="county", reason="属道路养护", now=T0)
    move(db, OP, cid, "join", joint=[("town", "乡镇（街道）城管中队")], now=T0)
    assert {c["assignment_unit"] for c in inbox(db, OP)} == {"交通运输局", "乡镇（街道）城管中队"}
    move(db, OP, cid, "sign", now=T0)
    move(db, OP, cid, "handle", now=T0)
    with pytest.raises(InputError, match="办理情况"):
        move(db, OP, cid, "close", now=T0)
    move(db, OP, cid, "close", note="已修复路面", now=T0 + timedelta(days=2))
    with pytest.raises(InputError, match="满意度"):
        move(db, OP, cid, "callback", now=T0)
    move(db, OP, cid, "callback", satisfaction="satisfied", now=T0 + timedelta(days=3))
    move(db, OP, cid, "archive", now=T0 + timedelta(days=3))
    c = get_case(db, OP, cid)
    assert c["gongfu_status"] == "archived" and c["status"] == "closed"
    statuses = [(a["unit"], a["status"]) for a in c["assignments"]]
    assert statuses == [("乡镇（街道）基层治理综合信息指挥室", "returned"), ("住房和城乡建设局", "rerouted"),
                        ("交通运输局", "done"), ("乡镇（街道）城管中队", "done")]  # fmt: skip
    assert [e["action"] for e in c["events"]] == ["intake", "dispatch", "return", "dispatch", "reroute", "join",
                                                  "sign", "handle", "close", "callback", "archive"]  # fmt: skip
    assert inbox(db, OP) == []


def test_wrong_state_role_and_stale_version(db):
    [cid] = _take(db, CaseDraft("路灯不亮", TOWN))
    with pytest.raises(ConflictError):
        move(db, OP, cid, "close", note="x", now=T0)
    viewer = CaseActor("v", frozenset({"unit"}))
    with pytest.raises(ScopeError):
        move(db, viewer, cid, "dispatch", now=T0)
    move(db, OP, cid, "dispatch", now=T0, version=1)
    with pytest.raises(ConflictError, match="已被他人修改"):
        move(db, OP, cid, "sign", now=T0, version=1)


def test_overdue_cases_escalate_one_level_at_a_time(db):
    [cid] = _take(db, CaseDraft("邻里宅基地纠纷", TOWN, kind="矛盾纠纷", village="新嘉村", grid="G03"))
    move(db, OP, cid, "dispatch", now=T0)
    assert escalate_overdue(db, T0 + timedelta(days=10)) == []  # 15 working days: not yet due
    day = T0 + timedelta(days=25)
    [m] = escalate_overdue(db, day)
    assert (m["level"], m["from_unit"]) == ("village", "G03 网格员")
    levels = []
    for _ in range(4):
        day += timedelta(days=10)
        levels += [x["level"] for x in escalate_overdue(db, day)]
    assert levels == ["town", "county"]  # and no further than the county
    c = get_case(db, OP, cid)
    assert c["agency_responsible"] == "司法局"
    assert [a["status"] for a in c["assignments"]] == ["escalated", "escalated", "escalated", "open"]


def test_reopen_within_30_days_is_a_false_closure(db):
    ids = _take(db, CaseDraft("纠纷甲", TOWN, kind="矛盾纠纷"), CaseDraft("纠纷乙", TOWN, kind="矛盾纠纷"),
                CaseDraft("纠纷丙", TOWN, kind="矛盾纠纷"))  # fmt: skip
    for cid in ids:
        for a in ("dispatch", "sign"):
            move(db, OP, cid, a, now=T0)
        move(db, OP, cid, "close", note="已调解", now=T0 + timedelta(days=1))
    move(db, OP, ids[1], "reopen", reason="当事人反映未履行", now=T0 + timedelta(days=5))
    move(db, OP, ids[2], "callback", satisfaction="dissatisfied", now=T0 + timedelta(days=2))
    ms = report.compute(db, OP, region=COUNTY, asof=T0 + timedelta(days=40))
    res = {(m.region_code, m.measure): m for m in ms}
    assert (res[(TOWN, "resolution")].value, res[(TOWN, "resolution")].denominator) == (
        pytest.approx(100 / 3),
        3,
    )
    assert res[(TOWN, "satisfaction")].value == 0.0
    summary = report.save(db, ms)
    assert summary.added == len(report.drafts(ms))
    from gongfu.observations.service import history

    obs = {o.period: o for o in history(db, indicator="dispute_resolution_rate", region=TOWN)}
    assert (obs["M03"].year, obs["M03"].source_text) == (2026, "1/3")
    assert (obs[""].year, obs[""].value) == (2026, pytest.approx(100 / 3, abs=1e-3))  # the year to date
    assert report.save(db, ms).unchanged == len(report.drafts(ms))  # same figures: nothing new


def test_a_resolution_rate_target_is_evaluated_from_case_data(db, tmp_path):
    """矛盾纠纷化解率达到95%: three disputes closed and rated in 2026, one reopened → 2/3 resolved."""
    from gongfu.evaluation.service import evaluate_region
    from gongfu.plans.service import ingest

    plan = tmp_path / "plan-synthetic.txt"
    plan.write_text("某区共同富裕行动方案(2021—2026年)\n一、主要目标\n到2026年,矛盾纠纷化解率达到95%以上。\n",
                    encoding="utf-8")  # fmt: skip
    ingest(db, [plan], region=COUNTY)
    ids = _take(db, *(CaseDraft(f"纠纷{i}（合成）", TOWN, kind="矛盾纠纷") for i in range(3)))
    for cid in ids:
        for a in ("dispatch", "sign"):
            move(db, OP, cid, a, now=T0)
        move(db, OP, cid, "close", note="已调解", now=T0 + timedelta(days=1))
    move(db, OP, ids[0], "reopen", reason="未履行", now=T0 + timedelta(days=5))
    report.save(db, report.compute(db, OP, region=COUNTY, asof=T0 + timedelta(days=40)))
    [r] = [x for x in evaluate_region(db, COUNTY) if x["indicator_code"] == "dispute_resolution_rate"]
    assert r["latest_year"] == 2026 and r["latest"] == pytest.approx(200 / 3, abs=1e-3)
    assert r["observations"][0]["source"] == report.SOURCE


def test_repeat_requests_and_warnings(db):
    d = lambda: CaseDraft("垃圾堆放无人清理", TOWN, grid="G01", contact="13700000000")  # noqa: E731
    ids = [_take(db, d(), now=T0 + timedelta(days=i))[0] for i in range(4)]
    reps = [get_case(db, OP, i)["repeat_of"] for i in ids]
    assert reps == [None, ids[0], ids[1], ids[2]]
    board = warnings_board(db, OP, now=T0 + timedelta(days=4))
    # the n-th request from one grid in 30 days repeats n-1 earlier ones: yellow at 1, orange at 2, red at 3
    assert {w["id"]: w["warning"] for w in board} == {ids[1]: "yellow", ids[2]: "orange", ids[3]: "red"}
    assert any("重复3次" in r for r in board[0]["warning_reasons"])
    late = warnings_board(db, OP, now=T0 + timedelta(days=30))
    assert all("已超期" in w["warning_reasons"] for w in late)


def test_scope_hides_other_towns(db):
    [a] = _take(db, CaseDraft("甲镇诉求", TOWN))
    [b] = _take(db, CaseDraft("乙镇诉求", TOWN2))
    town_user = CaseActor(
        "t", frozenset({"dispatcher", "unit", "intake"}), TOWN, lambda c: bool(c and c.startswith(TOWN))
    )
    assert [c["id"] for c in list_cases(db, town_user, Filters())] == [a]
    with pytest.raises(NotFound):
        get_case(db, town_user, b)
    with pytest.raises(NotFound):
        move(db, town_user, b, "dispatch", now=T0)
    with pytest.raises(ValidationFailed, match="不在您的范围"):
        _take(db, CaseDraft("越界", TOWN2), actor=town_user)
    rows = {r["region_code"]: r["total"] for r in breakdown(db, OP, COUNTY, [TOWN, TOWN2])}
    assert rows == {TOWN: 1, TOWN2: 1}


def test_human_override_is_recorded_and_feeds_retraining(db):
    [cid] = _take(db, CaseDraft("学校门口道路拥堵", TOWN))
    out = reclassify(db, OP, cid, "交通运输", reason="属交通")
    assert (out["previous"], out["department"]) == ("城乡建设", "交通运输局")
    c = get_case(db, OP, cid)
    assert c["category_source"] == "human" and c["events"][-1]["detail"]["old"]["confidence"] == 0.55
    labelled = corrected(db)
    assert labelled.labels == ["交通运输"] and labelled.bodies == ["学校门口道路拥堵"]


def test_hotline_import_is_idempotent_and_all_or_nothing(db, tmp_path: Path):
    p = tmp_path / "synthetic-12345-export.csv"
    p.write_text("工单编号,来电时间,诉求内容,区划代码,网格,联系电话,紧急程度\n"
                 "H001,2026-03-02 09:15,夜间施工噪音,330402007,G07,13811112222,一般\n"
                 "H002,2026/03/02 10:00,路面塌陷,330402008,,13811113333,特急\n", encoding="utf-8")  # fmt: skip
    drafts = read_export(p)
    assert drafts[1].urgency == "urgent" and drafts[0].received_at.isoformat() == "2026-03-02T09:15:00+08:00"
    first = intake_many(db, OP, drafts, classifier=FakeClassifier(), now=T0)
    again = intake_many(db, OP, read_export(p), classifier=FakeClassifier(), now=T0)
    assert len(first.ids) == 2 and again.ids == [] and sorted(again.existing) == sorted(first.ids)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "工单编号,来电时间,诉求内容,区划代码\nH9,昨天,内容,330402007\nH10,2026-03-02,内容,33\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationFailed) as exc:
        intake_many(db, OP, read_export(bad), now=T0)
    assert [p.row for p in exc.value.problems] == [2]  # the time; region is checked once times parse


def test_hotline_region_header_variants_and_no_region_column(db, tmp_path: Path):
    for header in ("区划", "行政区划", "所属区划", "区域"):
        p = tmp_path / f"synthetic-{header}.csv"
        p.write_text(f"工单编号,诉求内容,{header}\nR-{header},路灯不亮,{TOWN}\n", encoding="utf-8")
        [draft] = read_export(p)
        assert draft.region == TOWN
    assert len(intake_many(db, OP, read_export(p), classifier=FakeClassifier(), now=T0).ids) == 1
    none = tmp_path / "synthetic-no-region.csv"
    none.write_text("工单编号,诉求内容,地点\nN1,路灯不亮,某处\nN2,噪音,某处\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as exc:
        read_export(none)
    assert [(pr.row, pr.code) for pr in exc.value.problems] == [(None, "columns")]
    assert "找不到地区列" in exc.value.problems[0].message
    assert [d.region for d in read_export(none, region=TOWN)] == [TOWN, TOWN]  # --region fills in


def test_cli_move_takes_the_chinese_action_names(db, monkeypatch):
    from typer.testing import CliRunner

    from gongfu.cli import state
    from gongfu.cli.cases import app

    monkeypatch.setattr(state, "db_url", db.url)
    [cid] = _take(db, CaseDraft("小区道路破损", TOWN))
    r = CliRunner().invoke(app, ["move", str(cid), "分派", "--unit", "住房和城乡建设局", "--level", "county"])
    assert r.exit_code == 0, r.output
    assert f"诉求 {cid}：受理 → 分派；承办单位：" in r.stdout and "住房和城乡建设局" in r.stdout
    assert get_case(db, OP, cid)["gongfu_status"] == "dispatched"
    r = CliRunner().invoke(app, ["move", str(cid), "签收", "--format", "json"])
    assert '"action": "sign"' in r.stdout
    r = CliRunner().invoke(app, ["move", "--help"], env={"COLUMNS": "200"})  # no wrap inside a name
    assert "dispatch (分派)" in r.stdout and "join (吹哨报到)" in r.stdout


def test_schema_matches_the_case_models(db):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from gongfu.store.tables import Base

    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert [d for d in diff if "case" in str(d)] == []


OTHER_TOWN = "330411002"  # 新城街道, in another county (秀洲区) than TOWN/TOWN2 (南湖区)


def test_repeat_requests_stay_within_one_county_and_so_does_the_repeat_rate(db):
    d = lambda town: CaseDraft("路灯不亮（合成）", town, category="城乡建设", contact="13700000001")  # noqa: E731
    [first] = _take(db, d(TOWN))
    [elsewhere] = _take(db, d(OTHER_TOWN), now=T0 + timedelta(days=1))  # same phone, another county
    [again] = _take(db, d(TOWN2), now=T0 + timedelta(days=2))  # same county, another town: a repeat
    assert [get_case(db, OP, i)["repeat_of"] for i in (first, elsewhere, again)] == [None, None, first]
    # a link stored before the rule (across counties) does not count in the county's 重复诉求率 either
    with db.session() as s:
        s.get(CaseRow, elsewhere).repeat_of = first
    rate = lambda code: next(  # noqa: E731
        m for m in report.compute(db, OP, region=code, asof=T0 + timedelta(days=3))
        if m.measure == "repeat" and m.region_code == code
    )  # fmt: skip
    assert (rate("330411").numerator, rate("330411").denominator) == (0, 1)
    assert (rate(COUNTY).numerator, rate(COUNTY).denominator) == (1, 2)


def test_ticket_numbers_are_per_county(db):
    """工单编号 are unique per hotline operator (a county): the same number in another town of the county is a
    duplicate; in another county it never answers with this county's case (refused until the schema follows)."""
    [b] = _take(db, CaseDraft("南湖工单（合成）", TOWN, channel="12345", external_id="H777"))
    same_county = intake_many(db, OP, [CaseDraft("同号（合成）", TOWN2, channel="12345", external_id="H777")],
                              now=T0)  # fmt: skip
    assert (same_county.ids, same_county.existing) == ([], [b])
    try:
        other = intake_many(db, OP, [CaseDraft("秀洲同号（合成）", OTHER_TOWN, channel="12345", external_id="H777")],
                            now=T0)  # fmt: skip
    except ValidationFailed as exc:  # the global unique constraint: nothing stored, no case id given
        assert [p.code for p in exc.problems] == ["external_id"]
        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(CaseRow)) == 1
    else:
        assert other.existing == [] and other.ids != [b]


def test_a_ticket_number_of_another_county_never_answers_with_its_case(db):
    [b] = _take(db, CaseDraft("南湖工单（合成）", TOWN, channel="12345", external_id="H777"))
    same_county = intake_many(db, OP, [CaseDraft("同号（合成）", TOWN2, channel="12345", external_id="H777")],
                              now=T0)  # fmt: skip
    assert (same_county.ids, same_county.existing) == ([], [b])  # one operator, one number: a duplicate
    other = intake_many(db, OP, [CaseDraft("秀洲同号（合成）", OTHER_TOWN, channel="12345", external_id="H777")],
                        now=T0)  # fmt: skip
    assert other.existing == [] and len(other.ids) == 1 and other.ids != [b]
    assert get_case(db, OP, other.ids[0])["region_code"] == OTHER_TOWN


def test_a_batch_links_repeats_and_ticket_numbers_as_one_request_at_a_time(db, tmp_path):
    """intake_many decides set-wise; its repeat links and stored-ticket answers equal taking the same requests
    in one by one (a ticket given twice in the batch is taken once; later rows repeat earlier ones)."""
    from gongfu.store.db import open_db

    def drafts():
        at = lambda h: T0 + timedelta(hours=h)  # noqa: E731
        return [
            CaseDraft("垃圾堆放无人清理（合成）", TOWN, grid="G01", received_at=at(0), channel="12345", external_id="B1"),
            CaseDraft("垃圾仍未清理（合成）", TOWN, grid="G01", received_at=at(2), channel="12345", external_id="B2"),
            CaseDraft("同一号码再报（合成）", TOWN, grid="G09", contact="13700000001", received_at=at(3)),
            CaseDraft("同一号码又报（合成）", TOWN2, contact="13700000001", received_at=at(4)),
            CaseDraft("重复工单（合成）", TOWN, grid="G01", received_at=at(5), channel="12345", external_id="B1"),
            CaseDraft("夜间噪音（合成）", TOWN, grid="G01", received_at=at(6)),  # another category: no link
            CaseDraft("更早的垃圾（合成）", TOWN, grid="G01", received_at=at(1)),
        ]  # fmt: skip

    one = open_db(f"sqlite:///{tmp_path / 'one-by-one.db'}")
    singles = [intake_many(one, OP, [d], classifier=FakeClassifier(), now=T0) for d in drafts()]
    batch = intake_many(db, OP, drafts(), classifier=FakeClassifier(), now=T0)

    def links(database, ids):
        with database.session() as s:
            rows = {r.id: r for r in s.scalars(select(CaseRow))}
        pos = {cid: k for k, cid in enumerate(ids)}
        return [pos.get(rows[i].repeat_of) if rows[i].repeat_of else None for i in ids]

    single_ids = [i for r in singles for i in r.ids]
    assert links(db, batch.ids) == links(one, single_ids)
    assert links(db, batch.ids)[1] == 0 and links(db, batch.ids)[3] == 2  # the links exist at all
    assert batch.existing == [batch.ids[0]] and [r.existing for r in singles][4] == [single_ids[0]]
    one.engine.dispose()
