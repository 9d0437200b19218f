"""Monthly measures from stored cases, written as observations under catalog codes (per region, month)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import aliased

from gongfu import clock
from gongfu.cases.actor import CaseActor
from gongfu.cases.location import county_of
from gongfu.cases.measures import CaseFacts, Measure, monthly_measures
from gongfu.cases.queries import _aware, in_region
from gongfu.model import ObservationDraft
from gongfu.observations.service import ImportSummary, store_drafts
from gongfu.regions import Registry, load
from gongfu.store.cases_tables import CaseRow
from gongfu.store.db import Database

SOURCE = "gongfu cases measures"


def _facts(row, county: Callable[[str], str]) -> CaseFacts:
    """A case's facts. A repeat counts only when the earlier request lies in the same county (as intake links
    them), so a link stored before that rule does not count a county's case as a repeat of another's."""
    opt = lambda t: _aware(t) if t else None  # noqa: E731
    repeat = row.repeat_region is not None and county(row.repeat_region) == county(row.region_code)
    return CaseFacts(
        row.region_code, row.kind, _aware(row.received_at), _aware(row.due_at), opt(row.first_closed_at),
        opt(row.closed_at), row.status, row.satisfaction, opt(row.callback_at), opt(row.reopened_at), repeat,
    )  # fmt: skip


def compute(db: Database, actor: CaseActor, *, region: str | None = None, year: int | None = None,
            asof: datetime | None = None, registry: Registry | None = None) -> list[Measure]:  # fmt: skip
    """Measures for the actor's scope (or `region` within it), optionally one year only."""
    asof = asof or clock.utcnow()
    registry = registry or load()
    root = region or actor.root
    if region and actor.root:
        actor.visible(region)
    county = lru_cache(maxsize=None)(lambda code: county_of(registry, code))
    earlier = aliased(CaseRow)
    cols = (CaseRow.region_code, CaseRow.kind, CaseRow.received_at, CaseRow.due_at, CaseRow.first_closed_at,
            CaseRow.closed_at, CaseRow.status, CaseRow.satisfaction, CaseRow.callback_at, CaseRow.reopened_at,
            earlier.region_code.label("repeat_region"))  # fmt: skip
    with db.session() as s:
        q = select(*cols).outerjoin(earlier, earlier.id == CaseRow.repeat_of)
        cond = in_region(CaseRow.region_code, root)
        if cond is not None:
            q = q.where(cond)
        facts = [_facts(r, county) for r in s.execute(q) if actor.sees(r.region_code)]  # type: ignore[arg-type]

    def ancestors(code: str) -> list[str]:
        try:
            return [r.code for r in registry.ancestors(code)]
        except Exception:
            return []

    out = monthly_measures(facts, ancestors, asof)
    if root:
        out = [m for m in out if actor.sees(m.region_code) and (m.region_code == root or
               registry.is_within(m.region_code, root))]  # fmt: skip
    if year:
        out = [m for m in out if m.year == year]
    return out


def yearly(measures: list[Measure]) -> list[Measure]:
    """Year-to-date rates from the monthly ones (pooled: Σ numerators / Σ denominators), month 0.

    These are what annual targets (矛盾纠纷化解率达到95%) are evaluated against. A median cannot be pooled
    from monthly medians, so the handling time stays monthly.
    """
    pooled: dict[tuple[str, int, str], list[float]] = {}
    for m in measures:
        if m.measure == "median_days":
            continue
        acc = pooled.setdefault((m.region_code, m.year, m.measure), [0.0, 0])
        acc[0] += m.numerator
        acc[1] += m.denominator
    return [
        Measure(r, y, 0, measure, 100.0 * hit / n, hit, int(n))
        for (r, y, measure), (hit, n) in sorted(pooled.items())
        if n
    ]


def drafts(measures: list[Measure]) -> list[ObservationDraft]:
    """Monthly figures (period M01…M12) and, for the rates, the year to date (period "", the annual series)."""
    measures = [*measures, *yearly(measures)]
    return [
        ObservationDraft(
            indicator=m.indicator, region=m.region_code, year=m.year, value=round(m.value, 4), unit=m.unit,
            source=SOURCE, period=f"M{m.month:02d}" if m.month else "",
            source_text=(f"{m.numerator:g}/{m.denominator}" if m.measure != "median_days"
                         else f"中位数，{m.denominator} 件"),
            note="由诉求办理数据计算",
        )
        for m in measures
    ]  # fmt: skip


def save(db: Database, measures: list[Measure], *, by: str = "") -> ImportSummary:
    return store_drafts(db, drafts(measures), source=SOURCE, kind="computation", by=by)
