"""The scope matrix of the work system (/api/v1/work) and the grassroots loop (/api/v1/cases, /api/v1/open311): for every
endpoint, a county-A user is refused county B's data (reads and writes), while a county-B user (the control)
gets it. Both users are analysts, so a refusal is due to scope, not role. A new endpoint under these prefixes
without a row here fails the test. The rest of the API has its matrix in tests/test_web_scope.py.

Every row builds a request for county B's data from ids seeded through the services (synthetic data):
  refused   A gets 403/404 (a row may name other refusal codes), B gets 2xx; a refused write stores nothing
  filtered  both get 2xx; county B's ids are absent for A and present for the control (A's own are present)
  public    no region data (the service list): both get the same answer
The control is the county-B analyst, or the city analyst (who sees both counties) where the request also
names county A's own data (A's policy, A's case, A's region).
Rows that find a leak are `xfail(strict=True, reason="LEAK: …")`: fixing the endpoint makes them fail,
so the mark is removed with the fix.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from gongfu.cases.actor import from_scope
from gongfu.cases.intake import CaseDraft, intake_many
from gongfu.cases.moves import move
from gongfu.regions import load
from gongfu.store.db import Database
from gongfu.store.tables import Base
from gongfu.web.app import create_app
from gongfu.work import finding_service as fs
from gongfu.work import policy, query, service
from web_seed import CITY, COUNTY_A, COUNTY_B, add_plan, add_users, token
from work_seed import PDF, scope, synthetic_xlsx

PREFIXES = ("/api/v1/work/", "/api/v1/cases/", "/api/v1/open311/")
TOWN_A, TOWN_B = "330411002", "330402007"  # 新城街道 (county A), 建设街道 (county B)
INDICATOR = "urban_rural_income_ratio"
AS_OF = "as_of=2024-07-15"
CATEGORY = "城乡建设"


# ---------------------------------------------------------------------------------------------- seed
def seed_county(db: Database, region: str, town: str, tag: str, xlsx: bytes) -> dict:
    """One county's work and case data, written through the services by an analyst of that county."""
    sc = scope("analyst", region, f"seed_{tag}")
    ids: dict = {"region": region, "town": town, "tag": tag, "xlsx": xlsx}
    ids["task"] = service.add_task(
        db,
        sc,
        kind="key_tasks",
        region=region,
        year=2024,
        title=f"{tag}合成任务",
        lead=f"{tag}合成发改局",
        co=[f"{tag}合成财政局"],
        due=date(2024, 6, 30),
    )
    service.link_indicator(db, sc, ids["task"], INDICATOR)
    # a task of a town: the county's analyst is the higher level that checks it off (销号)
    ids["town_task"] = service.add_task(
        db,
        sc,
        kind="key_tasks",
        region=town,
        year=2024,
        title=f"{tag}合成街道任务",
        lead=f"{tag}合成街道办",
        due=date(2024, 12, 31),
    )
    service.report(
        db,
        sc,
        ids["town_task"],
        percent=100,
        narrative="合成",
        on=date(2024, 7, 1),
        files=[("evidence.pdf", PDF)],
    )
    ids["finding"] = fs.add_finding(
        db, sc, title=f"{tag}合成督查问题", task_id=ids["task"], deadline=date(2024, 9, 30)
    )["id"]
    ids["policy"] = policy.add_policy(
        db, sc, title=f"{tag}关于促进农民增收的若干意见（合成）", region=region, text="拓宽农民增收渠道。"
    )["id"]
    policy.link(db, sc, ids["policy"], task_ids=[ids["task"]], indicators=[INDICATOR])
    ids["plan"] = add_plan(db, region, f"{tag}区共同富裕行动方案（合成）")["plan_id"]
    view = query.task(db, sc, ids["task"], as_of=date(2024, 7, 15))
    ids["version"], ids["unit"] = view["version"], view["lead_unit_id"]
    ids["town_version"] = query.task(db, sc, ids["town_task"])["version"]

    actor = from_scope(sc)
    old = datetime.now(UTC) - timedelta(days=90)
    drafts = [
        CaseDraft(
            f"{tag}小区路灯不亮（合成）",
            town,
            category=CATEGORY,
            grid="G01",
            channel="api",
            contact=f"1381234{region[-4:]}",
            external_id=f"synthetic-{tag}-1",
        ),  # received: the queue
        CaseDraft(
            f"{tag}道路破损（合成）",
            town,
            category=CATEGORY,
            grid="G02",
            channel="api",
            external_id=f"synthetic-{tag}-2",
        ),  # dispatched: an inbox
        CaseDraft(
            f"{tag}垃圾清运不及时（合成）",
            town,
            category=CATEGORY,
            grid="G03",
            channel="api",
            received_at=old,
            external_id=f"synthetic-{tag}-3",
        ),  # long overdue: a warning
    ]
    ids["case"], ids["dispatched"], ids["late"] = intake_many(db, actor, drafts, registry=load()).ids
    move(db, actor, ids["dispatched"], "dispatch")
    ids["cases"] = {ids["case"], ids["dispatched"], ids["late"]}
    return ids


