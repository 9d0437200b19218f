"""Lists are scoped, counted and cut in the database: a county user with 3 rows of their own among 5 of
another county's (which sort first) sees exactly their 3, with total 3, page by page. Covers the work
findings, the cases queue and inbox, and Open311's request list (its total and next page as headers)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from gongfu.cases.actor import from_scope
from gongfu.cases.intake import CaseDraft, intake_many
from gongfu.cases.moves import move
from gongfu.regions import load
from gongfu.web.app import create_app
from gongfu.work import finding_service as fs
from web_seed import COUNTY_A, COUNTY_B, add_users, token
from work_seed import scope

TOWN = {COUNTY_A: "330411002", COUNTY_B: "330402007"}
MINE, OTHERS = 3, 5


@pytest.fixture(autouse=True)
def _no_model(monkeypatch, tmp_path):
    from cryptography.fernet import Fernet

    monkeypatch.setenv("GONGFU_CONTACT_KEY", Fernet.generate_key().decode())
    monkeypatch.setenv("GONGFU_CASE_MODEL", str(tmp_path / "absent.joblib"))


def _seed(db, region: str, n: int, tag: str, first: datetime) -> None:
    sc = scope("analyst", region, f"seed_{tag}")
    for i in range(n):
        fs.add_finding(db, sc, title=f"{tag}合成督查问题{i}", region=region, unit_name=f"{tag}合成发改局",
                       deadline=date(2024, 1, 1) + timedelta(days=i + (0 if tag == "b" else 100)))  # fmt: skip
    at = [first + timedelta(minutes=i) for i in range(2 * n)]
    drafts = [
        CaseDraft(
            f"{tag}合成诉求{i}",
            TOWN[region],
            category="城乡建设",
            channel="api",
            received_at=t,
            external_id=f"synthetic-{tag}-{i}",
        )
        for i, t in enumerate(at)
    ]
    ids = intake_many(db, from_scope(sc), drafts, registry=load()).ids
    for cid in ids[n:]:  # half dispatched: the inbox; half waiting: the queue
        move(db, from_scope(sc), cid, "dispatch")


@pytest.fixture
def client(db, db_url):
    add_users(db)
    now = datetime.now(UTC)
    _seed(db, COUNTY_B, OTHERS, "b", now - timedelta(days=2))  # older and earlier: first in every order
    _seed(db, COUNTY_A, MINE, "a", now - timedelta(days=1))
    with TestClient(create_app(db_url)) as c:
        yield c
        c.app.state.db.engine.dispose()


def _pages(client: TestClient, url: str, headers: dict) -> tuple[list[dict], list[int]]:
    """Every item of a paged list, two at a time, and the totals each page claimed."""
    items, totals, offset = [], [], 0
    while True:
        body = client.get(f"{url}?limit=2&offset={offset}", headers=headers).json()
        items += body["items"]
        totals.append(body["total"])
        if body["next"] is None:
            return items, totals
        offset += 2


@pytest.mark.parametrize("url", ["/api/v1/work/findings", "/api/v1/cases/queue", "/api/v1/cases/inbox"])
def test_a_county_user_pages_through_their_own_rows_only(client: TestClient, url: str) -> None:
    mine, totals = _pages(client, url, token(client, "county_a"))
    assert totals == [MINE, MINE] and len(mine) == MINE
    assert all("a合成" in (r.get("title") or r.get("description") or "") for r in mine), mine
    theirs, totals = _pages(client, url, token(client, "county_b"))
    assert set(totals) == {OTHERS} and len(theirs) == OTHERS


def test_open311_list_keeps_its_array_and_gives_total_and_next_as_headers(client: TestClient) -> None:
    h = token(client, "county_a")
    first = client.get("/api/v1/open311/v2/requests?limit=4", headers=h)
    assert first.status_code == 200 and isinstance(first.json(), list) and len(first.json()) == 4
    assert first.headers["X-Total-Count"] == str(2 * MINE)
    nxt = first.headers["Link"].split(">")[0].lstrip("<")
    rest = client.get(nxt, headers=h)
    assert len(rest.json()) == 2 * MINE - 4 and "Link" not in rest.headers
    seen = {c["service_request_id"] for c in first.json() + rest.json()}
    assert len(seen) == 2 * MINE
