"""Evaluation service: stored targets + catalog + current observations → evaluation records.

The one place that turns database rows into `TargetSpec`s and series; the CLI, the web API and the reports
call `evaluate_region` and `composite_index` and format what they get.
"""

from __future__ import annotations

import math
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from gongfu.catalog.catalog import Indicator, load_catalog
from gongfu.errors import InputError
from gongfu.evaluation.batch import evaluate_frame, observations_frame, targets_frame
from gongfu.evaluation.spec import GROWTH_COMPARATORS, TargetSpec
from gongfu.labels import COLOUR_ZH
from gongfu.observations.service import observation_json
from gongfu.regions import load as load_regions
from gongfu.store.db import Database
from gongfu.store.tables import ObservationRow, PlanRow, TargetRow
from gongfu.units import UnitError, convert


@dataclass
class _Context:
    target: TargetRow
    plan: PlanRow
    indicator: Indicator | None
    observations: list[ObservationRow] = field(default_factory=list)


def regions_in_scope(region: str, *, children: bool) -> list[str]:
    """The region itself, and with `children` every region below it that could hold a plan."""
    reg = load_regions()
    root = reg.get(region).code
    if not children:
        return [root]
    out = [root]
    stack = [root]
    while stack:
        for child in reg.children(stack.pop()):
            if child.level in ("city", "county"):
                out.append(child.code)
                stack.append(child.code)
    return out


def _load(
    s: Session, regions: list[str]
) -> tuple[list[_Context], dict[tuple[str, str], list[ObservationRow]]]:
    catalog = load_catalog()
    rows = s.execute(
        select(TargetRow, PlanRow)
        .join(PlanRow, PlanRow.id == TargetRow.plan_id)
        .where(TargetRow.region_code.in_(regions), PlanRow.superseded_by.is_(None))
        .order_by(TargetRow.region_code, TargetRow.plan_id, TargetRow.position)
    ).all()
    contexts = [
        _Context(t, p, catalog.lookup(t.indicator_code) if t.indicator_code else None) for t, p in rows
    ]
    codes = sorted({c.indicator.code for c in contexts if c.indicator})
    series: dict[tuple[str, str], list[ObservationRow]] = defaultdict(list)
    if codes:
        q = select(ObservationRow).where(
            ObservationRow.indicator_code.in_(codes),
            ObservationRow.region_code.in_(regions),
            ObservationRow.period == "",
            ObservationRow.superseded_by.is_(None),
            ObservationRow.vintage != "synthetic",  # synthetic figures never enter an evaluation
        )
        for o in s.scalars(q.order_by(ObservationRow.year)):
            series[(o.indicator_code, o.region_code)].append(o)
    return contexts, series


def _rate_base_year(c: _Context, obs: list[ObservationRow]) -> int | None:
    if c.plan.period_start:
        return c.plan.period_start - 1
    return min(o.year for o in obs) - 1 if obs else None


def _rate_spec(c: _Context, year: int, base_year: int | None) -> TargetSpec:
    """A growth target (年均增长10%) on an indicator observed as yearly growth rates (%).

    The rates are chained into an index (base year = 100, see `chained_index`), and the target is then
    evaluated as the growth of that index by the engine's own growth maths (CAGR, progress ratio).
    """
    t = c.target
    return TargetSpec(
        comparator=t.comparator,
        value=t.value,
        year=year,
        baseline=100.0,
        baseline_year=base_year,
        growing_level=True,
        unit="指数",
        rate_basis="cumulative" if "累计" in (t.qualifier or "") else "annual",
        indicator=c.indicator.code if c.indicator else "",
        region=t.region_code or "",
    )


def chained_index(rates: list[tuple[int, float]], base_year: int | None) -> list[tuple[int, float]]:
    """Yearly growth rates (%) → an index with the base year at 100 (years up to the base are left out).

    A missing year breaks the chain: the index stops at the last year whose every predecessor is known.
    """
    out: list[tuple[int, float]] = []
    level = 100.0
    expected = base_year + 1 if base_year is not None else None
    for year, r in sorted(rates):
        if base_year is not None and year <= base_year:
            continue
        if expected is not None and year != expected:
            break
        level *= 1.0 + r / 100.0
        out.append((year, level))
        expected = year + 1
    return out


