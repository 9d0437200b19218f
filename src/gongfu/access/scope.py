"""The one place where reads and writes are filtered by region scope (and role).

A user acts within the subtree of the region they are bound to. Every scoped read and write in
service (work, cases, web) asks a `Scope` first; the check itself is `Registry.is_within`.
Records without a region are visible to admins only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from gongfu.access.roles import allowed, require_permission
from gongfu.access.users import Principal
from gongfu.errors import NotFound, ScopeError, ValidationFailed
from gongfu.regions import Region, Registry, load

T = TypeVar("T")


class OutOfScopeRows(ValidationFailed):
    """Rows of an upload for regions outside the user's subtree (HTTP 403, with every row listed)."""


@dataclass
class Scope:
    principal: Principal
    registry: Registry = field(default_factory=load)
    _seen: dict[str | None, bool] = field(default_factory=dict, repr=False)

    @property
    def root(self) -> str:
        return self.principal.region_code

    @property
    def actor(self) -> str:
        return self.principal.name

    def sees(self, code: str | None) -> bool:
        """Whether a record in region `code` lies in this user's subtree."""
        if code not in self._seen:
            if code is None or code not in self.registry:
                self._seen[code] = allowed(self.principal.role, "audit.read") and code is None
            else:
                self._seen[code] = self.registry.is_within(code, self.root)
        return self._seen[code]

    def region(self, code_or_name: str) -> Region:
        """The region named by a request; ScopeError (403) when it lies outside the user's subtree."""
        region = self.registry.resolve(code_or_name)
        if not self.sees(region.code):
            raise ScopeError(
                f"region {self.registry.describe(region.code)} is outside your scope "
                f"({self.registry.describe(self.root)})"
            )
        return region

    def need(self, permission: str) -> None:
        """ScopeError (403) unless the user's role holds the permission."""
        require_permission(self.principal.role, permission)

    def visible(self, code: str | None, what: str) -> None:
        """NotFound (404) for a record outside the scope, so its existence is not revealed."""
        if not self.sees(code):
            raise NotFound(f"no {what} (or it is outside your region scope)")

    def keep(self, items: Iterable[T], region_of: Callable[[T], str | None]) -> list[T]:
        return [x for x in items if self.sees(region_of(x))]
