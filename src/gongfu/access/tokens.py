"""Sign-in with lock-out, and the secrets that follow it: browser sessions and API bearer tokens.

Only the SHA-256 of a secret is stored, so a copy of the database does not let anyone in.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from gongfu.access.audit import record
from gongfu.access.passwords import verify_password
from gongfu.access.users import Principal, principal_of
from gongfu.errors import GongfuError
from gongfu.store.access_tables import TokenRow, UserRow
from gongfu.store.db import Database

MAX_FAILURES = 5  # consecutive wrong passwords before the account is locked
LOCK_MINUTES = 15
LIFETIME = {"session": timedelta(hours=8), "bearer": timedelta(hours=12)}


class AuthFailed(GongfuError):
    """Wrong name or password, or a missing, expired or revoked token (HTTP 401)."""

    exit_code = 67  # EX_NOUSER: who you are could not be established


class LockedOut(AuthFailed):
    """Too many failed sign-ins; the account is locked for a while (HTTP 423)."""


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(t: datetime) -> datetime:
    return t if t.tzinfo else t.replace(tzinfo=UTC)  # SQLite returns naive datetimes


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def authenticate(db: Database, name: str, password: str) -> Principal:
    """The user for a correct name and password; AuthFailed or LockedOut otherwise.

    The message never says whether the name exists. After MAX_FAILURES consecutive failures the account
    is locked for LOCK_MINUTES, even against the right password.
    """
    with db.session() as s:
        row = s.scalar(select(UserRow).where(UserRow.name == name))
        ok = verify_password(row.password_hash if row else None, password)
        if row is None or row.disabled:
            raise AuthFailed("wrong user name or password")
        now = _now()
        if row.locked_until is not None and _aware(row.locked_until) > now:
            raise LockedOut(f"account locked after {MAX_FAILURES} failed sign-ins; try again later")
        if not ok:
            row.failed_logins += 1
            if row.failed_logins >= MAX_FAILURES:
                row.locked_until = now + timedelta(minutes=LOCK_MINUTES)
                row.failed_logins = 0
                record(s, name, "user.lockout", "user", name, region=row.region_code,
                       new={"locked_until": row.locked_until.isoformat()})  # fmt: skip
            s.commit()
            raise AuthFailed("wrong user name or password")
        row.failed_logins = 0
        row.locked_until = None
        row.last_login_at = now
        return principal_of(row)


def issue_token(db: Database, user: Principal, kind: str = "bearer") -> tuple[str, str, datetime]:
    """A new secret for the user: (secret, csrf token for sessions or "", expiry)."""
    secret = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(24) if kind == "session" else ""
    expires = _now() + LIFETIME[kind]
    with db.session() as s:
        s.add(
            TokenRow(user_id=user.id, kind=kind, secret_sha256=_digest(secret), csrf=csrf, expires_at=expires)
        )
    return secret, csrf, expires


def resolve_token(db: Database, secret: str, kind: str = "bearer") -> tuple[Principal, str]:
    """(the user, the session's csrf token) for a live secret of this kind; AuthFailed otherwise."""
    with db.session() as s:
        found = s.execute(
            select(TokenRow, UserRow)
            .join(UserRow, UserRow.id == TokenRow.user_id)
            .where(TokenRow.secret_sha256 == _digest(secret), TokenRow.kind == kind)
        ).first()
        if found is None:
            raise AuthFailed("not signed in, or the token is unknown")
        token, user = found
        if token.revoked_at is not None or _aware(token.expires_at) <= _now() or user.disabled:
            raise AuthFailed("the session or token has expired or was revoked; sign in again")
        return principal_of(user), token.csrf


def revoke_token(db: Database, secret: str) -> None:
    with db.session() as s:
        s.execute(
            update(TokenRow)
            .where(TokenRow.secret_sha256 == _digest(secret), TokenRow.revoked_at.is_(None))
            .values(revoked_at=_now())
        )


def revoke_all(s: Session, user_id: int) -> None:
    s.execute(
        update(TokenRow)
        .where(TokenRow.user_id == user_id, TokenRow.revoked_at.is_(None))
        .values(revoked_at=_now())
    )
