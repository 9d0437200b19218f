"""Who moves a case: a name, the case roles they hold, and what part of the region tree they see.

A user's actor is built from their `Scope` (`from_scope`): the case roles are permissions of the one role
model (`gongfu.access.roles.case_roles`) and the region check is the scope's own; the CLI operator acts
everywhere with every case role, as the database owner does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from gongfu.access.roles import case_roles
from gongfu.access.scope import Scope
from gongfu.errors import NotFound, ScopeError


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


def from_scope(scope: Scope) -> CaseActor:
    """The case actor of a user: their case roles are permissions of their access role."""
    return CaseActor(scope.actor, case_roles(scope.principal.role), scope.root, scope.sees)
