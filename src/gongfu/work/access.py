"""Who may do what in the work system, on top of `gongfu.access.roles` and the one scope (`access.scope`).

The work system adds no roles: its permissions (`tasks.write`, `reports.write`, `policies.write`,
`findings.open`) are part of the one role model, and a finding moves by the rules of `gongfu.work.findings`.
"""

from __future__ import annotations

from gongfu.access.scope import Scope
from gongfu.access.users import Principal
from gongfu.errors import ScopeError
from gongfu.regions import load

TASKS_WRITE = "tasks.write"
REPORTS_WRITE = "reports.write"
POLICIES_WRITE = "policies.write"
FINDINGS_OPEN = "findings.open"  # opening a finding is the supervising side's work (analyst, admin)


def operator_scope(region: str, name: str = "cli", role: str = "admin") -> Scope:
    """The scope of a local operator (the CLI without --as): an admin bound to `region`."""
    registry = load()
    return Scope(Principal(0, name, role, registry.resolve(region).code), registry)


def require_higher_level(scope: Scope, region_code: str, what: str) -> None:
    """销号 needs a higher level: the approver's region must lie strictly above the task's region.

    A task of the top region of the registry (a province) is approved by an admin of that region.
    """
    reg = scope.registry
    mine = scope.root
    task_region = reg.get(region_code)
    if mine != task_region.code and reg.is_within(task_region.code, mine):
        return
    if mine == task_region.code and task_region.parent is None and scope.principal.role == "admin":
        return
    raise ScopeError(
        f"{what}须由上级审核：审核人所在地区 {reg.describe(mine)} 不在 {reg.describe(task_region.code)} 之上"
    )
