"""The dashboard and /api/v1/evaluation read the stored evaluation, counted and cut in SQL (synthetic data):
the answer is what the declared model gives and what the evaluation computed now gives, page by page."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from gongfu.evaluation.service import records_for, regions_in_scope
from gongfu.web import evaluation as ev
from gongfu.web.api.models import EvaluationRecord, Page
from gongfu.web.app import create_app
from web_seed import CITY, COUNTY_A, PASSWORD, seed, token


@pytest.fixture
def api(db, db_url):
    seed(db)
    with TestClient(create_app(db_url)) as client:
        yield client
        client.app.state.db.engine.dispose()


def test_stored_pages_are_the_declared_model_and_the_evaluation_computed_now(api, db) -> None:
    h = token(api, "city")
    body = api.get(f"/api/v1/evaluation?region={CITY}&children=true", headers=h).json()
    assert body == Page[EvaluationRecord].model_validate(body).model_dump(mode="json")
    with db.session() as s:
        now = records_for(s, regions_in_scope(CITY, children=True), None)
    assert body["total"] == len(now) == 2
    assert [(r["target_id"], r["colour"], r["attainment"]) for r in body["items"]] == [
        (r["target_id"], r["colour"], r["attainment"]) for r in now
    ]
    one = api.get(f"/api/v1/evaluation?region={CITY}&children=true&limit=1&offset=1", headers=h).json()
    assert [r["target_id"] for r in one["items"]] == [now[1]["target_id"]] and one["next"] is None
    first = api.get(f"/api/v1/evaluation?region={CITY}&children=true&limit=1", headers=h).json()
    assert "offset=1" in first["next"]


def test_an_as_of_year_not_stored_is_computed_on_demand(api, db) -> None:
    h = token(api, "county_a")
    body = api.get("/api/v1/evaluation?year=2015", headers=h).json()
    with db.session() as s:
        now = records_for(s, [COUNTY_A], 2015)
    assert [(r["target_id"], r["colour"]) for r in body["items"]] == [
        (r["target_id"], r["colour"]) for r in now
    ]


def _matrix(html: str) -> str:
    return html[html.index('id="warning-matrix"') : html.index("</table>", html.index('id="warning-matrix"'))]


def _login(client: TestClient, name: str) -> None:
    form = client.get("/login").text
    tok = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    client.post("/login", data={"username": name, "password": PASSWORD, "csrf_token": tok})


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_overview_matrix_pages_its_regions_and_counts_them_all(api, monkeypatch) -> None:
    monkeypatch.setattr(ev, "MATRIX_REGIONS", 1)
    _login(api, "city")
    first = api.get("/").text
    assert "南湖区" in _matrix(first) and "秀洲区" not in _matrix(first)  # by code: 330402 before 330411
    assert "共 2 个" in first and "cols=1" in first
    second = api.get(f"/?region={CITY}&cols=1").text
    assert "秀洲区" in _matrix(second) and "南湖区" not in _matrix(second)
    assert "cols=0" in second and "下一页" not in second
    counts = [int(n) for n in re.findall(r'class="badge \w+">[^<]*?(\d+)</span>', first)]
    assert len(counts) == 5 and sum(counts) == 2  # the colour counts of both regions, not of the page
