"""Roles and what each may do. Where a user may do it is the region scope (`gongfu.access.scope`)."""

from __future__ import annotations

from gongfu.errors import ScopeError

ROLES = ("admin", "analyst", "reporter", "viewer")
ROLE_NAMES = {"admin": "管理员", "analyst": "分析员", "reporter": "填报员", "viewer": "查看者"}

# permission -> roles holding it
PERMISSIONS: dict[str, frozenset[str]] = {
    "read": frozenset(ROLES),
    "observations.write": frozenset({"admin", "analyst", "reporter"}),
    "plans.write": frozenset({"admin", "analyst"}),
    "audit.read": frozenset({"admin"}),
    "users.write": frozenset({"admin"}),
    # the work system: lists and tasks are planning work, progress reports are data entry
    "tasks.write": frozenset({"admin", "analyst"}),
    "reports.write": frozenset({"admin", "analyst", "reporter"}),
    "policies.write": frozenset({"admin", "analyst"}),
    "findings.open": frozenset({"admin", "analyst"}),  # the supervising side
    # the grassroots loop: 调度员 dispatches and calls back; 承办单位 signs, handles, closes, returns
    "cases.intake": frozenset({"admin", "analyst", "reporter"}),
    "cases.dispatch": frozenset({"admin", "analyst"}),
    "cases.handle": frozenset({"admin", "reporter"}),
}
# the case roles a move names (`gongfu.cases.states.MOVES`) -> the permission that grants each
CASE_ROLES = {"dispatcher": "cases.dispatch", "unit": "cases.handle", "intake": "cases.intake"}


def case_roles(role: str) -> frozenset[str]:
    """The case roles an access role holds."""
    return frozenset(r for r, permission in CASE_ROLES.items() if allowed(role, permission))


def allowed(role: str, permission: str) -> bool:
    return role in PERMISSIONS.get(permission, frozenset())


def require_permission(role: str, permission: str) -> None:
    """ScopeError (403) unless the role holds the permission."""
    if not allowed(role, permission):
        raise ScopeError(
            f"角色“{ROLE_NAMES.get(role, role)}”无权执行此操作（{permission}；可执行的角色："
            f"{'、'.join(ROLE_NAMES.get(h, h) for h in sorted(PERMISSIONS.get(permission, ()))) or '无'}）"
        )