def _is_rate_target(c: _Context) -> bool:
    return (
        c.target.comparator in GROWTH_COMPARATORS and c.indicator is not None and c.indicator.kind == "growth"
    )


def _spec(c: _Context) -> tuple[TargetSpec | None, str | None]:
    """The spec in the catalog unit, or why the target cannot be evaluated."""
    t, p, ind = c.target, c.plan, c.indicator
    if ind is None:
        return None, "未匹配到指标目录, 无法对应统计数据"
    year = t.year or p.period_end
    if year is None:
        return None, "目标无年份且方案未写明期限"
    if _is_rate_target(c):
        return _rate_spec(c, year, _rate_base_year(c, c.observations)), None
    value, value2, unit = t.value, t.value2, t.unit
    if t.comparator not in GROWTH_COMPARATORS and unit != ind.unit:
        try:
            value = convert(t.value, unit, ind.unit)
            value2 = convert(t.value2, unit, ind.unit) if t.value2 is not None else None
            unit = ind.unit
        except UnitError:
            return None, f"目标单位“{t.unit}”不能换算为目录单位“{ind.unit}”"
    baseline = t.baseline
    if baseline is not None and t.unit != unit:
        try:
            baseline = convert(baseline, t.unit, unit)
        except UnitError:
            baseline = None
    try:
        spec = TargetSpec(
            comparator=t.comparator,
            value=value,
            value2=value2,
            year=year,
            baseline=baseline,
            baseline_year=(p.period_start - 1) if p.period_start else None,
            direction=ind.direction,
            growing_level=ind.growing_level,
            unit=unit if t.comparator not in GROWTH_COMPARATORS else ind.unit,
            rate_basis="cumulative" if "累计" in (t.qualifier or "") else "annual",
            indicator=ind.code,
            region=t.region_code or "",
        )
    except InputError as exc:
        return None, exc.reason
    return spec, None


def _record(
    c: _Context, obs: list[ObservationRow], as_of: int | None, why: str | None, ev: dict | None
) -> dict:
    """The JSON-ready record of one target: its provenance, and its evaluation or why there is none."""
    t, p, ind = c.target, c.plan, c.indicator
    reg = load_regions()
    base = {
        "target_id": t.id,
        "plan_id": p.id,
        "indicator": t.indicator,
        "indicator_code": ind.code if ind else None,
        "indicator_name": ind.name if ind else t.indicator,
        "dimension": ind.dimension if ind else "未归类",
        "region": t.region_code,
        "region_name": reg.get(t.region_code).name if t.region_code else "",
        "ambition": t.ambition,
        "target_as_written": t.value,
        "unit_as_written": t.unit,
        "span": t.span,
        "sentence": t.sentence,
        "observations": [observation_json(o) for o in obs if as_of is None or o.year <= as_of],
    }
    if ev is None:
        return {
            **base,
            "target": t.value,
            "value2": t.value2,
            "comparator": t.comparator,
            "unit": t.unit,
            "year": t.year or p.period_end,
            "baseline": t.baseline,
            "latest": None,
            "latest_year": None,
            "attainment": None,
            "attainment_raw": None,
            "expected": None,
            "time_progress": None,
            "gap": None,
            "progress_ratio": None,
            "forecast": None,
            "colour": "grey",
            "colour_zh": COLOUR_ZH["grey"],
            "colour_reason": why,
            "trend": None,
            "trajectory_path": [],
            "evaluable": False,
        }
    ev = {k: v for k, v in ev.items() if k not in ("indicator", "region", "id")}
    if _is_rate_target(c):
        ev["notes"] = [*(ev.get("notes") or []), "按观测增长率链式指数(基期=100)计算实际年均增速"]
    return {
        **base,
        **ev,
        "value2": ev.pop("target2"),
        "year": ev.pop("target_year"),
        "colour_zh": COLOUR_ZH.get(ev["colour"], ev["colour"]),
        "evaluable": True,
    }


def _finite(v: object) -> object:
    return None if isinstance(v, float) and not math.isfinite(v) else v


