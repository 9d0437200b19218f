"""The work system's web front: a REST API under /api/work and dashboard pages under /work.

Add it to the app factory (`gongfu.web.app.create_app`) with one line after the other routers:

    install(app)   # from gongfu.work.web import install
"""

from fastapi import APIRouter, FastAPI

from gongfu.work.web import api, pages

router = APIRouter()
router.include_router(api.router)
router.include_router(pages.router)


def install(app: FastAPI) -> None:
    """Include the work API and pages in the app (same auth, scope and error handling as the rest)."""
    app.include_router(router)


__all__ = ["install", "router"]
