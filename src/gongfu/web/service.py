"""Scoped reads and writes: what the API routes and the dashboard pages call.

Each function asks the `Scope` before it reads or writes, calls the room's own service function, and
records every write in the audit trail. No route or template holds logic of its own.
"""

from __future__ import annotations

from sqlalchemy import or_, select

from gongfu.access import audit
from gongfu.access.scope import OutOfScopeRows, Scope
from gongfu.errors import InputError, NotFound, Problem
from gongfu.observations.service import observation_json
from gongfu.store.access_tables import AuditEventRow, AuditRegionRow
from gongfu.store.db import Database
from gongfu.store.paging import Page, page_list, page_query
from gongfu.store.tables import ImportRow, ObservationRow, PlanRow, TargetRow
from gongfu.web.uploads import PayloadTooLarge, Received, check_name, file_limit

PLAN_SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf")
OBS_SUFFIXES = (".csv", ".xlsx")


# ---- regions -------------------------------------------------------------------------------------------


def region_json(scope: Scope, code: str) -> dict:
    r = scope.registry.get(code)
    return {
        "code": r.code,
        "name": r.name,
        "level": r.level,
        "parent": r.parent,
        "full_name": scope.registry.full_name(r.code),
    }


def regions(scope: Scope, parent: str | None = None, *, limit: int | None = None, offset: int = 0) -> Page:
    """The user's own region (no `parent`), or the regions directly under `parent`."""
    scope.need("read")
    if parent is None:
        return page_list([region_json(scope, scope.root)], limit, offset)
    kids = [region_json(scope, r.code) for r in scope.registry.children(scope.region(parent).code)]
    return page_list(kids, limit, offset)


def region(scope: Scope, code: str) -> dict:
    scope.need("read")
    out = region_json(scope, scope.region(code).code)
    out["children"] = [region_json(scope, r.code) for r in scope.registry.children(out["code"])]
    return out


# ---- plans and targets ---------------------------------------------------------------------------------


def plans(db: Database, scope: Scope, *, limit: int | None = None, offset: int = 0) -> Page:
    """The plans in scope (filtered in the database)."""
    from gongfu.plans.service import list_plans

    scope.need("read")
    return page_list(list_plans(db, where=scope.where(PlanRow.region_code)), limit, offset)


def target_json(t: TargetRow) -> dict:
    return {
        "id": t.id,
        "plan_id": t.plan_id,
        "position": t.position,
        "indicator": t.indicator,
        "indicator_code": t.indicator_code,
        "region_code": t.region_code,
        "comparator": t.comparator,
        "value": t.value,
        "value2": t.value2,
        "unit": t.unit,
        "year": t.year,
        "ambition": t.ambition,
        "baseline": t.baseline,
        "section": t.section,
        "start": t.start,
        "end": t.end,
        "span": t.span,
        "sentence": t.sentence,
        "damaged": t.damaged,
    }


def plan(db: Database, scope: Scope, plan_id: int) -> dict:
    """A plan with its original text, its targets, and the text cut into segments at every target span."""
    from gongfu.plans.service import get_plan

    scope.need("read")
    try:
        p = get_plan(db, plan_id)
    except NotFound:
        p = None
    if p is None or not scope.sees(p.region_code):
        raise NotFound(f"没有编号为 {plan_id} 的方案（或不在您的管辖范围内）")
    targets = [target_json(t) for t in sorted(p.targets, key=lambda t: t.position)]
    return {
        "id": p.id,
        "title": p.title,
        "issuer": p.issuer,
        "issued_on": p.issued_on,
        "region_code": p.region_code,
        "region_name": p.region_name,
        "period_start": p.period_start,
        "period_end": p.period_end,
        "file_name": p.file_name,
        "script": p.script,
        "sha256": p.sha256,
        "text": p.original_text,
        "targets": targets,
        "sections": [
            {"path": s.path, "marker": s.marker, "title": s.title, "level": s.level, "start": s.start}
            for s in sorted(p.sections, key=lambda s: s.start)
        ],
        "segments": segments(p.original_text, targets),
    }


