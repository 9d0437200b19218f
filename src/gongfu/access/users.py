"""Users: add, list, disable, set a new password. Each user holds one role and is bound to one region subtree."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from gongfu.access.audit import record
from gongfu.access.passwords import hash_password
from gongfu.access.roles import ROLES
from gongfu.errors import ConflictError, InputError, NotFound
from gongfu.store.access_tables import UserRow
from gongfu.store.db import Database
from gongfu.text.names import clean_text


@dataclass(frozen=True)
class Principal:
    """Who is acting: the signed-in user (or the CLI operator)."""

    id: int
    name: str
    role: str
    region_code: str


def principal_of(row: UserRow) -> Principal:
    return Principal(row.id, row.name, row.role, row.region_code)


def add_user(db: Database, name: str, *, role: str, region: str, password: str, by: str) -> Principal:
    """Create a user bound to a region (code or name, resolved through the registry)."""
    from gongfu.regions import load

    name = name.strip()
    if not name or len(name) > 100 or any(c.isspace() for c in name) or name != clean_text(name, 100):
        raise InputError(f"invalid user name {name!r}: 1–100 characters, no spaces or control characters")
    if role not in ROLES:
        raise InputError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    code = load().resolve(region).code
    hashed = hash_password(password, name)
    with db.session() as s:
        if s.scalar(select(UserRow).where(UserRow.name == name)) is not None:
            raise ConflictError(f"user {name!r} already exists")
        row = UserRow(name=name, password_hash=hashed, role=role, region_code=code)
        s.add(row)
        s.flush()
        record(s, by, "user.add", "user", name, region=code, new={"role": role, "region_code": code})
        return principal_of(row)


def list_users(db: Database) -> list[dict]:
    with db.session() as s:
        return [
            {
                "name": u.name,
                "role": u.role,
                "region_code": u.region_code,
                "disabled": u.disabled,
                "locked_until": u.locked_until.isoformat() if u.locked_until else None,
                "last_login_at": u.last_login_at.isoformat() if u.last_login_at else None,
            }
            for u in s.scalars(select(UserRow).order_by(UserRow.name))
        ]


def get_user(db: Database, name: str) -> Principal:
    with db.session() as s:
        row = s.scalar(select(UserRow).where(UserRow.name == name))
        if row is None:
            raise NotFound(f"no user named {name!r}; `gongfu user list` shows them")
        return principal_of(row)


def disable_user(db: Database, name: str, *, by: str) -> None:
    """Disable a user and revoke their sessions and tokens (they stop working at once)."""
    from gongfu.access.tokens import revoke_all

    with db.session() as s:
        row = s.scalar(select(UserRow).where(UserRow.name == name))
        if row is None:
            raise NotFound(f"no user named {name!r}; `gongfu user list` shows them")
        if not row.disabled:
            row.disabled = True
            revoked = revoke_all(s, row.id)
            record(
                s, by, "user.disable", "user", name, region=row.region_code,
                old={"disabled": False}, new={"disabled": True},
            )  # fmt: skip
            _revoked(s, by, row, revoked, "user.disable")


def set_password(db: Database, name: str, password: str, *, by: str) -> int:
    """Give a user a new password (the policy applies); every session and token of theirs is revoked.

    Returns how many were revoked. Audited as `user.password` (never the password) and `user.revoke`.
    """
    from gongfu.access.tokens import revoke_all

    with db.session() as s:
        row = s.scalar(select(UserRow).where(UserRow.name == name))
        if row is None:
            raise NotFound(f"no user named {name!r}; `gongfu user list` shows them")
        row.password_hash = hash_password(password, name)
        revoked = revoke_all(s, row.id)
        record(s, by, "user.password", "user", name, region=row.region_code, new={"revoked": revoked})
        _revoked(s, by, row, revoked, "user.password")
        return revoked


def _revoked(s, by: str, row: UserRow, count: int, because: str) -> None:
    if count:
        record(s, by, "user.revoke", "user", row.name, region=row.region_code,
               new={"revoked": count, "because": because})  # fmt: skip
