"""Scoped evaluation reads and the data shapes the dashboard charts draw (warning matrix, trend, radar)."""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict

from gongfu.access.scope import Scope
from gongfu.errors import InputError, NotFound
from gongfu.store.db import Database
from gongfu.vocab import COLOURS

WEIGHTS = ("equal", "entropy")  # "expert" needs a weights file: CLI only


def evaluation(
    db: Database, scope: Scope, region: str, *, year: int | None = None, children: bool = False
) -> list[dict]:
    """Every target evaluation of a region in scope (and, with `children`, of the regions below it)."""
    from gongfu.evaluation.service import evaluate_region

    scope.need("read")
    code = scope.region(region).code
    return scope.keep(evaluate_region(db, code, year=year, children=children), lambda r: r["region"])


# Matrices and indexes already shaped, by the stored evaluation's stamp (`materialise.current_stamp`,
# which changes whenever the stored records do): a dashboard draws the same matrix page and ranking on
# every request between two imports. Per process, small.
_MATRIX_MEMO: OrderedDict[tuple, dict] = OrderedDict()
_INDEX_MEMO: OrderedDict[tuple, dict] = OrderedDict()
_MEMO_SIZE = 64
_MEMO_LOCK = threading.Lock()


def stored_page(
    db: Database, scope: Scope, region: str, *, year: int | None, children: bool, limit: int, offset: int
) -> tuple[int, list[str]] | None:
    """(total, JSON payloads of one page) of the stored evaluation of a region in scope (and, with
    `children`, of the regions below it), counted and cut in SQL; None when that as-of year is not stored
    (the caller computes it with `evaluation`)."""
    from gongfu.evaluation import materialise
    from gongfu.evaluation.service import regions_in_scope

    scope.need("read")
    code = scope.region(region).code
    codes = [c for c in regions_in_scope(code, children=children) if scope.sees(c)]
    return materialise.page(db, codes, year, limit, offset)


MATRIX_REGIONS = 12  # regions (columns) per page of a warning matrix: a city's counties, or 12 cities


def matrix(db: Database, scope: Scope, region: str, *, year: int | None = None, offset: int = 0) -> dict:
    """The warning matrix of a region in scope and the regions below it, one page of `MATRIX_REGIONS`
    regions (columns) from `offset`, with the colour counts of all of them: read from the stored columns
    in three SQL queries when that as-of year is stored, else from the records computed now."""
    from gongfu.evaluation import materialise
    from gongfu.evaluation.service import regions_in_scope

    scope.need("read")
    code = scope.region(region).code
    codes = [c for c in regions_in_scope(code, children=True) if scope.sees(c)]
    offset = max(0, offset)
    key = (db.url, materialise.current_stamp(db), tuple(codes), year, offset, MATRIX_REGIONS)
    with _MEMO_LOCK:  # one thread computes a missing entry; the others asking for it wait for it
        hit = _MATRIX_MEMO.get(key)
        if hit is None:
            hit = _MATRIX_MEMO[key] = _matrix(db, scope, code, codes, year, offset)
            if len(_MATRIX_MEMO) > _MEMO_SIZE:
                _MATRIX_MEMO.popitem(last=False)
        _MATRIX_MEMO.move_to_end(key)
    return copy.deepcopy(hit)


def _matrix(db: Database, scope: Scope, code: str, codes: list[str], year: int | None, offset: int) -> dict:
    from gongfu.evaluation import materialise

    got = materialise.cells(db, codes, year, MATRIX_REGIONS, offset)
    if got is None:  # an as-of year not stored: computed on demand, paged here
        records = evaluation(db, scope, code, year=year, children=True)
        held = sorted({r["region"] for r in records})
        shown = set(held[offset : offset + MATRIX_REGIONS])
        out = warning_matrix([r for r in records if r["region"] in shown])
        out["counts"] = warning_matrix(records)["counts"]
    else:
        rows = [
            {
                **r,
                "region": r["region_code"],
                "indicator": r["indicator_key"],
                "indicator_code": r["indicator_key"],
            }
            for r in got["rows"]
        ]
        out = warning_matrix(rows)
        out["counts"] = {**dict.fromkeys(COLOURS, 0), **got["counts"]}
        held = got["regions"]
    out["paging"] = {
        "total": len(held),
        "offset": offset,
        "limit": MATRIX_REGIONS,
        "prev": max(0, offset - MATRIX_REGIONS) if offset > 0 else None,
        "next": offset + MATRIX_REGIONS if offset + MATRIX_REGIONS < len(held) else None,
    }
    return out


