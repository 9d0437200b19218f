"""User administration on the dashboard (/users): an admin enables, unlocks and resets the password of the
users of their region — the same service (`gongfu.access.accounts`) and scope as `gongfu user` and
/api/v1/users; each form carries the session's CSRF token (the CSRF middleware checks it) and each repair
is audited by the service."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse, Response

from gongfu.access import accounts
from gongfu.web.auth import User, get_db
from gongfu.web.pages import render

router = APIRouter(include_in_schema=False)
UserName = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[\w.@-]+$")]


def _page(request: Request, auth, message: str | None = None, reset: dict | None = None) -> Response:
    users = accounts.users_in_scope(get_db(request), auth.scope)
    return render(request, "users.html", auth, users=users, message=message, reset=reset)


@router.get("/users")
def users(request: Request, auth: User, message: str | None = None) -> Response:
    return _page(request, auth, message=message)


@router.post("/users/{name}/enable")
def enable(request: Request, auth: User, name: UserName) -> Response:
    db = get_db(request)
    accounts.check_admin(db, auth.scope, name)
    changed = accounts.enable_user(db, name, by=auth.scope.actor)
    note = f"已启用用户 {name}（需重新登录）" if changed else f"用户 {name} 本已启用，未作改动"
    return RedirectResponse(f"/users?message={quote(note)}", status_code=303)


@router.post("/users/{name}/unlock")
def unlock(request: Request, auth: User, name: UserName) -> Response:
    db = get_db(request)
    accounts.check_admin(db, auth.scope, name)
    old = accounts.unlock_user(db, name, by=auth.scope.actor)
    note = f"已解除用户 {name} 的登录限制（此前失败 {old['failed_logins']} 次）"
    return RedirectResponse(f"/users?message={quote(note)}", status_code=303)


@router.post("/users/{name}/reset-password")
def reset_password(request: Request, auth: User, name: UserName) -> Response:
    """The new password is shown once, on this answer (never in a URL), with no-store caching."""
    db = get_db(request)
    accounts.check_admin(db, auth.scope, name)
    password, revoked = accounts.reset_password(db, name, by=auth.scope.actor)
    resp = _page(request, auth, reset={"user": name, "password": password, "revoked": revoked})
    resp.headers["Cache-Control"] = "no-store"
    return resp
