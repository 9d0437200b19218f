"""User administration for admins (issue 15): enable, unlock, reset a password — within the admin's region.

The same repairs as `gongfu user enable|unlock|reset-password` (`gongfu.access.accounts`); a user outside
the admin's subtree is answered 404, as any record out of scope is, so its existence is not revealed.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request

from gongfu.access import accounts
from gongfu.access.scope import Scope
from gongfu.web.api.models import Model
from gongfu.web.api.params import ERRORS
from gongfu.web.auth import api_scope, get_db

router = APIRouter(prefix="/users", tags=["users"], responses=ERRORS)
UserName = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[\w.@-]+$")]
ScopeDep = Annotated[Scope, Depends(api_scope)]


class UserEnabled(Model):
    user: str
    changed: bool


class UserUnlocked(Model):
    user: str
    failed_logins: int
    locked_until: str | None
    throttle_cleared: bool


class PasswordReset(Model):
    user: str
    password: str
    revoked: int


def _in_scope(request: Request, scope: Scope, name: str) -> None:
    accounts.check_admin(get_db(request), scope, name)


@router.post("/{name}/enable", response_model=UserEnabled)
def enable(request: Request, scope: ScopeDep, name: UserName) -> dict:
    """Let a disabled user sign in again (their old sessions stay revoked)."""
    _in_scope(request, scope, name)
    return {"user": name, "changed": accounts.enable_user(get_db(request), name, by=scope.actor)}


@router.post("/{name}/unlock", response_model=UserUnlocked)
def unlock(request: Request, scope: ScopeDep, name: UserName) -> dict:
    """Lift the sign-in block: failure count, lock and throttle entry are cleared (values before shown)."""
    _in_scope(request, scope, name)
    return {"user": name, **accounts.unlock_user(get_db(request), name, by=scope.actor)}


@router.post("/{name}/reset-password", response_model=PasswordReset)
def reset_password(request: Request, scope: ScopeDep, name: UserName) -> dict:
    """A new random password, shown once in this answer; every session and token of the user is revoked."""
    _in_scope(request, scope, name)
    password, revoked = accounts.reset_password(get_db(request), name, by=scope.actor)
    return {"user": name, "password": password, "revoked": revoked}
