"""The cascade view: a parent target, each child's target with its attainment and colour (from the evaluation
service), the consistency verdict, and the children's latest figures aggregated against the parent's."""

from __future__ import annotations

from sqlalchemy import select

from gongfu.access.scope import Scope
from gongfu.cascade.consistency import Child, aggregate, check
from gongfu.catalog.catalog import Indicator, load_catalog
from gongfu.errors import NotFound
from gongfu.evaluation.service import evaluate_region
from gongfu.evaluation.spec import GROWTH_COMPARATORS
from gongfu.store.db import Database
from gongfu.store.paging import Page, page_query
from gongfu.store.reporting_tables import CascadeLinkRow
from gongfu.store.tables import ObservationRow, TargetRow
from gongfu.units import UnitError, convert

ORIGIN_ZH = {"sheet": "分解表", "manual": "手工", "plan": "下级方案"}
RECORD_KEYS = (
    "target_id",
    "region",
    "region_name",
    "target",
    "unit",
    "comparator",
    "year",
    "latest",
    "latest_year",
    "attainment",
    "colour",
    "colour_zh",
    "colour_reason",
    "evaluable",
)


def nature_of(ind: Indicator, comparator: str) -> tuple[str, str]:
    """(nature, weight indicator) for a target: a growth target (年均增长7%) is a rate weighted by the level."""
    if comparator in GROWTH_COMPARATORS:
        return "rate", ind.code if ind.kind != "growth" else ind.weight_by
    return ind.nature, ind.weight_by if ind.nature != "total" else ind.code


def direction_of(ind: Indicator, comparator: str) -> str:
    return "higher" if comparator in GROWTH_COMPARATORS else ind.direction


def _in_catalog_unit(value: float, t: TargetRow, ind: Indicator) -> float:
    if t.comparator in GROWTH_COMPARATORS or t.unit == ind.unit:
        return value
    try:
        return convert(value, t.unit, ind.unit)
    except UnitError:
        return value


def _latest(
    db: Database, indicator: str, regions: list[str], year: int | None
) -> dict[str, dict[int, float]]:
    """Current annual figures by region and year (up to `year`)."""
    out: dict[str, dict[int, float]] = {r: {} for r in regions}
    if not indicator or not regions:
        return out
    with db.session() as s:
        q = select(ObservationRow).where(
            ObservationRow.indicator_code == indicator,
            ObservationRow.region_code.in_(regions),
            ObservationRow.period == "",
            ObservationRow.superseded_by.is_(None),
            ObservationRow.vintage != "synthetic",
        )
        for o in s.scalars(q):
            if year is None or o.year <= year:
                out[o.region_code][o.year] = o.value
    return out


def _last(series: dict[int, float]) -> float | None:
    return series[max(series)] if series else None


def _record(db: Database, region: str, target_id: int) -> dict:
    for r in evaluate_region(db, region):
        if r["target_id"] == target_id:
            return {k: r.get(k) for k in RECORD_KEYS}
    raise NotFound(f"目标{target_id}不在{region}的评价结果中")


