"""Security headers on every answer, Secure cookies and HSTS behind HTTPS, no inline script anywhere, and
the API docs served from the package's own files (checked in Chromium under the real policy)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from browser_support import NEEDS_CHROMIUM, serve
from gongfu.store.db import open_db
from gongfu.web.app import create_app
from web_seed import PASSWORD, add_users, token

SRC = Path(__file__).resolve().parent.parent / "src" / "gongfu"


@pytest.fixture
def app_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'headers.db'}"
    add_users(open_db(url))
    return url


def _login(client: TestClient) -> None:
    form = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    r = client.post("/login", data={"username": "city", "password": PASSWORD, "csrf_token": csrf},
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303


def test_every_answer_carries_the_policy_and_signed_in_answers_are_not_stored(app_url: str) -> None:
    with TestClient(create_app(app_url)) as c:
        h = token(c, "city")
        answers = {
            "page": c.get("/login"),
            "api": c.get("/api/v1/auth/me", headers=h),
            "error": c.get("/api/v1/plans"),
            "too large": c.post("/api/v1/auth/token", content=b"x" * (2 * 1024 * 1024)),
            "static": c.get("/static/gongfu.css"),
        }
        _login(c)
        answers["dashboard"] = c.get("/")
    for what, r in answers.items():
        csp = r.headers.get("content-security-policy", "")
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-eval" not in csp, (
            what
        )
        assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0], what
        assert r.headers["x-frame-options"] == "DENY" and r.headers["x-content-type-options"] == "nosniff", (
            what
        )
        assert r.headers["referrer-policy"] == "no-referrer", what
        assert "strict-transport-security" not in r.headers, what  # plain HTTP: no HSTS
        if what != "static":
            assert r.headers["cache-control"] == "no-store", what
    assert answers["dashboard"].status_code == 200 and answers["too large"].status_code == 413
    assert "no-store" not in answers["static"].headers.get("cache-control", "")


def _assert_policy(r, what: str) -> None:
    csp = r.headers.get("content-security-policy", "")
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp, (what, r.status_code)
    assert r.headers.get("x-frame-options") == "DENY", what
    assert r.headers.get("x-content-type-options") == "nosniff", what
    assert r.headers.get("referrer-policy") == "no-referrer", what
    assert r.headers.get("cache-control") == "no-store", what


def test_every_refusal_carries_the_policy_too(app_url: str, monkeypatch) -> None:
    """The answers made by the middleware before any route (CSRF, form charset, size limit), the sign-in
    throttle, error pages and the framework's own 500 all carry the headers."""
    monkeypatch.setenv("GONGFU_SIGNIN_ACCOUNT_LIMIT", "1")
    app = create_app(app_url)

    @app.get("/boom-for-test")
    def boom() -> None:
        raise RuntimeError("an unexpected bug")

    form = {"content-type": "application/x-www-form-urlencoded"}
    with TestClient(app, raise_server_exceptions=False) as c:
        answers = {
            "csrf 403": c.post("/login", data={"username": "city", "password": "x", "csrf_token": "forged"}),
            "charset 400": c.post("/login", content=b"username=\xff\xfe&password=x", headers=form),
            "form 413": c.post("/login", content=b"username=" + b"x" * (2 * 1024 * 1024), headers=form),
            "upload 413": c.post(
                "/api/v1/observations", headers={"content-length": str(400 * 1024 * 1024)}, content=b""
            ),  # a declared size over the limit is refused unread
            "page 404": c.get("/no-such-page"),
            "api 404": c.get("/api/v1/no-such-thing"),
            "api 401": c.get("/api/v1/plans"),
            "api 422": c.get("/api/v1/observations", headers=token(c, "city")),
            "500": c.get("/boom-for-test"),
        }
        c.post("/api/v1/auth/token", data={"username": "county_a", "password": "x" * 12})
        answers["throttle 423"] = c.post(
            "/api/v1/auth/token", data={"username": "county_a", "password": PASSWORD}
        )
        _login(c)
        answers["signed-in csrf 403"] = c.post("/logout", data={"csrf_token": "forged"})
    expected = {"csrf 403": 403, "charset 400": 400, "form 413": 413, "upload 413": 413, "page 404": 404,
                "api 404": 404, "api 401": 401, "api 422": 422, "500": 500, "throttle 423": 423,
                "signed-in csrf 403": 403}  # fmt: skip
    assert {k: r.status_code for k, r in answers.items()} == expected
    for what, r in answers.items():
        _assert_policy(r, what)
    assert "retry-after" in answers["throttle 423"].headers
    app.state.db.engine.dispose()