def segments(text: str, targets: list[dict]) -> list[dict]:
    """The text as consecutive pieces; a piece covered by a target span carries that target's id."""
    spans = sorted((t["start"], t["end"], t["id"]) for t in targets if t["end"] > t["start"])
    out, pos = [], 0
    for start, end, tid in spans:
        if start < pos or end > len(text):  # overlapping or damaged span: leave it unhighlighted
            continue
        if start > pos:
            out.append({"text": text[pos:start], "target_id": None})
        out.append({"text": text[start:end], "target_id": tid})
        pos = end
    if pos < len(text):
        out.append({"text": text[pos:], "target_id": None})
    return out


def targets(
    db: Database,
    scope: Scope,
    *,
    region: str | None = None,
    indicator: str | None = None,
    plan_id: int | None = None,
    limit: int = 1000,
    offset: int = 0,
) -> Page:
    """Targets in scope (or in `region`'s subtree), filtered and cut in the database."""
    scope.need("read")
    q = select(TargetRow).where(scope.where(TargetRow.region_code, region))
    if indicator:
        q = q.where(TargetRow.indicator_code == indicator)
    if plan_id is not None:
        q = q.where(TargetRow.plan_id == plan_id)
    with db.session() as s:
        q = q.order_by(TargetRow.plan_id, TargetRow.position, TargetRow.id)
        return page_query(s, q, limit, offset, target_json)


def _visible(s, scope: Scope, row_type: type, row_id: int, what: str):
    """The row `row_id` of `row_type` if the caller may read it; NotFound or ScopeError naming `what`."""
    scope.need("read")
    row = s.get(row_type, row_id)
    scope.visible(row.region_code if row else "", f"编号为 {row_id} 的{what}")
    return row


def target(db: Database, scope: Scope, target_id: int) -> dict:
    with db.session() as s:
        return target_json(_visible(s, scope, TargetRow, target_id, "目标"))


def ingest_plan(db: Database, scope: Scope, upload: Received, region: str | None) -> dict:
    """Store an uploaded plan for a region in scope (the plan's own, else `region`, else the user's).

    A document is stored once per region, so uploading what another region holds answers exactly as a new
    document does: nothing tells whether a region outside the scope has it.
    """
    from gongfu.plans.service import read_plan, store_plans

    scope.need("plans.write")
    code = scope.region(region).code if region else None
    try:
        plan = read_plan(upload.path, region=code)
    except InputError:
        if code is not None:
            raise
        code = scope.root  # the plan names no region we can resolve: it is the user's own
        plan = read_plan(upload.path, region=code)
    if plan.meta.region_code is None:
        plan.meta.region_code = code or scope.root
    else:
        scope.region(plan.meta.region_code)
    result = store_plans(db, [plan], by=scope.actor)[0]
    new = {"title": result.title, "region_code": result.region_code, "targets": result.targets,
           "tasks": result.tasks, "file_name": result.file_name}  # fmt: skip
    return {"plan_id": result.plan_id, "created": result.created, **new}


# ---- observations --------------------------------------------------------------------------------------


def observations(
    db: Database,
    scope: Scope,
    *,
    region: str,
    indicator: str | None = None,
    include_history: bool = False,
    limit: int | None = None,
    offset: int = 0,
) -> Page:
    """The figures of one region in scope (current ones; with `include_history`, superseded too)."""
    scope.need("read")
    code = scope.region(region).code
    q = select(ObservationRow).where(ObservationRow.region_code == code)
    if indicator:
        q = q.where(ObservationRow.indicator_code == indicator)
    if not include_history:
        q = q.where(ObservationRow.superseded_by.is_(None))
    q = q.order_by(
        ObservationRow.indicator_code, ObservationRow.year, ObservationRow.period, ObservationRow.id
    )
    with db.session() as s:
        return page_query(s, q, limit, offset, observation_json)


