"""Taking requests in: validate every draft, classify, place, route, set the deadline, store — all or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from gongfu import clock
from gongfu.access.audit import record_many
from gongfu.cases import contact, repeats, routing
from gongfu.cases.actor import CaseActor
from gongfu.cases.classify import CaseClassifier
from gongfu.cases.location import resolve_place
from gongfu.cases.warnings import load_thresholds
from gongfu.cases.workdays import add_working_days
from gongfu.errors import GongfuError, Problem, ScopeError, ValidationFailed
from gongfu.regions import Registry, load
from gongfu.store.cases_tables import CaseEventRow, CaseRow
from gongfu.store.db import Database

CHANNELS = ("grid", "12345", "public", "api", "import")
UNCLASSIFIED = "待分类"


@dataclass
class CaseDraft:
    description: str
    region: str
    title: str = ""
    kind: str = "诉求"
    category: str | None = None
    village: str = ""
    grid: str = ""
    address: str = ""
    contact: str = ""
    urgency: str = "normal"
    channel: str = "public"
    external_id: str | None = None
    received_at: datetime | None = None
    lat: float | None = None
    long: float | None = None
    attachments: list[str] = field(default_factory=list)
    row: int | None = None  # row in an import file, for problems


@dataclass
class IntakeResult:
    ids: list[int]
    existing: list[int]  # (channel, external_id, county) already stored: not taken in twice


def _problems(
    d: CaseDraft, registry: Registry, actor: CaseActor
) -> tuple[list[Problem], routing.Place | None]:
    out: list[Problem] = []
    if not d.description.strip() and not d.title.strip():
        out.append(Problem("empty", "诉求内容为空", d.row, "description"))
    if d.kind not in routing.KINDS:
        out.append(Problem("kind", f"类型 {d.kind!r} 不在 {'、'.join(routing.KINDS)} 之中", d.row, "kind"))
    if d.urgency not in routing.URGENCIES:
        out.append(Problem("urgency", f"紧急程度 {d.urgency!r} 应为 normal/high/urgent", d.row, "urgency"))
    if d.channel not in CHANNELS:
        out.append(Problem("channel", f"渠道 {d.channel!r} 应为 {'/'.join(CHANNELS)}", d.row, "channel"))
    if d.received_at is not None and d.received_at.tzinfo is None:
        out.append(Problem("time", "受理时间缺少时区", d.row, "received_at"))
    place = None
    try:
        place = resolve_place(registry, d.region, d.village, d.grid)
        if not actor.sees(place.town_code or place.county_code):
            raise ScopeError(f"区划 {d.region} 不在您的范围内")
    except GongfuError as exc:
        out.append(Problem("region", str(exc), d.row, "region"))
    return out, place


def intake_many(
    db: Database,
    actor: CaseActor,
    drafts: list[CaseDraft],
    *,
    classifier: CaseClassifier | None = None,
    now: datetime | None = None,
    source: str = "",
    registry: Registry | None = None,
) -> IntakeResult:
    """Store every draft as a case in state 受理 with its routed unit proposed; any problem stores nothing."""
    actor.need("intake")
    now = now or clock.utcnow()
    registry = registry or load()
    rules = routing.load_rules()
    checked = [_problems(d, registry, actor) for d in drafts]
    problems = [p for ps, _ in checked for p in ps]
    if problems:
        raise ValidationFailed(source or "intake", problems)
    todo = [i for i, d in enumerate(drafts) if d.category is None]
    predictions = {}
    if todo and classifier is not None:
        preds = classifier.predict([drafts[i].title for i in todo], [drafts[i].description for i in todo])
        predictions = dict(zip(todo, preds, strict=True))
    result = IntakeResult([], [])
    secret = contact.key()  # read once: settings are parsed anew on every read
    window = load_thresholds().get("repeat_window_days", 30)  # the rules file read once per batch
    with db.session() as s:
        # set-wise: the ticket numbers already stored in one query, the new cases inserted in one flush,
        # their repeat links found from one query of earlier requests, events and audit added together
        stored = _existing_many(s, [(d.channel, d.external_id, checked[i][1].county_code)
                                    for i, d in enumerate(drafts) if d.external_id])  # fmt: skip
        rows: list[CaseRow] = []
        firsts: dict[tuple, CaseRow] = {}  # a ticket number given twice in the batch: the first one is stored
        later: list[CaseRow] = []  # … and each later one is reported as that case
        for i, d in enumerate(drafts):
            place = checked[i][1]
            assert place is not None
            key = (d.channel, d.external_id, place.county_code) if d.external_id else None
            if key is not None and key in stored:
                result.existing.append(stored[key])
                continue
            if key is not None and key in firsts:
                later.append(firsts[key])
                result.existing.append(-len(later))  # placeholder, the id is known after the flush
                continue
            row = _row(d, place, predictions.get(i), classifier, rules, now, actor, secret)
            row.county_code = place.county_code
            rows.append(row)
            if key is not None:
                firsts[key] = row
        s.add_all(rows)
        s.flush()
        result.existing = [later[-x - 1].id if x < 0 else x for x in result.existing]
        for row, prev in zip(rows, repeats.repeat_of_many(s, rows, window), strict=True):
            row.repeat_of = prev
        s.add_all(CaseEventRow(case_id=row.id, at=now, actor=actor.name, action="intake", from_status="",
                               to_status="received", detail={"channel": row.channel, "unit": row.unit,
                                                             "level": row.level, "source": source})
                  for row in rows)  # fmt: skip
        record_many(s, actor.name, "case.intake", "case",
                    [(row.id, row.region_code, {"category": row.category, "kind": row.kind, "unit": row.unit})
                     for row in rows])  # fmt: skip
        result.ids = [row.id for row in rows]
    return result


def _existing_many(s: Session, keys: list[tuple[str, str, str]]) -> dict[tuple[str, str, str], int]:
    """The cases already stored under these ticket numbers, the first of each. 工单编号 are unique per hotline
    operator, i.e. per county-level region: the same number in another county is another request."""
    wanted = set(keys)
    out: dict[tuple[str, str, str], int] = {}
    numbers = sorted({k[1] for k in wanted})
    for start in range(0, len(numbers), 500):
        q = select(CaseRow.id, CaseRow.channel, CaseRow.external_id, CaseRow.county_code).where(
            CaseRow.external_id.in_(numbers[start : start + 500])
        )
        for cid, channel, number, county in s.execute(q.order_by(CaseRow.id)):
            key = (channel, number, county)
            if key in wanted and key not in out:
                out[key] = cid
    return out


def _row(d, place, prediction, classifier, rules, now: datetime, actor: CaseActor, secret: bytes) -> CaseRow:
    if d.category is not None:
        category, source, confidence, version = d.category, "given", None, ""
    elif prediction is not None:
        category, source, confidence = prediction.category, "model", round(prediction.confidence, 4)
        version = classifier.version
    else:
        category, source, confidence, version = UNCLASSIFIED, "none", None, ""
    received = d.received_at or now
    days = routing.working_days(rules, d.kind, category, d.urgency, place.town_code or place.county_code)
    deadline = add_working_days(received, days)
    unit = routing.route(rules, d.kind, category, d.urgency, place)
    return CaseRow(
        channel=d.channel, external_id=d.external_id or None, kind=d.kind, category=category,
        category_source=source, category_confidence=confidence, model_version=version,
        department=routing.department(rules, d.kind, category, place),
        title=d.title.strip()[:300], description=d.description.strip(),
        region_code=place.town_code or place.county_code, village=place.village, grid=place.grid,
        address=d.address.strip()[:300], lat=d.lat, long=d.long,
        contact_masked=contact.mask(d.contact), contact_protected=contact.protect(d.contact, secret),
        contact_key=contact.fingerprint(d.contact, secret), urgency=d.urgency, status="received",
        level=unit.level, unit=unit.name, unit_region=unit.region_code, unit_place=unit.place,
        received_at=received, due_at=deadline.due_at, due_estimated=deadline.estimated, working_days=days,
        closing_note="", callback_note="", reopen_count=0, attachments=list(d.attachments),
        created_by=actor.name, updated_at=now, version=1,
    )  # fmt: skip
