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

# Most specific first.
STATUS: tuple[tuple[type[GongfuError], int], ...] = (
    (OutOfScopeRows, 403),
    (ValidationFailed, 422),
    (PayloadTooLarge, 413),
    (InputError, 400),
    (LockedOut, 423),
    (AuthFailed, 401),
    (NotFound, 404),
    (AmbiguousName, 400),
    (ScopeError, 403),
    (ConflictError, 409),
    (DatabaseError, 503),
)


def status_of(exc: GongfuError) -> int:
    for cls, status in STATUS:
        if isinstance(exc, cls):
            return status
    return 400


def body_of(exc: GongfuError) -> dict:
    body: dict = {"detail": str(exc)}
    if isinstance(exc, ValidationFailed):
        body["problems"] = [
            {"code": p.code, "message": p.message, "row": p.row, "column": p.column} for p in exc.problems
        ]
    return body
