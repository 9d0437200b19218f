"""The one Jinja environment factory of the dashboard: every room's templates (its own folder first, then the
dashboard's `base.html` and partials) with the one set of filters and globals, and one `render`."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from starlette.requests import Request

from gongfu.access.roles import ROLE_NAMES, allowed
from gongfu.fmt import jinja_filters
from gongfu.labels import COLOUR_ZH
from gongfu.text.names import web_url

WEB_TEMPLATES = Path(__file__).with_name("templates")
FILTERS = {
    "tojson_zh": lambda v: json.dumps(v, ensure_ascii=False, default=str),
    **jinja_filters(),  # the one number / percent / date formatter
    "web_url": web_url,  # a link only for http(s) URLs, never javascript: and the like
}


def templates_for(*folders: Path, **globals_: object) -> Jinja2Templates:
    """The templates of `folders` (searched first) and of the dashboard, with the shared filters and
    globals plus the room's own `globals_`."""
    templates = Jinja2Templates(directory=[*folders, WEB_TEMPLATES])
    templates.env.filters.update(FILTERS)
    templates.env.globals.update({"COLOUR_ZH": COLOUR_ZH, "ROLE_NAMES": ROLE_NAMES, **globals_})
    return templates


def render_with(
    templates: Jinja2Templates, request: Request, name: str, auth, status: int = 200, **ctx
) -> HTMLResponse:
    """A page for the signed-in user (`auth`: `gongfu.web.auth.PageAuth`) with the session's CSRF token."""
    from gongfu.web.auth import CSRF_FIELD

    user = auth.scope.principal if auth.scope else None
    context = {"user": user, "csrf": auth.csrf, "csrf_field": CSRF_FIELD, "allowed": allowed, **ctx}
    return templates.TemplateResponse(request, name, context, status_code=status)
