"""Regions in the user's scope."""

from typing import Annotated

from fastapi import APIRouter, Depends

from gongfu.access.scope import Scope
from gongfu.web import service
from gongfu.web.api.params import ERRORS, RegionCode, RegionQuery
from gongfu.web.auth import api_scope

router = APIRouter(prefix="/regions", tags=["regions"], responses=ERRORS)
ScopeDep = Annotated[Scope, Depends(api_scope)]


@router.get("")
def list_regions(scope: ScopeDep, parent: RegionQuery = None) -> list[dict]:
    """The user's own region, or the regions directly under `parent`."""
    return service.regions(scope, parent)


@router.get("/{code}")
def get_region(scope: ScopeDep, code: RegionCode) -> dict:
    return service.region(scope, code)