def test_behind_https_cookies_are_secure_and_hsts_is_sent(app_url: str, monkeypatch) -> None:
    with TestClient(create_app(app_url)) as c:  # the setting off, plain HTTP: cookies as they were
        assert "secure" not in c.get("/login").headers["set-cookie"].lower()
    monkeypatch.setenv("GONGFU_HTTPS", "1")
    with TestClient(create_app(app_url)) as c:  # the setting on: even a request seen as http gets them
        form = c.get("/login")
        assert "; Secure" in form.headers["set-cookie"] and "strict-transport-security" in form.headers
    with TestClient(create_app(app_url), base_url="https://testserver") as c:
        form = c.get("/login")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
        r = c.post("/login", data={"username": "city", "password": PASSWORD, "csrf_token": csrf},
                   follow_redirects=False)  # fmt: skip
    session = [k for k in r.headers.get_list("set-cookie") if k.startswith("gongfu_session=")]
    assert r.status_code == 303 and session and all("; Secure" in k and "HttpOnly" in k for k in session)
    assert r.headers["strict-transport-security"].startswith("max-age=")


def test_no_template_holds_inline_script_or_event_handlers() -> None:
    inline = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
    handler = re.compile(r"\son[a-z]+\s*=", re.I)
    found = []
    for t in SRC.rglob("*.html"):
        text = t.read_text(encoding="utf-8")
        found += [f"{t.name}: {m.group(0)}" for m in inline.finditer(text)]
        found += [f"{t.name}: {m.group(0)}" for m in handler.finditer(text)]
        found += [f"{t.name}: javascript: URL" for _ in re.finditer(r"javascript:", text, re.I)]
    assert found == []


def test_api_docs_come_from_our_static_files(app_url: str) -> None:
    with TestClient(create_app(app_url)) as c:
        for page, script in (("/docs", "swagger-ui-bundle.js"), ("/redoc", "redoc.standalone.js")):
            r = c.get(page)
            assert r.status_code == 200 and f'src="/static/vendor/{script}"' in r.text
            assert not re.search(r"(src|href)=\"(https?:)?//", r.text), page  # nothing from elsewhere
            assert c.get(f"/static/vendor/{script}").status_code == 200
        assert c.get("/static/vendor/swagger-ui.css").status_code == 200


@NEEDS_CHROMIUM
def test_docs_and_dashboard_render_under_the_policy_offline(app_url: str) -> None:
    from playwright.sync_api import sync_playwright

    from browser_support import ARGS, CHROMIUM, local_page

    app = create_app(app_url)
    with serve(app) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        with local_page(browser, base) as (page, _errors):
            violations: list[str] = []
            page.on(
                "console",
                lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
            )
            page.goto(f"{base}/docs")
            page.wait_for_selector(".swagger-ui .opblock", timeout=20000)  # the operations are drawn
            page.goto(f"{base}/redoc")
            page.wait_for_selector("#redoc h1", timeout=20000)
            page.goto(f"{base}/login")
            page.fill("input[name=username]", "city")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_selector("nav", timeout=20000)
            # ReDoc's "API docs by Redocly" footer asks for its logo from cdn.redoc.ly: the policy blocks it
            # (nothing leaves the server); every other script, style and image comes from /static
            assert [v for v in violations if "cdn.redoc.ly/redoc/logo" not in v] == []
        browser.close()
    app.state.db.engine.dispose()