def cascade_view(db: Database, scope: Scope, target_id: int) -> dict:
    """Everything the cascade page, the API and the CLI show for one parent target."""
    catalog = load_catalog()
    with db.session() as s:
        parent = s.get(TargetRow, target_id)
        if parent is None or not scope.sees(parent.region_code) or not parent.indicator_code:
            raise NotFound(f"没有编号为{target_id}的可分解目标（或不在您的地区范围内）")
        links = list(s.scalars(select(CascadeLinkRow).where(CascadeLinkRow.parent_target_id == target_id)))
        children = {
            lk.region_code: (lk, s.get(TargetRow, lk.child_target_id))
            for lk in links
            if scope.sees(lk.region_code)
        }
    ind = catalog.get(parent.indicator_code)
    nature, weight_by = nature_of(ind, parent.comparator)
    direction = direction_of(ind, parent.comparator)
    reg = scope.registry
    kid_regions = [k.code for k in reg.children(parent.region_code or "") if scope.sees(k.code)]
    kid_regions += [c for c in children if c not in kid_regions]
    weights = _latest(db, weight_by, kid_regions, parent.year)
    figures = _latest(db, ind.code, [*kid_regions, parent.region_code or ""], None)
    rows, inputs = [], []
    for code in kid_regions:
        link, child = children.get(code, (None, None))
        value = _in_catalog_unit(child.value, child, ind) if child is not None else None
        inputs.append(Child(code, reg.get(code).name, value, _last(weights.get(code, {}))))
        rows.append(
            {
                "region": code,
                "region_name": reg.get(code).name,
                "target_id": child.id if child else None,
                "target": child.value if child else None,
                "unit": child.unit if child else parent.unit,
                "origin": link.origin if link else None,
                "source": link.source if link else None,
                "note": link.note if link else "",
                "weight": inputs[-1].weight,
                "record": _record(db, code, child.id) if child is not None else None,
                "drill": {
                    "indicator": f"/indicator/{ind.code}?region={code}",
                    "cascade": f"/cascade/{child.id}" if child is not None else None,
                },
            }
        )
    verdict = check(
        nature,
        direction,
        _in_catalog_unit(parent.value, parent, ind),
        inputs,
        unit="%" if parent.comparator in GROWTH_COMPARATORS else ind.unit,
    )
    by_region = {c.region: c for c in verdict.children}
    for row in rows:
        cv = by_region.get(row["region"])
        row["share"], row["gap"], row["ok"] = (cv.share, cv.gap, cv.ok) if cv else (None, None, None)
    return {
        "parent": {
            **_record(db, parent.region_code or "", parent.id),
            "indicator_code": ind.code,
            "indicator_name": ind.name,
            "indicator": parent.indicator,
        },
        "nature": nature,
        "direction": direction,
        "weight_by": weight_by,
        "children": rows,
        "verdict": verdict.to_json(),
        "figures": _figures(
            nature, kid_regions, figures, weights, parent.region_code or "", parent.comparator
        ),
    }


def _figures(
    nature: str,
    kids: list[str],
    figures: dict[str, dict[int, float]],
    weights: dict[str, dict[int, float]],
    parent_region: str,
    comparator: str,
) -> dict:
    """The children's figures of the latest year every child has, aggregated, beside the parent's figure."""
    if comparator in GROWTH_COMPARATORS or not kids:
        return {"year": None, "aggregate": None, "parent": None, "note": "增长类目标不汇总观测值"}
    common = set.intersection(*(set(figures.get(k, {})) for k in kids))
    if not common:
        return {"year": None, "aggregate": None, "parent": None, "note": "下级地区尚无同一年份的完整数据"}
    year = max(common)
    values = [figures[k][year] for k in kids]
    if nature == "floor":
        agg = min(values)
    else:
        agg = aggregate(
            nature, values, [_last({y: w for y, w in weights.get(k, {}).items() if y <= year}) for k in kids]
        )
    return {
        "year": year,
        "aggregate": agg,
        "parent": figures.get(parent_region, {}).get(year),
        "note": ""
        if agg is not None
        else ("比值类指标不汇总" if nature == "ratio" else "缺少权重，无法加权汇总"),
    }


def cascades(db: Database, scope: Scope, region: str) -> list[dict]:
    """The region's targets that have children, each with its verdict."""
    return cascades_page(db, scope, region, limit=None).items


def cascades_page(db: Database, scope: Scope, region: str, *, limit: int | None, offset: int = 0) -> Page:
    """One page of the region's cascaded targets: the parent ids are counted and cut in the database, and
    only the page's cascades are assembled (each one reads its children and their evaluation)."""
    code = scope.region(region).code
    q = (
        select(CascadeLinkRow.parent_target_id)
        .join(TargetRow, TargetRow.id == CascadeLinkRow.parent_target_id)
        .where(TargetRow.region_code == code)
        .distinct()
        .order_by(CascadeLinkRow.parent_target_id)
    )
    with db.session() as s:
        ids = page_query(s, q, limit, offset, int)
    ids.items = [_summary(db, scope, i) for i in ids.items]
    return ids


def _summary(db: Database, scope: Scope, target_id: int) -> dict:
    v = cascade_view(db, scope, target_id)
    return {
        "target_id": target_id,
        "indicator": v["parent"]["indicator_name"],
        "target": v["parent"]["target"],
        "unit": v["parent"]["unit"],
        "year": v["parent"]["year"],
        "children": sum(1 for c in v["children"] if c["target_id"]),
        "status": v["verdict"]["status"],
        "status_zh": v["verdict"]["status_zh"],
        "message": v["verdict"]["message"],
    }
