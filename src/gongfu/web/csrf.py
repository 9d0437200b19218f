"""CSRF as one middleware: every form posted to the dashboard carries the token of its session.

A POST (PUT, PATCH, DELETE) to a page — not to the API, whose bearer tokens are not sent by browsers on
their own — is read once, its `csrf_token` field compared with the session's token (for the sign-in form,
with the double-submit cookie), and refused with the Chinese 403 page when it differs. The body is then
replayed to the route untouched. A request without a session goes on to the route, which sends it to the
sign-in page (`require_user`).
"""

from __future__ import annotations

from starlette.requests import Request

from gongfu.access import AuthFailed, resolve_token
from gongfu.errors import ScopeError
from gongfu.web.auth import CSRF_FIELD, LOGIN_CSRF_COOKIE, SESSION_COOKIE, check_csrf

SAFE = ("GET", "HEAD", "OPTIONS")
MAX_FORM_BYTES = 21 * 1024 * 1024  # the largest upload (20 MB) and its form fields
EXEMPT = ("/api/", "/static/")


def _replay(body: bytes):
    sent = False

    async def receive():
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


class CSRFMiddleware:
    def __init__(self, app) -> None:
        self.app = app

    def _expected(self, request: Request) -> str | None:
        if request.url.path == "/login":
            return request.cookies.get(LOGIN_CSRF_COOKIE, "")
        secret = request.cookies.get(SESSION_COOKIE)
        if not secret:
            return None
        try:
            return resolve_token(request.app.state.db, secret, "session")[1]
        except AuthFailed:
            return None

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE or scope["path"].startswith(EXEMPT):
            await self.app(scope, receive, send)
            return
        chunks, more = [], True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
            if sum(map(len, chunks)) > MAX_FORM_BYTES:
                from gongfu.errors import InputError
                from gongfu.web.pages import error_page

                exc = InputError(f"提交的内容超过 {MAX_FORM_BYTES // 1024 // 1024} MB")
                await error_page(Request(scope), 413, exc)(scope, _replay(b""), send)
                return
        body = b"".join(chunks)
        request = Request(scope, _replay(body))
        expected = self._expected(request)
        if expected is not None:
            form = await request.form()
            given = form.get(CSRF_FIELD)
            await form.close()
            try:
                check_csrf(expected, given if isinstance(given, str) else None)
            except ScopeError as exc:
                from gongfu.web.pages import error_page

                await error_page(request, 403, exc)(scope, _replay(b""), send)
                return
        await self.app(scope, _replay(body), send)