def observation(db: Database, scope: Scope, observation_id: int) -> dict:
    """One figure with its source: file and row, the quoted text, the publication URL, the import."""
    with db.session() as s:
        r = _visible(s, scope, ObservationRow, observation_id, "观测值")
        out = observation_json(r)
        imp = s.get(ImportRow, r.import_id)  # type: ignore[union-attr]
        out["import"] = (
            {"id": imp.id, "source": imp.source, "sha256": imp.sha256, "kind": imp.kind} if imp else None
        )
        return out


MAPPING_SUFFIXES = (".toml", ".csv")


def upload_observations(
    db: Database, scope: Scope, upload: Received, mapping: tuple[str, bytes] | None = None
) -> dict:
    """Validate and store an uploaded observation file: all rows or none, every row inside the scope.

    The same reader and validation as `gongfu obs import`; rows for regions outside the user's subtree
    are problems of their own (code `out_of_scope`), reported with the rest. `mapping`: a yearbook
    mapping file (name, content), as `gongfu obs import --mapping` takes (README: 年鉴宽表).
    """
    from gongfu.observations.reader import read_observations
    from gongfu.observations.service import store_drafts

    scope.need("observations.write")
    name = upload.name
    mapping_path = None
    if mapping is not None:
        _, suffix = check_name(mapping[0], MAPPING_SUFFIXES)
        mapping_path = upload.path.parent / f"mapping{suffix}"  # the upload's private folder
        mapping_path.write_bytes(mapping[1])
    drafts = read_observations(upload.path, mapping=mapping_path)
    outside = [
        Problem(
            "out_of_scope",
            f"地区 {d.region} 不在您的管辖范围内 ({scope.root})",
            row=d.source_row,
            column="region",
        )
        for d in drafts
        if not scope.sees(d.region)
    ]
    if outside:
        raise OutOfScopeRows(name, outside)
    # store_drafts records the audit event (who, regions, old → new) in the import's own transaction
    summary = store_drafts(db, drafts, source=name, sha256=upload.sha256, by=scope.actor)
    counts = {"added": summary.added, "revised": summary.revised, "unchanged": summary.unchanged,
              "kept_as_history": summary.kept_as_history}  # fmt: skip
    if summary.already_imported_as is not None:
        counts["already_imported_as"] = summary.already_imported_as
    return {"import_id": summary.import_id, "file": name, "rows": summary.rows, **counts}


def _safe_name(file_name: str, suffixes: tuple[str, ...]) -> str:
    """The name to show and store for an upload of an accepted type (see `gongfu.web.uploads.check_name`)."""
    return check_name(file_name, suffixes)[0]


def _check_size(content: bytes) -> None:
    """Refuse an empty upload or one over the per-file limit (the request limit came first, while it arrived)."""
    if not content:
        raise InputError("上传的文件是空的")
    if len(content) > file_limit():
        raise PayloadTooLarge(f"上传的文件超过 {file_limit() // 1024 // 1024} MB")


# ---- audit ---------------------------------------------------------------------------------------------


def audit_events(
    db: Database, scope: Scope, *, action: str | None = None, limit: int = 200, offset: int = 0
) -> Page:
    """The audit trail in scope, newest first; the scope is applied in the database before the limit."""
    scope.need("audit.read")
    touched = select(AuditRegionRow.event_id).where(scope.where(AuditRegionRow.region_code))
    # an event is seen by the admins of every region it touched, not only of the region it is filed under
    where = or_(scope.where(AuditEventRow.region_code), AuditEventRow.id.in_(touched))
    limit = max(1, min(limit, 1000))
    events = audit.list_events(db, action=action, limit=limit, offset=offset, where=where)
    total = audit.count_events(db, action=action, where=where)
    return Page([audit.event_json(e) for e in events], total, limit, offset)
