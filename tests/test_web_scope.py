"""The scope matrix: for every API endpoint, a county-A user is refused county B's data (reads and writes),
while a county-B user (the control) gets it. A new endpoint without a row here fails the test.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from gongfu.web.app import create_app
from web_seed import COUNTY_A, COUNTY_B, obs_csv, seed, token

PLAN_TXT = "南湖区共同富裕行动方案（合成）\n到2025年，全区居民人均可支配收入达到8万元。\n".encode()
# (method, route) -> request for county B's data, built from the seeded ids of county B.
# `kind`: "refused" (expect 403/404 for A, 2xx for B) or "filtered" (2xx, B's ids absent for A, present for B)
# or "own" (not region data: the caller's own account).
MATRIX = {
    ("GET", "/api/v1/regions"): ("refused", lambda b: {"url": f"/api/v1/regions?parent={COUNTY_B}"}),
    ("GET", "/api/v1/regions/{code}"): ("refused", lambda b: {"url": f"/api/v1/regions/{COUNTY_B}"}),
    ("GET", "/api/v1/plans"): ("filtered", lambda b: {"url": "/api/v1/plans"}),
    ("POST", "/api/v1/plans"): (
        "refused",
        lambda b: {
            "url": "/api/v1/plans",
            "files": {"file": ("b.txt", PLAN_TXT, "text/plain")},
            "data": {"region": COUNTY_B},
        },
    ),
    ("GET", "/api/v1/plans/{plan_id}"): ("refused", lambda b: {"url": f"/api/v1/plans/{b['plan_id']}"}),
    ("GET", "/api/v1/targets"): ("refused", lambda b: {"url": f"/api/v1/targets?region={COUNTY_B}"}),
    ("GET", "/api/v1/targets/{target_id}"): (
        "refused",
        lambda b: {"url": f"/api/v1/targets/{b['target_id']}"},
    ),
    ("GET", "/api/v1/observations"): (
        "refused",
        lambda b: {"url": f"/api/v1/observations?region={COUNTY_B}"},
    ),
    ("GET", "/api/v1/observations/{observation_id}"): (
        "refused",
        lambda b: {"url": f"/api/v1/observations/{b['observations'][0]}"},
    ),
    ("POST", "/api/v1/observations"): (
        "refused",
        lambda b: {
            "url": "/api/v1/observations",
            "files": {
                "file": ("b.csv", obs_csv([(COUNTY_B, "城乡居民收入倍差", "1.9", "2024")]), "text/csv")
            },
        },
    ),
    ("GET", "/api/v1/evaluation"): ("refused", lambda b: {"url": f"/api/v1/evaluation?region={COUNTY_B}"}),
    ("GET", "/api/v1/index"): ("refused", lambda b: {"url": f"/api/v1/index?regions={COUNTY_B}"}),
    ("GET", "/api/v1/audit"): ("refused", lambda b: {"url": "/api/v1/audit"}),  # role: admins only
    **{  # role: admins only; an admin of another region: tests/test_web_users.py
        ("POST", f"/api/v1/users/{{name}}/{act}"): (
            "refused",
            lambda b, a=act: {"url": f"/api/v1/users/county_b/{a}"},
        )
        for act in ("enable", "unlock", "reset-password")
    },
    ("POST", "/api/v1/auth/token"): ("own", None),
    ("POST", "/api/v1/auth/logout"): ("own", None),
    ("GET", "/api/v1/auth/me"): ("own", None),
    ("GET", "/api/v1/jobs/{job_id}"): (
        "own",
        None,
    ),  # one's own import jobs (another's is 404: test_security_uploads)
}


# The work system and the grassroots loop keep their own matrices (tests/test_work_cases_scope.py).
# The cascade and data reporting check their scope in tests/test_reporting_web.py and test_reporting_states.py.
OTHER_ROOMS = ("/api/v1/work/", "/api/v1/cases/", "/api/v1/open311/", "/api/v1/cascade", "/api/v1/reporting/")


def api_routes() -> set[tuple[str, str]]:
    """Every (method, path) the OpenAPI document publishes, outside the rooms with their own matrix."""
    spec = create_app("sqlite://").openapi()
    return {
        (m.upper(), path)
        for path, ops in spec["paths"].items()
        for m in ops
        if not path.startswith(OTHER_ROOMS)
    }


def test_every_api_endpoint_has_a_row_in_the_matrix() -> None:
    assert api_routes() == set(MATRIX)


@pytest.fixture
def clients(db, db_url):
    ids = seed(db)
    from gongfu.access import add_user

    add_user(db, "admin_b", role="admin", region=COUNTY_B, password="synthetic-pass-1", by="test")
    with TestClient(create_app(db_url)) as client:
        yield client, ids
        client.app.state.db.engine.dispose()


@pytest.mark.parametrize("route", sorted(k for k, v in MATRIX.items() if v[0] != "own"), ids=" ".join)
def test_county_a_is_refused_county_b_data(clients, route) -> None:
    client, ids = clients
    kind, build = MATRIX[route]
    method = route[0]
    a_user = "county_a"
    b_user = "admin_b" if route[1].startswith(("/api/v1/audit", "/api/v1/users/")) else "county_b"
    a = client.request(method, headers=token(client, a_user), **build(ids["b"]))
    b = client.request(method, headers=token(client, b_user), **build(ids["b"]))
    assert 200 <= b.status_code < 300, (route, b.status_code, b.text)  # the control: B may
    if kind == "refused":
        assert a.status_code in (403, 404), (route, a.status_code, a.text)
        assert a.json()["detail"]
    else:
        assert a.status_code == 200
        assert ids["b"]["plan_id"] not in {p["id"] for p in a.json()["items"]}
        assert ids["b"]["plan_id"] in {p["id"] for p in b.json()["items"]}


def test_list_filter_by_county_b_plan_gives_county_a_nothing(clients) -> None:
    client, ids = clients
    url = f"/api/v1/targets?plan_id={ids['b']['plan_id']}"
    assert client.get(url, headers=token(client, "county_a")).json()["items"] == []
    assert [t["id"] for t in client.get(url, headers=token(client, "county_b")).json()["items"]] == [
        ids["b"]["target_id"]
    ]


def test_county_b_admin_sees_only_county_b_audit_events(clients) -> None:
    client, _ = clients
    events = client.get("/api/v1/audit", headers=token(client, "admin_b")).json()["items"]
    assert events and {e["region_code"] for e in events} == {COUNTY_B}


def test_refused_write_stores_nothing(clients) -> None:
    client, ids = clients
    _, build = MATRIX[("POST", "/api/v1/observations")]
    r = client.post(headers=token(client, "county_a"), **build(ids["b"]))
    assert r.status_code == 403 and r.json()["problems"][0]["code"] == "out_of_scope"
    years = [o["year"] for o in client.get(f"/api/v1/observations?region={COUNTY_B}",
                                           headers=token(client, "county_b")).json()["items"]]  # fmt: skip
    assert 2024 not in years
    assert COUNTY_A  # county A's own upload path is covered in test_web_api
