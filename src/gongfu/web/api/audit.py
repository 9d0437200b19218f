"""The audit trail of writes in the user's scope (admins only)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from gongfu.access.scope import Scope
from gongfu.web import service
from gongfu.web.api.params import ERRORS
from gongfu.web.auth import api_scope, get_db

router = APIRouter(prefix="/audit", tags=["audit"], responses=ERRORS)


@router.get("")
def audit_events(
    request: Request,
    scope: Annotated[Scope, Depends(api_scope)],
    action: Annotated[str | None, Query(max_length=50, pattern=r"^[\w.]+$")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[dict]:
    """Newest first: who, when, what, where, old → new."""
    return service.audit_events(get_db(request), scope, action=action, limit=limit)