def index(
    db: Database,
    scope: Scope,
    *,
    regions: list[str] | None = None,
    parent: str | None = None,
    year: int | None = None,
    weights: str = "equal",
) -> dict:
    """The composite index and ranking of `regions`, or of the peers below `parent` (default: the user's
    own region): the same ranking as `gongfu index` — peers of one level, each on its own targets — with
    each rank's range under other weightings. A region outside the scope is a 403, as for the evaluation."""
    from gongfu.evaluation.service import composite_index, peer_index

    scope.need("read")
    if weights not in WEIGHTS:
        raise InputError(f"未知的权重方案“{weights}”，应为 {'、'.join(WEIGHTS)} 之一")
    from gongfu.evaluation import materialise

    codes = [scope.region(r).code for r in regions] if regions else None
    root = scope.region(parent).code if parent else scope.root
    key = (db.url, materialise.current_stamp(db), tuple(codes or ()), root, year, weights)
    with _MEMO_LOCK:  # 50 users arriving at once compute it once, not 40 times side by side
        hit = _INDEX_MEMO.get(key)
        if hit is None:
            if codes:
                result = peer_index(db, codes, year=year, weights=weights)
            else:
                result = composite_index(db, root, year=year, weights=weights)
            hit = _INDEX_MEMO[key] = shaped(result, weights)
            if len(_INDEX_MEMO) > _MEMO_SIZE:
                _INDEX_MEMO.popitem(last=False)
        _INDEX_MEMO.move_to_end(key)
    return copy.deepcopy(hit)  # callers may change what they get  # callers may change what they get


def shaped(result: dict, weights: str) -> dict:
    """A composite-index result in the shape the API declares and the dashboard draws."""
    regions = [
        {"region": r["region"], "region_name": r["region_name"], "level": r["level"], "index": r["index"],
         "rank": r["rank"], "rank_range": [r["min_rank"], r["max_rank"]], "indicators": r["indicators"],
         "targets": r["targets"], "coverage": r["coverage"], "dimensions": r["dimensions"]}
        for r in result["regions"]
    ]  # fmt: skip
    return {
        "weights_scheme": weights,
        "dimensions": list(result["weights"]),
        "weights": list(result["weights"].values()),
        "regions": regions,
        "note": result.get("note"),
    }


def warning_matrix(records: list[dict]) -> dict:
    """Indicators (rows) × regions (columns), each cell the colour and attainment of the region's target."""
    regions: dict[str, str] = {}
    indicators: dict[str, str] = {}
    cells: dict[str, dict[str, dict]] = {}
    for r in records:
        key = r.get("indicator_code") or r["indicator"]
        regions.setdefault(r["region"], r.get("region_name") or r["region"])
        indicators.setdefault(key, r.get("indicator_name") or r["indicator"])
        cell = cells.setdefault(key, {}).get(r["region"])
        if cell is None or _later(r, cell):  # one cell per region: the target with the latest year
            cells[key][r["region"]] = {
                "colour": r["colour"],
                "attainment": r.get("attainment"),
                "target_id": r["target_id"],
                "reason": r.get("colour_reason") or "",
                "year": r.get("year"),
            }
    counts = dict.fromkeys(COLOURS, 0)
    for r in records:
        counts[r["colour"]] = counts.get(r["colour"], 0) + 1
    return {
        "regions": [{"code": c, "name": n} for c, n in sorted(regions.items())],
        "indicators": [{"key": k, "name": n} for k, n in indicators.items()],
        "cells": cells,
        "counts": counts,
    }


def _later(new: dict, cell: dict) -> bool:
    return (new.get("year") or 0) > (cell.get("year") or 0)


def trend(record: dict) -> dict:
    """The observed series (each point with its observation id), the expected trajectory and the target."""
    points = [
        {"year": o["year"], "value": o["value"], "observation_id": o["id"], "source": o["source"]}
        for o in record.get("observations", [])
    ]
    path = [
        [p["year"], round(p["value"], 6)]
        for p in record.get("trajectory_path") or []
        if p["value"] is not None
    ]
    y1 = record.get("year")
    return {
        "points": points,
        "trajectory": path,
        "target": record.get("target_level")
        if record.get("target_level") is not None
        else record.get("target"),
        "target_year": y1,
        "unit": record.get("unit"),
    }


def indicator_view(db: Database, scope: Scope, region: str, indicator: str, year: int | None = None) -> dict:
    """The evaluations of one indicator in one region, each with its trend."""
    records = [
        r
        for r in evaluation(db, scope, region, year=year)
        if (r.get("indicator_code") or r["indicator"]) == indicator
    ]
    if not records:
        raise NotFound(f"no target for indicator {indicator!r} in region {region}")
    return {"records": [{**r, "chart": trend(r)} for r in records]}


def radar(index_result: dict) -> dict:
    """Dimension scores per region from a composite-index result, for a radar chart."""
    dims: list[str] = []
    series = []
    for r in index_result.get("regions", []):
        scores = r.get("dimensions") or {}
        for d in scores:
            if d not in dims:
                dims.append(d)
        series.append({"name": r.get("region_name") or r.get("region"), "scores": scores})
    return {
        "dimensions": dims,
        "series": [{"name": s["name"], "value": [s["scores"].get(d) for d in dims]} for s in series],
    }
