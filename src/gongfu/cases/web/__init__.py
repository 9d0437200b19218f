"""The closed loop on the web: an Open311 GeoReport v2 compatible API and the dashboard pages.

Add to `gongfu.web.app.create_app`:  `app.include_router(gongfu.cases.web.router)`
"""

from fastapi import APIRouter

from gongfu.cases.web import api, pages

router = APIRouter()
router.include_router(api.router)
router.include_router(pages.router)

__all__ = ["router"]
