"""The dashboard (驾驶舱): server-rendered pages over the same scoped services as the API."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from gongfu.access import authenticate, issue_token, revoke_token
from gongfu.access.tokens import LIFETIME, AuthFailed
from gongfu.errors import GongfuError
from gongfu.web import evaluation as ev
from gongfu.web import service
from gongfu.web.auth import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    PageAuth,
    check_csrf,
    client_address,
    get_db,
    new_login_csrf,
    page_auth,
)
from gongfu.web.auth import User as User
from gongfu.web.errors import body_of, retry_after, status_of
from gongfu.web.jobs import Job
from gongfu.web.templating import render_with, templates_for
from gongfu.web.uploads import import_or_queue, read_mapping

templates = templates_for()
router = APIRouter(include_in_schema=False)
Auth = Annotated[PageAuth, Depends(page_auth)]


def render(request: Request, name: str, auth: PageAuth, status: int = 200, **ctx) -> HTMLResponse:
    return render_with(templates, request, name, auth, status, **ctx)


def to_login(request: Request) -> RedirectResponse:
    return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)


def error_page(request: Request, status: int, exc: GongfuError) -> HTMLResponse:
    return render(
        request, "error.html", page_auth(request), status=status, status_code=status, error=body_of(exc)
    )


# ---- sign in and out -----------------------------------------------------------------------------------


@router.get("/login")
def login_form(request: Request, auth: Auth, next: str = "/") -> Response:
    token = new_login_csrf()
    resp = render(request, "login.html", auth, login_csrf=token, next=_local(next), message=None)
    resp.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict")
    return resp


@router.post("/login")
def login(
    request: Request,
    auth: Auth,
    username: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=200)],
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    check_csrf(request.cookies.get(LOGIN_CSRF_COOKIE, ""), csrf_token)
    db = get_db(request)
    try:
        user = authenticate(db, username, password, source=client_address(request))
    except AuthFailed as exc:
        locked = status_of(exc) == 423
        message = "登录失败次数过多，账户已临时锁定，请稍后再试。" if locked else "用户名或密码错误。"
        token = new_login_csrf()
        resp = render(request, "login.html", auth, status=status_of(exc), login_csrf=token, next=_local(next),
                      message=message)  # fmt: skip
        resp.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict")
        resp.headers.update(retry_after(exc) or {})
        return resp
    secret, _, _ = issue_token(db, user, "session")
    resp = RedirectResponse(_local(next), status_code=303)
    resp.set_cookie(SESSION_COOKIE, secret, httponly=True, samesite="lax",
                    max_age=int(LIFETIME["session"].total_seconds()))  # fmt: skip
    resp.delete_cookie(LOGIN_CSRF_COOKIE)
    return resp


@router.post("/logout")
def logout(request: Request, auth: Auth, csrf_token: Annotated[str, Form(max_length=100)] = "") -> Response:
    if auth.scope is None:
        return to_login(request)
    check_csrf(auth.csrf, csrf_token)
    revoke_token(get_db(request), auth.secret or "")
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(SESSION_COOKIE)
    return resp


def _local(target: str) -> str:
    """Only same-site paths as a redirect target (no open redirect)."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


# ---- pages ---------------------------------------------------------------------------------------------


@router.get("/")
def overview(
    request: Request, auth: User, region: Annotated[str | None, Query(max_length=40)] = None,
    year: Annotated[int | None, Query(ge=1949, le=2100)] = None,
    cols: Annotated[int, Query(ge=0, le=10**6)] = 0,
) -> Response:  # fmt: skip
    scope, db = auth.scope, get_db(request)
    here = service.region(scope, region or scope.root)
    # one page of regions (columns) from the stored evaluation's columns, not every record parsed
    matrix = ev.matrix(db, scope, here["code"], year=year, offset=cols)
    # one ranking everywhere: the peers of one level below this region, as `gongfu index` and /api/v1/index
    index = ev.index(db, scope, parent=here["code"], year=year)
    index = index if len(index["regions"]) > 1 else None
    return render(
        request, "overview.html", auth, region=here, year=year,
        matrix=matrix, index=index, radar=ev.radar(index) if index else None,
    )  # fmt: skip


@router.get("/indicator/{code}")
def indicator(
    request: Request, auth: User, code: str, region: Annotated[str | None, Query(max_length=40)] = None,
    year: Annotated[int | None, Query(ge=1949, le=2100)] = None,
) -> Response:  # fmt: skip
    scope = auth.scope
    here = service.region(scope, region or scope.root)
    view = ev.indicator_view(get_db(request), scope, here["code"], code, year=year)
    return render(request, "indicator.html", auth, region=here, code=code, view=view)


@router.get("/plans")
def plans(request: Request, auth: User) -> Response:
    return render(request, "plans.html", auth, plans=service.plans(get_db(request), auth.scope).items)


@router.get("/plans/{plan_id}")
def plan(request: Request, auth: User, plan_id: Annotated[int, Path(ge=1, le=2**31 - 1)]) -> Response:
    return render(request, "plan.html", auth, plan=service.plan(get_db(request), auth.scope, plan_id))


@router.get("/compare")
def compare(
    request: Request, auth: User, regions: Annotated[str | None, Query(max_length=2000)] = None,
    year: Annotated[int | None, Query(ge=1949, le=2100)] = None,
) -> Response:  # fmt: skip
    scope, db = auth.scope, get_db(request)
    codes = [c.strip() for c in (regions or "").split(",") if c.strip()]
    choices = service.regions(scope, scope.root).items
    if not codes:
        codes = [c["code"] for c in choices[:5]] or [scope.root]
    records = [r for c in codes for r in ev.evaluation(db, scope, c, year=year)]
    return render(request, "compare.html", auth, choices=choices, chosen=codes,
                  matrix=ev.warning_matrix(records), records=records)  # fmt: skip


@router.get("/observations/{observation_id}")
def observation(
    request: Request, auth: User, observation_id: Annotated[int, Path(ge=1, le=2**31 - 1)]
) -> Response:
    obs = service.observation(get_db(request), auth.scope, observation_id)
    return render(request, "observation.html", auth, obs=obs)


@router.get("/upload")
def upload_form(request: Request, auth: User) -> Response:
    return render(request, "upload.html", auth, result=None, error=None)


@router.post("/upload")
async def upload(
    request: Request, auth: User, file: Annotated[UploadFile, File()],
    mapping: Annotated[UploadFile | None, File()] = None, csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:  # fmt: skip
    fragment = request.headers.get("HX-Request") == "true"
    name = "_upload_result.html" if fragment else "upload.html"
    scope = auth.scope
    try:
        mapped = await read_mapping(mapping)
        result = await import_or_queue(request, scope.actor, file, service.OBS_SUFFIXES, "observations",
                                       lambda up: service.upload_observations(get_db(request), scope, up, mapped))  # fmt: skip
        if isinstance(result, Job):  # a large file: imported in the background, its page shows the progress
            return render(request, name, auth, result=None, error=None, job=result.json())
    except GongfuError as exc:
        # htmx swaps only 2xx responses by default; for it the report itself is the content
        status = 200 if fragment else status_of(exc)
        return render(request, name, auth, status=status, result=None, error=body_of(exc))
    return render(request, name, auth, result=result, error=None)


@router.get("/audit")
def audit(request: Request, auth: User) -> Response:
    return render(request, "audit.html", auth, events=service.audit_events(get_db(request), auth.scope).items)
