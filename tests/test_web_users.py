"""User administration on the API (issue 15 "Also"): an admin enables, unlocks and resets the password of a
user in their own region; an admin of another region gets 404, a non-admin 403, and nothing changes."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from gongfu.access import add_user, disable_user
from gongfu.web.app import create_app
from web_seed import COUNTY_A, COUNTY_B, PASSWORD, seed, token


@pytest.fixture
def client(db, db_url):
    seed(db)
    add_user(db, "admin_a", role="admin", region=COUNTY_A, password=PASSWORD, by="test")
    add_user(db, "admin_b", role="admin", region=COUNTY_B, password=PASSWORD, by="test")
    with TestClient(create_app(db_url)) as c:
        yield c
        c.app.state.db.engine.dispose()


def _sign_in(client: TestClient, name: str, password: str = PASSWORD) -> int:
    return client.post("/api/v1/auth/token", data={"username": name, "password": password}).status_code


def test_reset_password_in_scope_and_refused_outside(client) -> None:
    url = "/api/v1/users/county_b/reset-password"
    outside = client.post(url, headers=token(client, "admin_a"))
    assert outside.status_code == 404 and outside.headers["content-type"].startswith(
        "application/problem+json"
    )
    assert client.post(url, headers=token(client, "county_b")).status_code == 403  # not an admin
    assert _sign_in(client, "county_b") == 200  # nothing changed
    r = client.post(url, headers=token(client, "admin_b"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["user"] == "county_b" and body["revoked"] >= 1 and len(body["password"]) >= 12
    assert _sign_in(client, "county_b") == 401
    assert _sign_in(client, "county_b", body["password"]) == 200


def test_enable_and_unlock(client, db) -> None:
    disable_user(db, "county_b", by="test")
    assert _sign_in(client, "county_b") == 401
    assert client.post("/api/v1/users/county_b/enable", headers=token(client, "admin_a")).status_code == 404
    r = client.post("/api/v1/users/county_b/enable", headers=token(client, "admin_b"))
    assert r.status_code == 200 and r.json() == {"user": "county_b", "changed": True}
    assert _sign_in(client, "county_b") == 200
    for _ in range(3):
        assert _sign_in(client, "county_b", "wrong-password") == 401
    assert client.post("/api/v1/users/county_b/unlock", headers=token(client, "admin_a")).status_code == 404
    r = client.post("/api/v1/users/county_b/unlock", headers=token(client, "admin_b"))
    assert r.status_code == 200 and r.json()["failed_logins"] == 3, r.text
    audit = client.get("/api/v1/audit?action=user.unlock", headers=token(client, "admin_b")).json()["items"]
    assert [(e["actor"], e["object_id"]) for e in audit] == [("admin_b", "county_b")]


def test_unknown_user_is_404(client) -> None:
    r = client.post("/api/v1/users/nobody/unlock", headers=token(client, "admin"))
    assert r.status_code == 404 and "nobody" in r.json()["detail"]


def _web_sign_in(client: TestClient, name: str) -> str:
    """Sign in on the dashboard; returns the session's CSRF token (read from a page's form)."""
    import re

    form = client.get("/login")
    login = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    r = client.post("/login", data={"username": name, "password": PASSWORD, "csrf_token": login},
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text).group(1)


def test_web_user_administration_in_scope_with_csrf_and_audit(client, db) -> None:
    import re

    from gongfu.access.audit import list_events

    disable_user(db, "county_b", by="test")
    for _ in range(2):
        assert _sign_in(client, "viewer_a", "wrong-password") == 401
    csrf = _web_sign_in(client, "county_a")
    assert client.get("/users").status_code == 403  # an analyst is no admin
    assert client.post("/users/viewer_a/unlock", data={"csrf_token": csrf}).status_code == 403
    client.cookies.clear()

    csrf = _web_sign_in(client, "admin_a")  # admin of 秀洲区
    page = client.get("/users").text
    assert 'id="user-viewer_a"' in page and 'id="user-county_b"' not in page  # only the admin's region
    assert 'action="/users/viewer_a/unlock"' in page and "2 次" in page
    assert client.post("/users/county_b/enable", data={"csrf_token": csrf}).status_code == 404  # outside
    assert client.post("/users/viewer_a/unlock", data={"csrf_token": "forged"}).status_code == 403  # CSRF
    r = client.post("/users/viewer_a/unlock", data={"csrf_token": csrf})
    assert r.status_code == 200 and "已解除用户 viewer_a 的登录限制（此前失败 2 次）" in r.text
    r = client.post("/users/viewer_a/reset-password", data={"csrf_token": csrf})
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    password = re.search(r"<p><code>([^<]+)</code></p>", r.text).group(1)
    assert _sign_in(client, "viewer_a") == 401 and _sign_in(client, "viewer_a", password) == 200
    client.cookies.clear()

    csrf = _web_sign_in(client, "admin_b")
    assert 'action="/users/county_b/enable"' in client.get("/users").text
    r = client.post("/users/county_b/enable", data={"csrf_token": csrf})
    assert "已启用用户 county_b" in r.text and _sign_in(client, "county_b") == 200
    done = [(e.actor, e.action, e.object_id) for e in list_events(db, limit=50)
            if e.action in ("user.unlock", "user.password", "user.enable")]  # fmt: skip
    assert sorted(done) == [("admin_a", "user.password", "viewer_a"), ("admin_a", "user.unlock", "viewer_a"),
                            ("admin_b", "user.enable", "county_b")]  # fmt: skip
