"""An administrator's repairs to an account: enable it again, lift a sign-in block, reset its password.

Each is audited; a reset password is random, shown once to the administrator, and revokes every session
and token of the user (as `set_password` does).
"""

from __future__ import annotations

import secrets

from sqlalchemy import delete, select

from gongfu.access.audit import record
from gongfu.access.scope import Scope
from gongfu.access.throttle import account_key
from gongfu.access.users import set_password
from gongfu.errors import NotFound
from gongfu.store.access_tables import SigninThrottleRow, UserRow
from gongfu.store.db import Database


def _user(s, name: str) -> UserRow:
    row = s.scalar(select(UserRow).where(UserRow.name == name))
    if row is None:
        raise NotFound(f"没有名为 {name!r} 的用户；`gongfu user list` 列出全部用户")
    return row


def check_admin(db: Database, scope: Scope, name: str) -> None:
    """ScopeError (403) unless an admin; NotFound (404) for a user outside the admin's region, as for any
    record out of scope, so its existence is not revealed (a user that does not exist: the repair says so)."""
    scope.need("users.write")
    with db.session() as s:
        region = s.scalar(select(UserRow.region_code).where(UserRow.name == name))
    if region is not None:
        scope.visible(region, f"名为 {name!r} 的用户")


def users_in_scope(db: Database, scope: Scope) -> list[dict]:
    """The users an admin may repair: those bound to a region of the admin's subtree (403 for non-admins)."""
    scope.need("users.write")
    with db.session() as s:
        rows = s.scalars(select(UserRow).where(scope.where(UserRow.region_code)).order_by(UserRow.name))
        return [
            {"name": u.name, "role": u.role, "region_code": u.region_code, "disabled": u.disabled,
             "locked_until": u.locked_until, "failed_logins": u.failed_logins, "last_login_at": u.last_login_at}
            for u in rows
        ]  # fmt: skip


def enable_user(db: Database, name: str, *, by: str) -> bool:
    """Let a disabled user sign in again (they need a new sign-in; old sessions stay revoked). True if changed."""
    with db.session() as s:
        row = _user(s, name)
        if not row.disabled:
            return False
        row.disabled = False
        record(s, by, "user.enable", "user", name, region=row.region_code, old={"disabled": True},
               new={"disabled": False})  # fmt: skip
        return True


def unlock_user(db: Database, name: str, *, by: str) -> dict:
    """Lift the sign-in block on the account: its failure count, lock and throttle entry are cleared."""
    with db.session() as s:
        row = _user(s, name)
        old = {"failed_logins": row.failed_logins,
               "locked_until": row.locked_until.isoformat() if row.locked_until else None}  # fmt: skip
        row.failed_logins, row.locked_until = 0, None
        cleared = s.execute(
            delete(SigninThrottleRow).where(SigninThrottleRow.key == account_key(name))
        ).rowcount
        record(s, by, "user.unlock", "user", name, region=row.region_code, old=old,
               new={"failed_logins": 0, "locked_until": None, "throttle_cleared": bool(cleared)})  # fmt: skip
        return {**old, "throttle_cleared": bool(cleared)}


def reset_password(db: Database, name: str, *, by: str) -> tuple[str, int]:
    """A new random password (to hand to the user once) and how many sessions and tokens were revoked."""
    password = secrets.token_urlsafe(12)  # 16 characters from 96 random bits
    revoked = set_password(db, name, password, by=by)
    return password, revoked


__all__ = ["check_admin", "enable_user", "reset_password", "unlock_user", "users_in_scope"]
