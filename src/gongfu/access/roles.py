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
}


def allowed(role: str, permission: str) -> bool:
    return role in PERMISSIONS.get(permission, frozenset())


def require_permission(role: str, permission: str) -> None:
    """ScopeError (403) unless the role holds the permission."""
    if not allowed(role, permission):
        holders = ", ".join(sorted(PERMISSIONS.get(permission, ())))
        raise ScopeError(f"role {role!r} may not do {permission!r} (roles that may: {holders or 'none'})")
