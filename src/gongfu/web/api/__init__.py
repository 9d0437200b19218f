"""The REST API under /api: one router per resource, each a thin wrapper over `gongfu.web.service`."""

from fastapi import APIRouter

from gongfu.web.api import audit, auth, evaluation, observations, plans, regions
from gongfu.web.api import cascade as cascade_api
from gongfu.web.api import reporting as reporting_api

router = APIRouter(prefix="/api")
for _module in (auth, regions, plans, observations, evaluation, audit, cascade_api, reporting_api):
    router.include_router(_module.router)

__all__ = ["router"]
