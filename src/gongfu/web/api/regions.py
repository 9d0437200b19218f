"""Regions in the user's scope."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from gongfu.access.scope import Scope
from gongfu.web import service
from gongfu.web.api.models import Page, Region, RegionDetail
from gongfu.web.api.params import DEFAULT, ERRORS, Limit, Offset, RegionCode, RegionQuery, page_body
from gongfu.web.auth import api_scope

router = APIRouter(prefix="/regions", tags=["regions"], responses=ERRORS)
ScopeDep = Annotated[Scope, Depends(api_scope)]


@router.get("", response_model=Page[Region])
def list_regions(
    request: Request, scope: ScopeDep, parent: RegionQuery = None, limit: Limit = DEFAULT, offset: Offset = 0
) -> dict:
    """The user's own region, or the regions directly under `parent`."""
    return page_body(request, service.regions(scope, parent, limit=limit, offset=offset))


@router.get("/{code}", response_model=RegionDetail)
def get_region(scope: ScopeDep, code: RegionCode) -> dict:
    return service.region(scope, code)
