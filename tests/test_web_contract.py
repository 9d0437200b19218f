"""The API contract and the defects of issues 12 and 15 it fixes (synthetic data, SQLite and PostgreSQL).

Each test here failed before: the audit limit applied before the scope, `/api/index` answering 200 for a
region out of scope, the overview ranking a county among cities, unknown form fields dropped, raw UTF-8
form bodies stored as Latin-1 mojibake, no /api/v1, no pagination totals, errors without a `code`.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from gongfu.access import add_user
from gongfu.access.audit import record
from gongfu.access.scope import Scope
from gongfu.access.users import Principal
from gongfu.regions import load
from gongfu.store.access_tables import AuditEventRow
from gongfu.web.app import create_app
from test_web_pages import login
from web_seed import CITY, COUNTY_A, COUNTY_B, PASSWORD, PROVINCE, add_observations, add_plan, seed, token

TAIZHOU, JIANGSHAN = "331000", "330881"  # a second city; a county of 衢州 with data of its own


@pytest.fixture
def api(db, db_url):
    ids = seed(db)
    add_user(db, "admin_b", role="admin", region=COUNTY_B, password=PASSWORD, by="test")
    with TestClient(create_app(db_url)) as client:
        client.ids = ids  # type: ignore[attr-defined]
        yield client
        client.app.state.db.engine.dispose()


def test_audit_limit_counts_only_events_in_scope(api, db) -> None:
    with db.session() as s:  # 3 events of county B, then 10 newer ones elsewhere
        for i in range(3):
            record(s, "test", "synthetic.b", "thing", i, region=COUNTY_B)
        for i in range(10):
            record(s, "test", "synthetic.a", "thing", i, region=COUNTY_A)
    with db.session() as s:
        reg = load()
        mine = [e.id for e in s.scalars(select(AuditEventRow).order_by(AuditEventRow.id.desc()))
                if e.region_code and reg.is_within(e.region_code, COUNTY_B)]  # fmt: skip
    assert len(mine) >= 3
    body = api.get("/api/v1/audit?limit=5", headers=token(api, "admin_b")).json()
    assert [e["id"] for e in body["items"]] == mine[:5]
    assert body["total"] == len(mine) and body["limit"] == 5 and body["offset"] == 0
    assert (body["next"] is not None) == (len(mine) > 5)
    only = api.get("/api/v1/audit?action=synthetic.b&limit=5", headers=token(api, "admin_b")).json()
    assert len(only["items"]) == only["total"] == 3 and only["next"] is None


def test_index_for_a_region_out_of_scope_is_403_like_the_evaluation(api) -> None:
    h = token(api, "county_a")
    for path in (f"/api/v1/evaluation?region={COUNTY_B}", f"/api/v1/index?region={COUNTY_B}",
                 f"/api/v1/index?parent={COUNTY_B}", f"/api/v1/index?regions={COUNTY_B}"):  # fmt: skip
        r = api.get(path, headers=h)
        assert r.status_code == 403, (path, r.status_code, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["code"] == "forbidden" and r.json()["status"] == 403


def test_overview_ranks_the_peers_that_gongfu_index_ranks(db, db_url) -> None:
    from gongfu.evaluation.service import composite_index

    seed(db)
    for code, title in (
        (CITY, "嘉兴市方案（合成）"),
        (TAIZHOU, "台州市方案（合成）"),
        (JIANGSHAN, "江山市方案（合成）"),
    ):
        add_plan(db, code, title)
        add_observations(db, code)
    cli = [r["region"] for r in composite_index(db, PROVINCE)["regions"] if r["rank"]]
    assert set(cli) == {CITY, TAIZHOU}  # peers of one level: the cities, not 江山市
    with TestClient(create_app(db_url)) as client:
        api = client.get(f"/api/v1/index?region={PROVINCE}", headers=token(client, "admin")).json()
        assert [r["region"] for r in api["regions"] if r["rank"]] == cli
        login(client, "admin")
        page = client.get("/").text
        client.app.state.db.engine.dispose()
    ranking = page[page.index('id="ranking"') : page.index("</table>", page.index('id="ranking"'))]
    assert re.findall(r'href="/\?region=(\d+)"', ranking) == cli


def test_unknown_multipart_fields_are_refused_and_nothing_is_stored(api) -> None:
    h = token(api, "county_a")
    text = "秀洲区共同富裕行动方案（合成）\n到2025年，全区居民人均可支配收入达到8万元。\n".encode()
    r = api.post("/api/v1/plans", headers=h, files={"file": ("p.txt", text, "text/plain")},
                 data={"region": COUNTY_A, "note": "说明", "evidence": "x"})  # fmt: skip
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["code"] == "validation_failed"
    assert {p["column"] for p in body["problems"]} == {"note", "evidence"}
    assert "note" in body["detail"] and "evidence" in body["detail"]
    plans = api.get("/api/v1/plans", headers=h).json()
    assert plans["total"] == 1  # the seeded plan only


def test_open311_form_of_raw_utf8_bytes_is_read_as_utf8(api) -> None:
    h = {**token(api, "county_a"), "Content-Type": "application/x-www-form-urlencoded"}
    text = "小区门口路灯坏了三天"
    body = f"description={text}&region={COUNTY_A}&service_code=城市管理".encode()  # not percent-encoded
    r = api.post("/api/v1/open311/v2/requests", headers=h, content=body)
    assert r.status_code == 201, r.text
    [created] = r.json()
    [case] = api.get(f"/api/v1/open311/v2/requests/{created['service_request_id']}", headers=h).json()
    assert case["description"] == text and case["service_code"] == "城市管理"


def test_open311_form_not_in_its_charset_is_refused(api) -> None:
    h = {**token(api, "county_a"), "Content-Type": "application/x-www-form-urlencoded"}
    body = b"description=" + "路灯坏了".encode("gbk") + f"&region={COUNTY_A}".encode()
    r = api.post("/api/v1/open311/v2/requests", headers=h, content=body)
    assert r.status_code == 400 and r.json()["code"] == "bad_encoding"
    gbk = {**h, "Content-Type": "application/x-www-form-urlencoded; charset=gbk"}
    r = api.post("/api/v1/open311/v2/requests", headers=gbk, content=body)
    assert r.status_code == 201, r.text


def test_old_paths_redirect_to_v1_keeping_method_and_query(api) -> None:
    h = token(api, "county_a")
    r = api.get(f"/api/targets?region={COUNTY_A}&limit=1", headers=h, follow_redirects=False)
    assert r.status_code == 308 and r.headers["location"] == f"/api/v1/targets?region={COUNTY_A}&limit=1"
    r = api.post(
        "/api/auth/token", data={"username": "county_a", "password": PASSWORD}, follow_redirects=False
    )
    assert r.status_code == 308 and r.headers["location"] == "/api/v1/auth/token"
    assert api.get("/api/v1/nothing-here", headers=h).json()["code"] == "not_found"


def _named(schema: dict) -> bool:
    """A body declared by a model (a component), or a list of one — not a bare object or `{}`."""
    return "$ref" in schema or "$ref" in schema.get("items", {})


def test_every_route_declares_its_response_body() -> None:
    spec = create_app("sqlite://").openapi()
    missing = []
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            for code, response in op["responses"].items():
                if not code.startswith("2") or code == "204":
                    continue
                content = response.get("content") or {}
                body = content.get("application/json")
                if (body is None and not content) or (
                    body is not None and not _named(body.get("schema", {}))
                ):
                    missing.append(f"{method.upper()} {path} {code}")
    assert all(p.startswith("/api/v1/") for p in spec["paths"])
    assert missing == []


def test_pages_follow_offset_and_next_to_the_end(api) -> None:
    h = token(api, "city")
    url, seen = "/api/v1/targets?limit=1", []
    while url:
        body = api.get(url, headers=h).json()
        seen += [t["id"] for t in body["items"]]
        url = body["next"]
    assert len(seen) == body["total"] == 2 and len(set(seen)) == 2


def test_one_shape_per_record(api) -> None:
    h = token(api, "county_a")
    ids = api.ids["a"]
    listed = api.get(f"/api/v1/observations?region={COUNTY_A}", headers=h).json()["items"][0]
    one = api.get(f"/api/v1/observations/{listed['id']}", headers=h).json()
    [rec] = api.get("/api/v1/evaluation", headers=h).json()["items"]
    assert set(rec["observations"][0]) == set(listed) == set(one) - {"import"}
    target = api.get(f"/api/v1/targets/{ids['target_id']}", headers=h).json()
    plan = api.get(f"/api/v1/plans/{ids['plan_id']}", headers=h).json()
    assert plan["targets"][0] == target == api.get("/api/v1/targets", headers=h).json()["items"][0]


def test_the_403_page_is_chinese(api) -> None:
    login(api, "county_a")
    r = api.get(f"/?region={COUNTY_B}")
    assert r.status_code == 403
    detail = re.search(r'id="error-detail">([^<]*)<', r.text).group(1)
    assert "不在您的管辖范围内" in detail and not re.search(r"[A-Za-z]{3,}", detail)


# ---- the scope rule: one predicate, one clause ---------------------------------------------------------

CODES = [c for c in load().codes() if c.startswith("33")]


@settings(max_examples=60, derandomize=True, deadline=None)
@given(root=st.sampled_from(CODES[::7]), codes=st.lists(st.sampled_from(CODES), min_size=1, max_size=40))
def test_where_selects_exactly_what_sees_admits(root, codes) -> None:
    from sqlalchemy import Column, MetaData, String, Table, create_engine, insert

    scope = Scope(Principal(1, "p", "analyst", root), load())
    t = Table("t", MetaData(), Column("code", String))
    engine = create_engine("sqlite://")
    t.metadata.create_all(engine)
    with engine.begin() as c:
        c.execute(insert(t), [{"code": x} for x in codes])
        got = sorted(c.scalars(select(t.c.code).where(scope.where(t.c.code))))
    assert got == sorted(x for x in codes if scope.sees(x))
    assert all(scope.sees(x) == load().is_within(x, root) for x in codes)


# ---- the web shell: one login guard, CSRF on every form ------------------------------------------------


def _walk(routes):
    """(path, methods) of every route, through the routers included (FastAPI resolves them lazily)."""
    for r in routes:
        if hasattr(r, "effective_candidates"):
            yield from _walk(r.effective_candidates())
        else:
            route = getattr(r, "original_route", r)
            yield (
                getattr(r, "path", "") or getattr(route, "path", ""),
                getattr(route, "methods", None) or set(),
            )


def _page_routes(app, method: str) -> list[str]:
    return sorted({
        path for path, methods in _walk(app.routes)
        if method in methods and not path.startswith(("/api", "/docs", "/redoc", "/openapi"))
        and path not in ("/login", "/logout")
    })  # fmt: skip


def _filled(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def test_every_page_sends_a_signed_out_visitor_to_sign_in(api) -> None:
    paths = _page_routes(api.app, "GET")
    assert len(paths) > 15
    for path in paths:
        r = api.get(_filled(path), follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next="), path


def test_every_form_post_without_the_session_token_is_refused(api) -> None:
    login(api, "city")
    paths = _page_routes(api.app, "POST")
    assert len(paths) > 5
    for path in paths:
        r = api.post(_filled(path), data={"csrf_token": "forged"}, follow_redirects=False)
        assert r.status_code == 403 and "CSRF" in r.text, (path, r.status_code)


def test_case_roles_are_permissions_of_the_one_role_model() -> None:
    from gongfu.access.roles import PERMISSIONS, ROLES
    from gongfu.cases.actor import from_scope

    expected = {"admin": {"dispatcher", "unit", "intake"}, "analyst": {"dispatcher", "intake"},
                "reporter": {"unit", "intake"}, "viewer": set()}  # fmt: skip
    for role in ROLES:
        actor = from_scope(Scope(Principal(1, "x", role, COUNTY_A), load()))
        assert actor.roles == expected[role]
        assert actor.sees(COUNTY_A) and not actor.sees(COUNTY_B)
    assert {"cases.dispatch", "cases.handle", "cases.intake", "tasks.write", "findings.open"} <= set(
        PERMISSIONS
    )