@pytest.fixture(autouse=True)
def _no_model(monkeypatch, tmp_path):
    from cryptography.fernet import Fernet

    monkeypatch.setenv("GONGFU_CONTACT_KEY", Fernet.generate_key().decode())
    monkeypatch.setenv(
        "GONGFU_CASE_MODEL", str(tmp_path / "absent.joblib")
    )  # cases arrive 待分类 unless coded


@pytest.fixture
def world(db, db_url, tmp_path: Path):
    add_users(db)
    xlsx = synthetic_xlsx(tmp_path / "list.xlsx", 3).read_bytes()
    ids = {
        "a": seed_county(db, COUNTY_A, TOWN_A, "秀洲", xlsx),
        "b": seed_county(db, COUNTY_B, TOWN_B, "南湖", xlsx),
    }
    with TestClient(create_app(db_url)) as client:
        yield client, db, ids
        client.app.state.db.engine.dispose()


def store_counts(db: Database) -> dict[str, int]:
    """Rows in every table: a refused write leaves them all as they were."""
    with db.session() as s:
        return {t.name: s.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


# ---------------------------------------------------------------------------------------------- probes
# A probe returns the markers of one county (its ids) found in a response body.
def listed(body):
    """The records of a list answer: a page's `items` (Open311 lists are bare GeoReport arrays)."""
    return body["items"] if isinstance(body, dict) and "items" in body else body


def ids_of(key: str, *, inner: str | None = None, field_: str = "id") -> Callable:
    def probe(body, c: dict) -> set:
        items = body[inner] if inner else listed(body)
        wanted = c[key] if isinstance(c[key], set) else {c[key]}
        return {int(x[field_]) for x in items} & wanted

    return probe


def indicator_probe(body, c: dict) -> set:
    return {("task", t["id"]) for t in body["tasks"] if t["id"] == c["task"]} | {
        ("policy", p["id"]) for p in body["policies"] if p["id"] == c["policy"]
    }


def regions_probe(body, c: dict) -> set:
    """Rows (breakdown, measures) of the county's subtree with something in them."""
    inside = {c["region"], c["town"]}
    return {r["region_code"] for r in listed(body) if r["region_code"] in inside and r.get("total", 1)}


def xlsx_probe(content: bytes, c: dict) -> set:
    import openpyxl

    ws = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    titles = {row[2] for row in ws.iter_rows(min_row=4, values_only=True) if len(row) > 2}
    return titles & {f"{c['tag']}合成任务", f"{c['tag']}合成街道任务"}


def repeat_probe(body, c: dict) -> set:
    return {x["repeat_of"] for x in body} & c["cases"]


def sr_probe(body, c: dict) -> set:
    return {int(x["service_request_id"]) for x in body} & c["cases"]


# ---------------------------------------------------------------------------------------------- matrix
@dataclass
class Row:
    kind: str  # refused | filtered | public
    build: Callable[[dict], dict]  # county-B ids -> request keyword arguments (url, json, data, files)
    probe: Callable | None = None  # filtered: markers of a county in the body
    refusal: tuple[int, ...] = (403, 404)
    control: str = "county_b"
    own: bool = True  # filtered: A's own markers must show (the endpoint works, it just filters)
    setup: Callable | None = None  # extra seeding: (db, ids) -> None
    marks: tuple = field(default_factory=tuple)
    note: str = ""


def leak(reason: str) -> tuple:
    return (pytest.mark.xfail(strict=True, reason=f"LEAK: {reason}"),)


def _city_links_b_policy_to_a_task(db: Database, ids: dict) -> None:
    """A city analyst (who sees both counties) links county B's policy to county A's task."""
    policy.link(db, scope("analyst", CITY, "city"), ids["b"]["policy"], task_ids=[ids["a"]["task"]])


def _a_repeats_b_contact(db: Database, ids: dict) -> None:
    """County A takes in a request from the same phone, same category, as county B's first case."""
    a = ids["a"]
    draft = CaseDraft(
        "秀洲同一来电人再次反映（合成）", TOWN_A, category=CATEGORY, contact=f"1381234{COUNTY_B[-4:]}"
    )
    [a["repeat"]] = intake_many(
        db, from_scope(scope("analyst", COUNTY_A, "seed_a")), [draft], registry=load()
    ).ids


def _task(b: dict, key: str = "task") -> str:
    return f"/api/v1/work/tasks/{b[key]}"


MOVE_BODY = {"to": "assigned", "note": "合成"}
MATRIX: dict[tuple[str, str], list[Row]] = {
    # ------------------------------------------------------------------ work: tasks, board, timeline
    ("GET", "/api/v1/work/board"): [
        Row("filtered", lambda b: {"url": f"/api/v1/work/board?{AS_OF}"}, ids_of("task", inner="tasks")),
        Row("refused", lambda b: {"url": f"/api/v1/work/board?region={COUNTY_B}"}),
        Row(
            "filtered",
            lambda b: {"url": f"/api/v1/work/board?unit={b['unit']}"},
            ids_of("task", inner="tasks"),
            own=False,
            note="B's unit as a filter gives A none of B's tasks",
        ),
    ],
    ("GET", "/api/v1/work/tasks"): [
        Row("filtered", lambda b: {"url": f"/api/v1/work/tasks?{AS_OF}"}, ids_of("task")),
        Row("refused", lambda b: {"url": f"/api/v1/work/tasks?region={COUNTY_B}"}),
        Row("refused", lambda b: {"url": f"/api/v1/work/tasks?region={TOWN_B}&overdue=true"}),
    ],
    ("GET", "/api/v1/work/tasks/{task_id}"): [
        Row("refused", lambda b: {"url": _task(b)}),
        Row(
            "filtered",
            lambda b: {"url": f"/api/v1/work/tasks/{b['a']['task']}"},
            ids_of("policy", inner="policies"),
            control="city",
            own=False,
            setup=_city_links_b_policy_to_a_task,
        ),
    ],
    ("PATCH", "/api/v1/work/tasks/{task_id}"): [
        Row(
            "refused",
            lambda b: {"url": _task(b), "json": {"version": b["version"], "person": "越界（合成）"}},
        ),
    ],
    ("POST", "/api/v1/work/tasks/{task_id}/reports"): [
        Row(
            "refused",
            lambda b: {
                "url": f"{_task(b)}/reports",
                "data": {"percent": "50", "narrative": "越界", "version": str(b["version"])},
                "files": [("files", ("evidence.pdf", PDF, "application/pdf"))],
            },
        ),
    ],
    ("POST", "/api/v1/work/tasks/{task_id}/checkoff"): [
        Row("refused", lambda b: {"url": f"{_task(b, 'town_task')}/checkoff?version={b['town_version']}"}),
    ],
    ("POST", "/api/v1/work/lists/import"): [
        Row(
            "refused",
            lambda b: {
                "url": "/api/v1/work/lists/import",
                "files": {"file": ("list.xlsx", b["xlsx"], "application/octet-stream")},
                "data": {"kind": "key_tasks", "region": COUNTY_B, "year": "2024"},
            },
        ),
        Row(
            "refused",
            lambda b: {
                "url": "/api/v1/work/lists/import",
                "files": {"file": ("list.xlsx", b["xlsx"], "application/octet-stream")},
                "data": {"kind": "reform", "region": TOWN_B, "year": "2024"},
            },
        ),
    ],
    ("GET", "/api/v1/work/units"): [
        Row("filtered", lambda b: {"url": "/api/v1/work/units"}, ids_of("unit")),
        Row("refused", lambda b: {"url": f"/api/v1/work/units?region={COUNTY_B}"}),
    ],
    ("GET", "/api/v1/work/units/{unit_id}"): [
        Row("refused", lambda b: {"url": f"/api/v1/work/units/{b['unit']}?{AS_OF}"}),
    ],
    ("GET", "/api/v1/work/gantt"): [
        Row("filtered", lambda b: {"url": "/api/v1/work/gantt"}, ids_of("task", inner="tasks")),
        Row("refused", lambda b: {"url": f"/api/v1/work/gantt?region={COUNTY_B}"}),
    ],
    # ------------------------------------------------------------------ work: findings
    ("GET", "/api/v1/work/findings"): [
        Row("filtered", lambda b: {"url": "/api/v1/work/findings"}, ids_of("finding")),
        Row("refused", lambda b: {"url": f"/api/v1/work/findings?region={COUNTY_B}&open=true"}),
    ],
    ("POST", "/api/v1/work/findings"): [
        Row(
            "refused",
            lambda b: {
                "url": "/api/v1/work/findings",
                "json": {"title": "越界问题（合成）", "task_id": b["task"]},
            },
        ),
        Row(
            "refused",
            lambda b: {
                "url": "/api/v1/work/findings",
                "json": {"title": "越界问题（合成）", "region": COUNTY_B, "unit": "南湖合成发改局"},
            },
        ),
    ],
    ("GET", "/api/v1/work/findings/{finding_id}"): [
        Row("refused", lambda b: {"url": f"/api/v1/work/findings/{b['finding']}"}),
    ],
    ("POST", "/api/v1/work/findings/{finding_id}/move"): [
        Row(
            "refused",
            lambda b: {
                "url": f"/api/v1/work/findings/{b['finding']}/move",
                "json": {**MOVE_BODY, "version": 1},
            },
        ),
    ],
    # ------------------------------------------------------------------ work: policies, indicators, export
    ("GET", "/api/v1/work/policies"): [
        Row("filtered", lambda b: {"url": "/api/v1/work/policies"}, ids_of("policy")),
        Row(
            "filtered",
            lambda b: {"url": "/api/v1/work/policies", "params": {"q": "农民增收"}},
            ids_of("policy"),
        ),
        Row("refused", lambda b: {"url": f"/api/v1/work/policies?region={COUNTY_B}"}),
        Row(
            "refused",
            lambda b: {"url": "/api/v1/work/policies", "params": {"q": "农民增收", "region": COUNTY_B}},
        ),
    ],
    ("POST", "/api/v1/work/policies"): [
        Row(
            "refused",
            lambda b: {
                "url": "/api/v1/work/policies",
                "json": {"title": "越界政策（合成）", "region": COUNTY_B, "text": "合成"},
            },
        ),
        # in one's own region, but taking county B's plan (its text) or hanging under B's policy
        Row(
            "refused",
            lambda b: {
                "url": "/api/v1/work/policies",
                "json": {"region": b["own_region"], "tier": "1", "plan_id": b["plan"]},
            },
            control="city",
        ),
        Row(
            "refused",
            lambda b: {
                "url": "/api/v1/work/policies",
                "json": {
                    "title": "越界配套政策（合成）",
                    "region": b["own_region"],
                    "parent_id": b["policy"],
                },
            },
            control="city",
        ),
    ],
    ("POST", "/api/v1/work/policies/{policy_id}/links"): [
        Row(
            "refused",
            lambda b: {
                "url": f"/api/v1/work/policies/{b['policy']}/links",
                "json": {"indicators": ["per_capita_disposable_income"]},
            },
        ),
        # one's own policy linked to county B's task
        Row(
            "refused",
            lambda b: {
                "url": f"/api/v1/work/policies/{b['own_policy']}/links",
                "json": {"task_ids": [b["task"]]},
            },
            control="city",
        ),
    ],
    ("GET", "/api/v1/work/indicators/{code}"): [
        Row("filtered", lambda b: {"url": f"/api/v1/work/indicators/{INDICATOR}"}, indicator_probe),
        Row("refused", lambda b: {"url": f"/api/v1/work/indicators/{INDICATOR}?region={COUNTY_B}"}),
    ],
    ("GET", "/api/v1/work/battle-map.xlsx"): [
        Row("filtered", lambda b: {"url": f"/api/v1/work/battle-map.xlsx?year=2024&{AS_OF}"}, xlsx_probe),
        Row("refused", lambda b: {"url": f"/api/v1/work/battle-map.xlsx?region={COUNTY_B}&year=2024"}),
    ],
    # ------------------------------------------------------------------ the loop: Open311
    ("GET", "/api/v1/open311/v2/services"): [Row("public", lambda b: {"url": "/api/v1/open311/v2/services"})],
    ("POST", "/api/v1/open311/v2/requests"): [
        # out-of-scope intake is a validation problem (422, every problem listed), nothing stored
        Row(
            "refused",
            lambda b: {
                "url": "/api/v1/open311/v2/requests",
                "data": {"region": TOWN_B, "description": "越界诉求（合成）"},
            },
            refusal=(403, 404, 422),
        ),
        Row(
            "refused",
            lambda b: {
                "url": "/api/v1/open311/v2/requests",
                "data": {"region": COUNTY_B, "description": "越界诉求（合成）", "service_code": CATEGORY},
            },
            refusal=(403, 404, 422),
        ),
        # in one's own town with county B's external id: see test_a_ticket_number_of_county_b_is_not_b_s_case
    ],
    ("GET", "/api/v1/open311/v2/requests"): [
        Row("filtered", lambda b: {"url": "/api/v1/open311/v2/requests"}, sr_probe),
        Row("filtered", lambda b: {"url": "/api/v1/open311/v2/requests?status=open&kind=诉求"}, sr_probe),
        Row("refused", lambda b: {"url": f"/api/v1/open311/v2/requests?region={TOWN_B}"}),
        Row("refused", lambda b: {"url": f"/api/v1/open311/v2/requests?region={COUNTY_B}&status=closed"}),
    ],
    ("GET", "/api/v1/open311/v2/requests/{case_id}"): [
        Row("refused", lambda b: {"url": f"/api/v1/open311/v2/requests/{b['case']}"}),
        Row("refused", lambda b: {"url": f"/api/v1/open311/v2/requests/{b['dispatched']}"}),
        # a county-A case from county B's caller: see test_a_caller_of_county_b_is_no_repeat_in_county_a
    ],
    # ------------------------------------------------------------------ the loop: its own endpoints
    ("POST", "/api/v1/cases/{case_id}/moves"): [
        Row(
            "refused",
            lambda b: {
                "url": f"/api/v1/cases/{b['case']}/moves",
                "json": {"action": "dispatch", "version": 1},
            },
        ),
        Row(
            "refused",
            lambda b: {
                "url": f"/api/v1/cases/{b['dispatched']}/moves",
                "json": {
                    "action": "reroute",
                    "reason": "越界改派（合成）",
                    "level": "county",
                    "unit": "越界单位（合成）",
                    "version": 2,
                },
            },
        ),
    ],
    ("GET", "/api/v1/cases/queue"): [
        Row("filtered", lambda b: {"url": "/api/v1/cases/queue"}, ids_of("cases")),
        Row("refused", lambda b: {"url": f"/api/v1/cases/queue?region={COUNTY_B}"}),
    ],
    ("GET", "/api/v1/cases/inbox"): [
        Row("filtered", lambda b: {"url": "/api/v1/cases/inbox"}, ids_of("cases")),
        Row(
            "filtered",
            lambda b: {"url": "/api/v1/cases/inbox", "params": {"unit": b["inbox_unit"]}},
            ids_of("cases"),
        ),
    ],
    ("GET", "/api/v1/cases/warnings"): [
        Row("filtered", lambda b: {"url": "/api/v1/cases/warnings"}, ids_of("cases")),
        Row("refused", lambda b: {"url": f"/api/v1/cases/warnings?region={TOWN_B}"}),
    ],
    ("GET", "/api/v1/cases/breakdown"): [
        Row("filtered", lambda b: {"url": "/api/v1/cases/breakdown"}, regions_probe),
        Row("refused", lambda b: {"url": f"/api/v1/cases/breakdown?region={COUNTY_B}"}),
    ],
    ("GET", "/api/v1/cases/measures"): [
        Row("filtered", lambda b: {"url": "/api/v1/cases/measures"}, regions_probe),
        Row(
            "refused",
            lambda b: {"url": f"/api/v1/cases/measures?region={COUNTY_B}&year={datetime.now(UTC).year}"},
        ),
    ],
}


def routes() -> set[tuple[str, str]]:
    """Every (method, path) the OpenAPI document publishes under the work and loop prefixes."""
    spec = create_app("sqlite://").openapi()
    return {(m.upper(), p) for p, ops in spec["paths"].items() for m in ops if p.startswith(PREFIXES)}


def test_the_matrix_covers_exactly_the_work_and_loop_routes() -> None:
    assert routes() == set(MATRIX)
    assert all(MATRIX.values())


def _params():
    for route in sorted(MATRIX):
        for i, row in enumerate(MATRIX[route]):
            yield pytest.param(route, i, id=f"{route[0]} {route[1]} #{i} {row.kind}", marks=row.marks)


@pytest.mark.parametrize(("route", "i"), list(_params()))
def test_county_a_is_refused_county_b_data(world, route, i) -> None:
    client, db, ids = world
    row = MATRIX[route][i]
    if row.setup:
        row.setup(db, ids)
    # what the builders may use beyond B's ids: A's own region, policy and case ids, the inbox's unit name
    b = {**ids["b"], "a": ids["a"], "own_region": COUNTY_A, "own_policy": ids["a"]["policy"]}
    b["inbox_unit"] = client.get(
        f"/api/v1/open311/v2/requests/{ids['b']['dispatched']}", headers=token(client, "county_b")
    ).json()[0]["agency_responsible"]
    a_h, b_h = token(client, "county_a"), token(client, row.control)
    method = route[0]

    if row.kind == "refused":
        before = store_counts(db)
        a = client.request(method, headers=a_h, **row.build(b))
        assert a.status_code in row.refusal, (route, i, a.status_code, a.text)
        assert a.json()["detail"]
        if method != "GET":
            assert store_counts(db) == before, "a refused write changed the store"
        ok = client.request(method, headers=b_h, **row.build(b))  # the control: B may (and A changed nothing)
        assert 200 <= ok.status_code < 300, (route, i, ok.status_code, ok.text)
        return

    ok = client.request(method, headers=b_h, **row.build(b))
    assert 200 <= ok.status_code < 300, (route, i, ok.status_code, ok.text)
    a = client.request(method, headers=a_h, **row.build(b))
    assert 200 <= a.status_code < 300, (route, i, a.status_code, a.text)
    if row.kind == "public":
        assert a.json() == ok.json()
        return
    body = (lambda r: r.content) if route[1].endswith(".xlsx") else (lambda r: r.json())
    assert row.probe(body(ok), ids["b"]), f"the control {row.control} does not see county B's data"
    assert not row.probe(body(a), ids["b"]), f"county A sees county B's data: {row.probe(body(a), ids['b'])}"
    if row.own:
        assert row.probe(body(a), ids["a"]), "county A does not see its own data"


def test_a_caller_of_county_b_is_no_repeat_in_county_a(world) -> None:
    """Repeat detection stays within a county: no one (not even the city) sees a county-A case linked to
    county B's; a second request in county A from the same phone is a repeat of the first (the control)."""
    client, db, ids = world
    _a_repeats_b_contact(db, ids)
    first = ids["a"]["repeat"]
    for who in ("county_a", "city"):
        [case] = client.get(f"/api/v1/open311/v2/requests/{first}", headers=token(client, who)).json()
        assert case["repeat_of"] is None, who
        listed = client.get("/api/v1/open311/v2/requests", headers=token(client, who)).json()
        assert not repeat_probe(listed, ids["b"]), who
    draft = CaseDraft(
        "秀洲同一来电人第三次反映（合成）", TOWN_A, category=CATEGORY, contact=f"1381234{COUNTY_B[-4:]}"
    )
    [again] = intake_many(db, from_scope(scope("analyst", COUNTY_A, "seed_a")), [draft], registry=load()).ids
    [case] = client.get(f"/api/v1/open311/v2/requests/{again}", headers=token(client, "county_a")).json()
    assert case["repeat_of"] == first


def test_a_ticket_number_of_county_b_is_not_b_s_case(world) -> None:
    """In one's own town with county B's external id: a case of one's own, and posting again is idempotent."""
    client, _, ids = world
    data = {
        "region": TOWN_A,
        "description": "同号诉求（合成）",
        "channel": "api",
        "external_id": "synthetic-南湖-1",
    }
    for who in ("county_a", "city"):
        r = client.post("/api/v1/open311/v2/requests", headers=token(client, who), data=data)
        assert r.status_code in (200, 201), (who, r.status_code, r.text)
        assert not sr_probe(r.json(), ids["b"]), who
    again = client.post("/api/v1/open311/v2/requests", headers=token(client, "county_a"), data=data)
    assert sr_probe(again.json(), {"cases": {int(x["service_request_id"]) for x in r.json()}})


def test_a_ticket_number_of_county_b_never_answers_with_b_s_case(world) -> None:
    """The leak itself: county B's case id is never the answer to county A's request."""
    client, db, ids = world
    data = {
        "region": TOWN_A,
        "description": "同号诉求（合成）",
        "channel": "api",
        "external_id": "synthetic-南湖-1",
    }
    a_h = token(client, "county_a")
    before = store_counts(db)
    r = client.post("/api/v1/open311/v2/requests", headers=a_h, data=data)
    assert "service_request_id" not in r.text or not sr_probe(r.json(), ids["b"])
    if r.status_code >= 400:  # until the schema keys external ids per county: refused, nothing stored
        assert r.status_code == 422 and store_counts(db) == before


def test_refused_case_intake_lists_the_region_problem(world) -> None:
    client, db, _ = world
    a_h = token(client, "county_a")
    before = store_counts(db)
    r = client.post(
        "/api/v1/open311/v2/requests",
        headers=a_h,
        data={"region": TOWN_B, "description": "越界诉求（合成）"},
    )
    assert r.status_code == 422 and [p["code"] for p in r.json()["problems"]] == ["region"]
    assert store_counts(db) == before


def test_refused_edits_leave_county_b_task_as_it_was(world) -> None:
    client, _, ids = world
    b, a_h, b_h = ids["b"], token(client, "county_a"), token(client, "county_b")
    before = client.get(f"/api/v1/work/tasks/{b['task']}", headers=b_h).json()
    client.patch(
        f"/api/v1/work/tasks/{b['task']}", headers=a_h, json={"version": b["version"], "person": "越界"}
    )
    client.post(f"/api/v1/work/tasks/{b['task']}/reports", headers=a_h, data={"percent": "90"})
    client.post(
        f"/api/v1/work/policies/{ids['a']['policy']}/links", headers=a_h, json={"task_ids": [b["task"]]}
    )
    after = client.get(f"/api/v1/work/tasks/{b['task']}", headers=b_h).json()
    assert after == before
