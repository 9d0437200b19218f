"""What the fronts show of reporting: one form with its items and the moves open to the user, the forms a
user reports or approves, and the timeliness and completeness of units' reports (DHIS2 style)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from gongfu.access.scope import Scope
from gongfu.catalog.catalog import load_catalog
from gongfu.errors import GongfuError
from gongfu.reporting import periods as P
from gongfu.reporting.forms import ACTIONS, STATES, _context, _form, _level_check
from gongfu.reporting.members import LEVEL_NAMES, require_reporter
from gongfu.store.db import Database
from gongfu.store.reporting_tables import DataRequestRow, ReportFormRow, UnitMemberRow

TIMELINESS = {"on_time": "按时", "late": "迟报", "missing": "未报", "pending": "未到期"}


def _can(fn, *args) -> bool:
    try:
        fn(*args)
        return True
    except GongfuError:
        return False


def _moves(s: Session, scope: Scope, form: ReportFormRow) -> list[str]:
    reporter = _can(require_reporter, s, scope, form)
    out = []
    if reporter and form.state in ("draft", "returned"):
        out += ["save", "submit"]
    if reporter and form.state == "submitted" and form.level == 0:
        out.append("withdraw")
    if reporter and form.state == "approved":
        out.append("revise")
    if form.state == "submitted" and _can(_level_check, s, scope, form):
        out += ["approve", "return"]
    return out


def form_view(db: Database, scope: Scope, form_id: int) -> dict:
    catalog = load_catalog()
    with db.session() as s:
        form = _form(s, scope, form_id)
        items = []
        for n, i in enumerate(form.items, start=1):
            ind = catalog.get(i.indicator_code)
            items.append(
                {
                    "item": i.id,
                    "n": n,
                    "indicator": ind.code,
                    "indicator_name": ind.name,
                    "unit": ind.unit,
                    "value": i.value,
                    "note": i.note,
                    "reason": i.reason,
                    "evidence_name": i.evidence_name,
                    **_context(s, form, i),
                }
            )
        steps = [
            {
                "at": st.at.isoformat(timespec="seconds"),
                "actor": st.actor,
                "action": st.action,
                "action_zh": ACTIONS.get(st.action, st.action),
                "level": st.level,
                "reason": st.reason,
            }
            for st in form.steps
        ]
        level = form.chain[form.level] if form.state == "submitted" and form.level < len(form.chain) else None
        return {
            "form": form.id,
            "region": form.region_code,
            "region_name": scope.registry.get(form.region_code).name,
            "unit": form.unit_name,
            "year": form.year,
            "period": P.period_id(form.year, form.period),
            "period_label": P.label(form.year, form.period),
            "period_type": form.period_type,
            "state": form.state,
            "state_zh": STATES[form.state],
            "level": form.level,
            "chain": form.chain,
            "chain_zh": [LEVEL_NAMES[lv] for lv in form.chain],
            "waiting_for": LEVEL_NAMES.get(level or "", None),
            "reporter": form.reporter,
            "version": form.version,
            "import_id": form.import_id,
            "items": items,
            "steps": steps,
            "moves": _moves(s, scope, form),
        }


def my_forms(db: Database, scope: Scope) -> dict:
    """The units the user reports or approves for, their open requests' periods, and forms awaiting the user."""
    with db.session() as s:
        duties = list(s.scalars(select(UnitMemberRow).where(UnitMemberRow.user_name == scope.actor)))
        mine = sorted({d.region_code for d in duties})
        reqs = list(
            s.scalars(
                select(DataRequestRow)
                .where(DataRequestRow.region_code.in_(mine))
                .order_by(DataRequestRow.year, DataRequestRow.region_code)
            )
        )
        # the user's units' forms, and the submitted forms in the user's subtree (for approval)
        q = select(ReportFormRow).where(
            ReportFormRow.region_code.in_(mine)
            | (scope.where(ReportFormRow.region_code) & (ReportFormRow.state == "submitted"))
        )
        forms = {(f.region_code, f.unit_name, f.period_type, f.year, f.period): f for f in s.scalars(q)}
        units = []
        for d in duties:
            periods = sorted(
                {
                    (r.year, r.period_type)
                    for r in reqs
                    if r.region_code == d.region_code and r.unit_name == d.unit_name
                }
            )
            owed = []
            for year, ptype in periods:
                for p in P.periods(ptype, year):
                    f = forms.get((d.region_code, d.unit_name, ptype, year, p))
                    owed.append(
                        {
                            "year": year,
                            "period": p,
                            "period_id": P.period_id(year, p),
                            "period_type": ptype,
                            "period_label": P.label(year, p),
                            "form": f.id if f else None,
                            "state": f.state if f else None,
                            "state_zh": STATES[f.state] if f else "未开始",
                        }
                    )
            units.append(
                {
                    "region": d.region_code,
                    "region_name": scope.registry.get(d.region_code).name,
                    "unit": d.unit_name,
                    "duty": d.duty,
                    "periods": owed,
                }
            )
        waiting = [
            {
                "form": f.id,
                "region": f.region_code,
                "unit": f.unit_name,
                "period_label": P.label(f.year, f.period),
                "level": LEVEL_NAMES[f.chain[f.level]],
            }
            for f in forms.values()
            if f.state == "submitted" and scope.sees(f.region_code) and _can(_level_check, s, scope, f)
        ]
    return {"units": units, "waiting": sorted(waiting, key=lambda w: w["form"])}


