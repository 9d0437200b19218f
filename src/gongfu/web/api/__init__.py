"""The REST API under /api/v1: one router per resource, each a thin wrapper over `gongfu.web.service`."""

from fastapi import APIRouter, Depends

from gongfu.web.api import audit, auth, evaluation, observations, plans, regions
from gongfu.web.api import cascade as cascade_api
from gongfu.web.api import reporting as reporting_api
from gongfu.web.api import users as users_api
from gongfu.web.api.params import API_PREFIX
from gongfu.web.forms import refuse_unknown_fields

router = APIRouter(prefix=API_PREFIX, dependencies=[Depends(refuse_unknown_fields)])
for _module in (auth, regions, plans, observations, evaluation, audit, cascade_api, reporting_api, users_api):
    router.include_router(_module.router)

__all__ = ["API_PREFIX", "router"]
