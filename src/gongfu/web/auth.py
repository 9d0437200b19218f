"""Who is asking: bearer tokens for the API, a session cookie (with a CSRF token) for the dashboard."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from gongfu.access import AuthFailed, resolve_token
from gongfu.access.scope import Scope
from gongfu.errors import ScopeError
from gongfu.store.db import Database

SESSION_COOKIE = "gongfu_session"
LOGIN_CSRF_COOKIE = "gongfu_login_csrf"  # double-submit token for the login form (no session yet)
CSRF_FIELD = "csrf_token"

oauth2 = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


def get_db(request: Request) -> Database:
    return request.app.state.db


def client_address(request: Request) -> str | None:
    """The address sign-ins are throttled by. Behind a proxy, run uvicorn with --proxy-headers and
    --forwarded-allow-ips so this is the client's address, not the proxy's."""
    return request.client.host if request.client else None


def api_scope(request: Request, token: str | None = Depends(oauth2)) -> Scope:
    """The scope of the bearer token's user; 401 without a live token."""
    if not token:
        raise AuthFailed("缺少访问令牌：请以用户名和密码 POST /api/v1/auth/token 获取")
    principal, _ = resolve_token(get_db(request), token, "bearer")
    return Scope(principal, request.app.state.registry)


class PageAuth:
    """The signed-in dashboard user and their session's CSRF token (None when not signed in)."""

    def __init__(self, scope: Scope | None, csrf: str, secret: str | None) -> None:
        self.scope = scope
        self.csrf = csrf
        self.secret = secret


def page_auth(request: Request) -> PageAuth:
    secret = request.cookies.get(SESSION_COOKIE)
    if secret:
        try:
            principal, csrf = resolve_token(get_db(request), secret, "session")
            return PageAuth(Scope(principal, request.app.state.registry), csrf, secret)
        except AuthFailed:
            pass
    return PageAuth(None, "", None)


class SignInRequired(Exception):
    """A dashboard page asked for without a live session: the app answers 303 to the sign-in page."""


def require_user(request: Request) -> PageAuth:
    """The signed-in dashboard user (the one login guard of every page); SignInRequired otherwise."""
    auth = page_auth(request)
    if auth.scope is None:
        raise SignInRequired
    return auth


User = Annotated[PageAuth, Depends(require_user)]


def check_csrf(expected: str, given: str | None) -> None:
    """403 unless the form carried the token of this session."""
    if not expected or not given or not hmac.compare_digest(expected, given):
        raise ScopeError("表单的安全令牌（CSRF）缺失或不符，请刷新页面后重试")


def new_login_csrf() -> str:
    return secrets.token_urlsafe(24)