def _points(c: _Context, obs: list[ObservationRow]) -> list[tuple[int, float]]:
    series = [(o.year, o.value) for o in obs]
    if _is_rate_target(c):
        return chained_index(series, _rate_base_year(c, obs))
    return series


def evaluate_region(
    db: Database, region: str, *, year: int | None = None, children: bool = False
) -> list[dict]:
    """One JSON-ready record per stored target of the region (and its sub-regions with `children`):
    the stored evaluation (evaluation/materialise.py) when it holds that as-of year, else computed now."""
    from gongfu.evaluation import materialise

    return materialise.records(db, regions_in_scope(region, children=children), year)


def records_for(s: Session, regions: list[str], year: int | None) -> list[dict]:
    """Evaluate every stored target of `regions` as of `year` (None: every observation), now."""
    return records_as_of(s, regions, [year])[year]


def records_as_of(s: Session, regions: list[str], years: list[int | None]) -> dict[int | None, list[dict]]:
    """`records_for` for several as-of years at once: one read, one pass of the engine."""
    contexts, series = _load(s, regions)
    obs_of = [
        series.get((c.indicator.code, c.target.region_code), []) if c.indicator else [] for c in contexts
    ]
    for c, obs in zip(contexts, obs_of, strict=True):
        c.observations = obs
    specs = [_spec(c) for c in contexts]
    todo = [i for i, (spec, _) in enumerate(specs) if spec is not None]
    points = {i: _points(contexts[i], obs_of[i]) for i in todo}
    frame = evaluate_frame(
        targets_frame([specs[i][0] for i in todo] * len(years), [y for y in years for _ in todo]),
        observations_frame([points[i] for i in todo] * len(years)),
    )
    rows = frame.to_dicts()
    out = {}
    for k, year in enumerate(years):
        part = rows[k * len(todo) : (k + 1) * len(todo)]
        evs = {i: {key: _finite(v) for key, v in row.items()} for i, row in zip(todo, part, strict=True)}
        out[year] = [_record(c, obs_of[i], year, specs[i][1], evs.get(i)) for i, c in enumerate(contexts)]
    return out


def colour_counts(records: list[dict]) -> dict[str, int]:
    counts = dict.fromkeys(COLOUR_ZH, 0)
    for r in records:
        counts[r["colour"]] = counts.get(r["colour"], 0) + 1
    return counts


def _weights(weights: str) -> tuple[str, dict[str, float] | None, dict[str, float] | None]:
    """("equal"|"entropy"|"expert", dimension weights, indicator weights) from an option value."""
    if weights in ("equal", "entropy"):
        return weights, None, None
    from pathlib import Path

    from gongfu.evaluation.composite import read_weights_csv

    if not Path(weights).is_file():
        raise InputError(f"weights must be equal, entropy or a CSV file of expert weights; got {weights!r}")
    dims, inds = read_weights_csv(weights)
    return "expert", dims, inds or None


def attainment_rows(records: list[dict]) -> list[dict]:
    """One attainment per region and catalog indicator, from targets with enough data to be judged:
    a binding (or indicative) target's before a striving one's, and among those the latest target year's."""
    chosen: dict[tuple[str, str], dict] = {}

    def rank(r: dict) -> tuple[int, int]:
        return (r["ambition"] != "striving", r.get("year") or 0)

    for r in records:
        if not r.get("evaluable", True) or r.get("attainment") is None or not r.get("indicator_code"):
            continue
        if r.get("colour") == "grey":  # too little data to judge: it would reward regions with no series
            continue
        key = (r["region"], r["indicator_code"])
        if key not in chosen or rank(r) > rank(chosen[key]):
            chosen[key] = r
    return [
        {
            "region": r["region"],
            "indicator": r["indicator_code"],
            "dimension": r["dimension"],
            "attainment": r["attainment"],
        }
        for r in chosen.values()
    ]


def composite_index(
    db: Database,
    region: str,
    *,
    level: str | None = None,
    year: int | None = None,
    weights: str = "equal",
    sensitivity_draws: int = 200,
) -> dict:
    """The composite index (综合指数) of the regions below `region` at one level, ranked among themselves.

    Peers are regions of one level: by default the level of `region`'s direct children (a province's
    cities, a city's counties); `level="county"` ranks every county below a province.
    """
    reg = load_regions()
    root = reg.get(region)
    kids = [k for k in reg.children(root.code) if k.level in ("city", "county")]
    level = level or (kids[0].level if kids else root.level)
    codes = [c for c in regions_in_scope(root.code, children=True) if reg.get(c).level == level]
    return peer_index(
        db, codes, year=year, weights=weights, sensitivity_draws=sensitivity_draws, within=root.code
    )


