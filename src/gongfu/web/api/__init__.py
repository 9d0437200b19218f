"""The REST API under /api: one router per resource, each a thin wrapper over `gongfu.web.service`."""

from fastapi import APIRouter

from gongfu.web.api import audit, auth, evaluation, observations, plans, regions

router = APIRouter(prefix="/api")
for _module in (auth, regions, plans, observations, evaluation, audit):
    router.include_router(_module.router)

__all__ = ["router"]
