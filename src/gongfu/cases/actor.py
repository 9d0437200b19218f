"""Who moves a case: a name, the case roles they hold, and what part of the region tree they see.

The web front builds one from its `Scope` (`from_scope`), so the one scope check stays
`Registry.is_within`; the CLI operator acts everywhere with every case role, as the database owner does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from gongfu.errors import NotFound, ScopeError

# access role → case roles (调度员 dispatches and calls back; 承办单位 signs, handles, closes, returns)
CASE_ROLES_OF = {
    "admin": frozenset({"dispatcher", "unit", "intake"}),
    "analyst": frozenset({"dispatcher", "intake"}),
    "reporter": frozenset({"unit", "intake"}),
    "viewer": frozenset(),
}


@dataclass(frozen=True)
class CaseActor:
    name: str
    roles: frozenset[str]
    root: str | None = None  # region subtree; None = everywhere (CLI operator)
    sees: Callable[[str | None], bool] = field(default=lambda _code: True, compare=False)

    def role_for(self, allowed: frozenset[str]) -> str:
        """The case role to act in: the first held role the move allows, else the first held role."""
        for r in ("dispatcher", "unit", "intake", "system"):
            if r in self.roles and r in allowed:
                return r
        return next(iter(sorted(self.roles)), "none")

    def visible(self, code: str | None) -> None:
        if not self.sees(code):
            raise NotFound("没有这件诉求（或不在您的区划范围内）")

    def need(self, role: str) -> None:
        if role not in self.roles:
            raise ScopeError(f"用户 {self.name} 没有“{role}”权限")


def operator(name: str = "cli") -> CaseActor:
    return CaseActor(name, frozenset({"dispatcher", "unit", "intake", "system"}))


SYSTEM = CaseActor("system", frozenset({"system"}))


def from_scope(scope) -> CaseActor:  # gongfu.access.scope.Scope
    return CaseActor(
        scope.actor, CASE_ROLES_OF.get(scope.principal.role, frozenset()), scope.root, scope.sees
    )