def peer_index(
    db: Database,
    regions: list[str],
    *,
    year: int | None = None,
    weights: str = "equal",
    sensitivity_draws: int = 200,
    within: str | None = None,
) -> dict:
    """The composite index of exactly these regions (each on its own targets), ranked among themselves.

    Only targets with enough data to be judged (not grey) enter; each region's `coverage` says how many of
    its targets that is. Regions without any have no index and no rank.
    """
    wanted = set(regions)
    if within is None:
        records = [r for code in regions for r in evaluate_region(db, code, year=year)]
    else:
        records = [r for r in evaluate_region(db, within, year=year, children=True) if r["region"] in wanted]
    result = index_from_records(records, weights=weights, sensitivity_draws=sensitivity_draws)
    return {**result, "peers": sorted(wanted)}


# Composite indexes already computed, by their inputs: a dashboard page draws the same index on every
# request between two imports, and the rank-sensitivity draws are the costly part. Per process, small.
_INDEX_CACHE: OrderedDict[tuple, dict] = OrderedDict()
_INDEX_CACHE_SIZE = 32


def index_from_records(records: list[dict], *, weights: str = "equal", sensitivity_draws: int = 200) -> dict:
    """The composite index of the regions in evaluation records already read (and scoped) by the caller."""
    import copy

    key = (
        weights,
        sensitivity_draws,
        tuple((r["target_id"], r["region"], r.get("attainment"), r["colour"]) for r in records),
    )
    if weights in ("equal", "entropy") and key in _INDEX_CACHE:
        _INDEX_CACHE.move_to_end(key)
        return copy.deepcopy(_INDEX_CACHE[key])
    out = _index_from_records(records, weights=weights, sensitivity_draws=sensitivity_draws)
    if weights in ("equal", "entropy"):  # a weights file may change under the same name
        _INDEX_CACHE[key] = copy.deepcopy(out)
        if len(_INDEX_CACHE) > _INDEX_CACHE_SIZE:
            _INDEX_CACHE.popitem(last=False)
    return out


def _index_from_records(records: list[dict], *, weights: str, sensitivity_draws: int) -> dict:
    from gongfu.evaluation import composite

    rows = attainment_rows(records)
    targets: dict[str, int] = defaultdict(int)
    for r in records:
        targets[r["region"]] += 1
    if not rows:
        return {"scheme": weights, "weights": {}, "regions": [], "note": "没有可评价的目标 (缺少观测数据)"}
    scheme, expert, ind_w = _weights(weights)
    result = composite.composite_index(rows, weights=scheme, expert=expert, indicator_weights=ind_w)
    sens = {
        r["region"]: r
        for r in composite.rank_sensitivity(result, n=sensitivity_draws, expert=expert).to_dicts()
    }
    reg = load_regions()
    counts: dict[str, int] = defaultdict(int)
    for r in rows:
        counts[r["region"]] += 1
    out = []
    for i, code in enumerate(result.regions):
        s = sens[code]
        out.append(
            {
                "region": code,
                "region_name": reg.get(code).name,
                "level": reg.get(code).level,
                "index": None if result.index[i] != result.index[i] else float(result.index[i]),
                "rank": s["rank"],
                "min_rank": s["min_rank"],
                "max_rank": s["max_rank"],
                "ranks_by_scheme": {k[5:]: v for k, v in s.items() if k.startswith("rank_")},
                "indicators": counts[code],
                "targets": targets[code],
                "coverage": counts[code] / targets[code] if targets[code] else None,
                "dimensions": {
                    d: (None if v != v else float(v))
                    for d, v in zip(result.dimensions, result.scores[i], strict=True)
                },
            }
        )
    out.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0))
    return {
        "scheme": scheme,
        "weights": dict(zip(result.dimensions, map(float, result.weights), strict=True)),
        "regions": out,
    }