def timeliness(db: Database, scope: Scope, region: str, year: int, *, as_of: date | None = None) -> dict:
    """Per unit and period: on time / late / missing (not yet due: pending), and the rates per unit.

    Expected reports are the issued requests' (unit, period) pairs whose due day has passed. A report is
    complete from its first submission (as DHIS2 counts completeness); on time when that was on or before
    the due day, China time."""
    root = scope.region(region).code
    today = as_of or P.today()
    with db.session() as s:
        reqs = list(
            s.scalars(
                select(DataRequestRow).where(
                    scope.where(DataRequestRow.region_code, root), DataRequestRow.year == year
                )
            )
        )
        forms = {(f.region_code, f.unit_name, f.period_type, f.period): f for f in s.scalars(
            select(ReportFormRow).where(scope.where(ReportFormRow.region_code, root), ReportFormRow.year == year))}  # fmt: skip
    expected: dict[tuple, int] = {}
    names: dict[tuple, list[str]] = {}
    catalog = load_catalog()
    for r in reqs:
        for p in P.periods(r.period_type, year):
            key = (r.region_code, r.unit_name, r.period_type, p)
            expected[key] = max(expected.get(key, 0), r.due_days)
            names.setdefault(key, []).append(catalog.get(r.indicator_code).name)
    rows = []
    for key, days in sorted(expected.items()):
        region_code, unit, ptype, p = key
        due = P.due_date(year, p, days)
        f = forms.get((region_code, unit, ptype, p))
        first = P.china_day(f.first_submitted_at) if f and f.first_submitted_at else None
        first = (
            first if first is not None and first <= today else None
        )  # as of an earlier day: not yet reported
        status = (
            ("on_time" if first <= due else "late") if first else ("missing" if today > due else "pending")
        )
        rows.append(
            {
                "region": region_code,
                "region_name": scope.registry.get(region_code).name,
                "unit": unit,
                "indicators": names[key],
                "period": P.period_id(year, p),
                "period_label": P.label(year, p),
                "due": due.isoformat(),
                "submitted_on": first.isoformat() if first else None,
                "status": status,
                "status_zh": TIMELINESS[status],
                "form": f.id if f else None,
                "state": f.state if f else None,
                "overdue_days": max(0, (today - due).days)
                if not f or f.state in ("draft", "returned")
                else 0,
            }
        )
    units: dict[tuple[str, str], dict] = {}
    for r in rows:
        u = units.setdefault(
            (r["region"], r["unit"]),
            {
                "region": r["region"],
                "region_name": r["region_name"],
                "unit": r["unit"],
                "expected": 0,
                "on_time": 0,
                "late": 0,
                "missing": 0,
                "pending": 0,
            },
        )
        u[r["status"]] += 1
        u["expected"] += r["status"] != "pending"
    for u in units.values():
        n = u["expected"]
        u["completeness"] = (u["on_time"] + u["late"]) / n if n else None
        u["timeliness"] = u["on_time"] / n if n else None
    overdue = [r for r in rows if r["overdue_days"] > 0]  # not reported, or returned and not reported again
    return {
        "region": root,
        "year": year,
        "as_of": today.isoformat(),
        "reports": rows,
        "units": sorted(units.values(), key=lambda u: (u["completeness"] is None, u["completeness"] or 0)),
        "overdue": sorted(overdue, key=lambda r: -r["overdue_days"]),
    }


def overdue_for_unit(
    db: Database, scope: Scope, region: str, unit: str, *, as_of: date | None = None
) -> list[dict]:
    """The unit's data requests past their due day and not reported (or returned and not reported again),
    every year it has requests, most overdue first: the 督办单's list of figures owed."""
    with db.session() as s:
        years = sorted(
            set(
                s.scalars(
                    select(DataRequestRow.year).where(
                        DataRequestRow.region_code == region, DataRequestRow.unit_name == unit
                    )
                )
            )
        )
    out = [
        r
        for y in years
        for r in timeliness(db, scope, region, y, as_of=as_of)["overdue"]
        if r["region"] == region and r["unit"] == unit
    ]
    return sorted(out, key=lambda r: -r["overdue_days"])
