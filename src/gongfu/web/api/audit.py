"""The audit trail of writes in the user's scope (admins only)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from gongfu.access.scope import Scope
from gongfu.web import service
from gongfu.web.api.models import AuditEvent, Page
from gongfu.web.api.params import ERRORS, Limit, Offset, page_body
from gongfu.web.auth import api_scope, get_db

router = APIRouter(prefix="/audit", tags=["audit"], responses=ERRORS)


@router.get("", response_model=Page[AuditEvent])
def audit_events(
    request: Request,
    scope: Annotated[Scope, Depends(api_scope)],
    action: Annotated[str | None, Query(max_length=50, pattern=r"^[\w.]+$")] = None,
    limit: Limit = 200,
    offset: Offset = 0,
) -> dict:
    """Newest first: who, when, what, where, old → new (filtered by scope before the limit)."""
    page = service.audit_events(get_db(request), scope, action=action, limit=limit, offset=offset)
    return page_body(request, page)
