"""Who reports and who approves for a responsible unit (填报员、审核员), and who may act at each level."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from gongfu.access import audit
from gongfu.access.scope import Scope
from gongfu.errors import InputError, ScopeError
from gongfu.store.db import Database
from gongfu.store.reporting_tables import ReportFormRow, UnitMemberRow

DUTIES = {"reporter": "填报员", "approver": "审核员"}
LEVEL_NAMES = {"unit": "单位审核", "region": "属地分析员审核", "parent": "上级分析员审核"}


def add_member(db: Database, scope: Scope, user: str, *, region: str, unit: str, duty: str) -> dict:
    """Bind a user to a unit with a duty; the user must exist and the region lie in the actor's scope."""
    from gongfu.access import get_user

    scope.need("users.write")
    if duty not in DUTIES:
        raise InputError(f"职责须为 reporter（填报员）或 approver（审核员），收到：{duty}")
    code = scope.region(region).code
    who = get_user(db, user)
    if not scope.registry.is_within(code, who.region_code):
        raise InputError(f"用户{user}的地区{who.region_code}不含{scope.registry.describe(code)}")
    unit = unit.strip()
    if not unit:
        raise InputError("单位名称为空")
    with db.session() as s:
        exists = s.scalar(
            select(UnitMemberRow).where(
                UnitMemberRow.user_name == user,
                UnitMemberRow.region_code == code,
                UnitMemberRow.unit_name == unit,
                UnitMemberRow.duty == duty,
            )
        )
        if exists is not None:  # asked again: nothing changes, and the answer says so
            return {"user": user, "region": code, "unit": unit, "duty": duty, "already": True}
        s.add(UnitMemberRow(user_name=user, region_code=code, unit_name=unit, duty=duty))
        audit.record(
            s, scope.actor, "reporting.member", "user", user, region=code, new={"unit": unit, "duty": duty}
        )
    return {"user": user, "region": code, "unit": unit, "duty": duty, "already": False}


def units_of(db: Database, user: str) -> list[dict]:
    with db.session() as s:
        rows = s.scalars(
            select(UnitMemberRow).where(UnitMemberRow.user_name == user).order_by(UnitMemberRow.id)
        )
        return [{"region": r.region_code, "unit": r.unit_name, "duty": r.duty} for r in rows]


def is_member(s: Session, user: str, region: str, unit: str, duty: str) -> bool:
    q = select(UnitMemberRow.id).where(
        UnitMemberRow.user_name == user,
        UnitMemberRow.region_code == region,
        UnitMemberRow.unit_name == unit,
        UnitMemberRow.duty == duty,
    )
    return s.scalar(q) is not None


def require_reporter(s: Session, scope: Scope, form: ReportFormRow) -> None:
    scope.need("observations.write")
    scope.visible(form.region_code, "reporting form")
    if not is_member(s, scope.actor, form.region_code, form.unit_name, "reporter"):
        raise ScopeError(f"{scope.actor}不是{form.unit_name}的填报员")


def require_approver(s: Session, scope: Scope, form: ReportFormRow, level: str) -> None:
    """ScopeError unless the user may approve (or return) at this level of the chain."""
    scope.visible(form.region_code, "reporting form")
    reg = scope.registry
    if level == "unit":
        if not is_member(s, scope.actor, form.region_code, form.unit_name, "approver"):
            raise ScopeError(f"{scope.actor}不是{form.unit_name}的审核员")
    elif scope.principal.role not in ("analyst", "admin"):
        raise ScopeError(f"{LEVEL_NAMES[level]}须由分析员办理，{scope.actor}的角色是{scope.principal.role}")
    elif level == "parent" and scope.root == form.region_code:
        raise ScopeError(f"{LEVEL_NAMES[level]}须由{reg.describe(form.region_code)}的上级地区办理")
