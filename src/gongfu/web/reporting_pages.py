"""Dashboard pages of the cascade (/cascade) and of data reporting (/reporting): the 分解表 upload and the
cascade view, a unit's reporting forms with approval, and the timeliness page. Same services as the API."""

from __future__ import annotations

from pathlib import Path as FsPath
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from gongfu import cascade, reporting
from gongfu.cascade.view import ORIGIN_ZH
from gongfu.errors import GongfuError, InputError
from gongfu.reporting.periods import parse_period_id, type_of
from gongfu.web import service
from gongfu.web.auth import PageAuth, User, get_db, page_auth
from gongfu.web.errors import body_of, status_of
from gongfu.web.pages import render

router = APIRouter(include_in_schema=False)
Auth = Annotated[PageAuth, Depends(page_auth)]
RegionQ = Annotated[str | None, Query(max_length=40)]
YearQ = Annotated[int | None, Query(ge=1949, le=2100)]
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
MOVES = ("save", "submit", "withdraw", "approve", "return", "revise")


def _back(path: str, message: str) -> RedirectResponse:
    return RedirectResponse(f"{path}?message={quote(message)}", status_code=303)


@router.get("/cascade")
def cascade_list(
    request: Request, auth: User, region: RegionQ = None, message: str | None = None
) -> Response:
    here = service.region(auth.scope, region or auth.scope.root)
    rows = cascade.cascades(get_db(request), auth.scope, here["code"])
    return render(request, "cascade_list.html", auth, region=here, rows=rows, message=message, error=None)


@router.post("/cascade/import")
async def cascade_import(request: Request, auth: User) -> Response:
    form = await request.form()
    region = str(form.get("region") or auth.scope.root)[:40]
    upload = form.get("file")
    try:
        if upload is None or isinstance(upload, str):
            raise InputError("请选择分解表文件（.xlsx 或 .csv）")
        content = await upload.read()
        service._check_size(content)
        name = service._safe_name(upload.filename or "", (".xlsx", ".csv"))
        out = cascade.import_sheet(get_db(request), auth.scope, FsPath(name), region=region, content=content)
    except GongfuError as exc:
        here = service.region(auth.scope, region)
        rows = cascade.cascades(get_db(request), auth.scope, here["code"])
        return render(
            request,
            "cascade_list.html",
            auth,
            status=status_of(exc),
            region=here,
            rows=rows,
            message=None,
            error=body_of(exc),
        )
    return _back(f"/cascade/{out['parents'][0]}", f"{out['file']}：导入{len(out['links'])}个分解目标")


@router.post("/reporting/issue")
def reporting_issue(request: Request, auth: User, region: Annotated[str, Form(max_length=40)],
                    year: Annotated[int, Form(ge=1949, le=2100)], csrf_token: Annotated[str, Form(max_length=100)] = "") -> Response:  # fmt: skip
    """Issue the year's data requests for the region and the regions below (their cascaded targets too)."""
    db = get_db(request)
    rows = reporting.needed(db, auth.scope, region, year, children=True)
    out = reporting.issue(db, auth.scope, rows)
    return _back("/cascade", f"已下发{year}年数据需求{out['added']}项（已有{out['kept']}项）")


@router.get("/cascade/{target_id}")
def cascade_page(request: Request, auth: User, target_id: Id, message: str | None = None) -> Response:
    view = cascade.cascade_view(get_db(request), auth.scope, target_id)
    return render(request, "cascade.html", auth, view=view, message=message, ORIGINS=ORIGIN_ZH)


@router.get("/reporting")
def reporting_home(request: Request, auth: User, message: str | None = None) -> Response:
    return render(
        request, "reporting.html", auth, mine=reporting.my_forms(get_db(request), auth.scope), message=message
    )


@router.post("/reporting/open")
def reporting_open(request: Request, auth: User, region: Annotated[str, Form(max_length=40)],
                   unit: Annotated[str, Form(max_length=200)], period: Annotated[str, Form(max_length=6)],
                   csrf_token: Annotated[str, Form(max_length=100)] = "") -> Response:  # fmt: skip
    year, p = parse_period_id(period)
    ptype = type_of(p)
    fid = reporting.open_form(
        get_db(request), auth.scope, region=region, unit=unit, year=year, period=p, period_type=ptype
    )
    return RedirectResponse(f"/reporting/forms/{fid}", status_code=303)


@router.get("/reporting/forms/{form_id}")
def form_page(request: Request, auth: User, form_id: Id, message: str | None = None) -> Response:
    view = reporting.form_view(get_db(request), auth.scope, form_id)
    return render(request, "report_form.html", auth, form=view, message=message, error=None)


@router.post("/reporting/forms/{form_id}")
async def form_move(request: Request, auth: User, form_id: Id) -> Response:
    """One button of the form: save or submit what was typed (with evidence files), or a move."""
    data = await request.form()
    action = str(data.get("action") or "")
    db, scope = get_db(request), auth.scope
    try:
        version = int(str(data.get("version") or "0"))
        if action not in MOVES:
            raise InputError(f"未知操作“{action}”")
        if action in ("save", "submit"):
            view = reporting.form_view(db, scope, form_id)
            entries, evidence = [], {}
            for item in view["items"]:
                n = item["item"]
                entries.append(
                    {
                        "item": n,
                        "value": str(data.get(f"value_{n}") or ""),
                        "note": str(data.get(f"note_{n}") or ""),
                        "reason": str(data.get(f"reason_{n}") or ""),
                    }
                )
                upload = data.get(f"evidence_{n}")
                if upload is not None and not isinstance(upload, str) and upload.filename:
                    content = await upload.read()
                    service._check_size(content)
                    evidence[n] = (upload.filename, content)
            out = reporting.save(db, scope, form_id, entries, version=version, evidence=evidence)
            if action == "submit":
                out = reporting.submit(db, scope, form_id, version=out["version"])
        elif action == "return":
            out = reporting.return_form(db, scope, form_id, str(data.get("reason") or ""), version=version)
        else:
            fn = {"withdraw": reporting.withdraw, "approve": reporting.approve, "revise": reporting.revise}[
                action
            ]
            out = fn(db, scope, form_id, version=version)
    except GongfuError as exc:
        view = reporting.form_view(db, scope, form_id)
        return render(
            request,
            "report_form.html",
            auth,
            status=status_of(exc),
            form=view,
            message=None,
            error=body_of(exc),
        )
    done = {
        "save": "已保存草稿",
        "submit": "已报送",
        "withdraw": "已撤回",
        "approve": "已审核",
        "return": "已退回",
        "revise": "已重新打开以更正",
    }[action]
    state = out.get("state_zh") or ""
    return _back(f"/reporting/forms/{form_id}", f"{done}{'（' + state + '）' if state else ''}")


@router.get("/reporting/timeliness")
def timeliness_page(request: Request, auth: User, region: RegionQ = None, year: YearQ = None) -> Response:
    from gongfu.reporting.periods import today

    here = service.region(auth.scope, region or auth.scope.root)
    year = year or today().year - 1
    out = reporting.timeliness(get_db(request), auth.scope, here["code"], year)
    return render(request, "timeliness.html", auth, region=here, year=year, t=out)
