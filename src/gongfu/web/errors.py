"""How gongfu errors become HTTP responses: JSON for the API, a page for the dashboard."""

from __future__ import annotations

from gongfu.access.scope import OutOfScopeRows
from gongfu.access.tokens import AuthFailed, LockedOut
from gongfu.errors import (
    AmbiguousName,
    ConflictError,
    DatabaseError,
    GongfuError,
    InputError,
    NotFound,
    ScopeError,
    ValidationFailed,
)
from gongfu.web.uploads import PayloadTooLarge

# Most specific first: (error class, HTTP status, machine-readable code).
STATUS: tuple[tuple[type[GongfuError], int, str], ...] = (
    (OutOfScopeRows, 403, "out_of_scope_rows"),
    (ValidationFailed, 422, "validation_failed"),
    (PayloadTooLarge, 413, "payload_too_large"),
    (InputError, 400, "bad_input"),
    (LockedOut, 423, "locked_out"),
    (AuthFailed, 401, "not_authenticated"),
    (NotFound, 404, "not_found"),
    (AmbiguousName, 400, "ambiguous_name"),
    (ScopeError, 403, "forbidden"),
    (ConflictError, 409, "conflict"),
    (DatabaseError, 503, "database_unavailable"),
)
TITLES = {
    400: "请求有误", 401: "请先登录", 403: "无权访问", 404: "未找到", 409: "冲突", 413: "文件过大",
    422: "数据校验未通过", 423: "账户已临时锁定", 503: "数据库暂不可用",
}  # fmt: skip
PROBLEM_JSON = "application/problem+json"


def _entry(exc: GongfuError) -> tuple[int, str]:
    for cls, status, code in STATUS:
        if isinstance(exc, cls):
            return status, code
    return 400, "bad_input"


def retry_after(exc: GongfuError) -> dict[str, str] | None:
    """The `Retry-After` header of a throttled sign-in (seconds until its block ends), else None."""
    if isinstance(exc, LockedOut) and exc.retry_after > 0:
        return {"Retry-After": str(exc.retry_after)}
    return None


def status_of(exc: GongfuError) -> int:
    return _entry(exc)[0]


def code_of(exc: GongfuError) -> str:
    return _entry(exc)[1]


def body_of(exc: GongfuError) -> dict:
    body: dict = {"detail": str(exc)}
    if isinstance(exc, ValidationFailed):
        body["problems"] = [
            {"code": p.code, "message": p.message, "row": p.row, "column": p.column} for p in exc.problems
        ]
    return body


def problem(status: int, code: str, detail: str, problems: list[dict] | None = None) -> dict:
    """An RFC 9457 problem document: `code` for machines beside the Chinese `title` and `detail`."""
    return {"type": "about:blank", "title": TITLES.get(status, "请求有误"), "status": status, "detail": detail,
            "code": code, "problems": problems or []}  # fmt: skip


def problem_of(exc: GongfuError) -> dict:
    status, code = _entry(exc)
    return problem(status, code, str(exc), body_of(exc).get("problems"))
