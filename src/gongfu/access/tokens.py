"""Sign-in with lock-out, and the secrets that follow it: browser sessions and API bearer tokens.

Only the SHA-256 of a secret is stored, so a copy of the database does not let anyone in.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from gongfu.access import throttle
from gongfu.access.audit import record
from gongfu.access.passwords import verify_password
from gongfu.access.users import Principal, principal_of
from gongfu.errors import GongfuError
from gongfu.store.access_tables import TokenRow, UserRow
from gongfu.store.db import Database

LIFETIME = {"session": timedelta(hours=8), "bearer": timedelta(hours=12)}


class AuthFailed(GongfuError):
    """Wrong name or password, or a missing, expired or revoked token (HTTP 401)."""

    exit_code = 67  # EX_NOUSER: who you are could not be established


class LockedOut(AuthFailed):
    """Too many failed sign-ins for this name or from this address; wait `retry_after` seconds (HTTP 423)."""

    def __init__(self, message: str, retry_after: int = 0) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(t: datetime) -> datetime:
    return t if t.tzinfo else t.replace(tzinfo=UTC)  # SQLite returns naive datetimes


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _locked(retry_after: int) -> LockedOut:
    return LockedOut(f"too many failed sign-ins; try again in {retry_after} seconds", retry_after)


def authenticate(db: Database, name: str, password: str, *, source: str | None = None) -> Principal:
    """The user for a correct name and password; AuthFailed or LockedOut otherwise.

    The message never says whether the name exists. Each attempt is counted (atomically, before the
    password is checked) against the name and, when given, the source address (`gongfu.access.throttle`);
    once either has no attempts left, even the right password is refused until the block ends.
    """
    now = _now()
    lim = throttle.limits()
    keys = [(throttle.account_key(name), lim.account)]
    if source:
        keys.append((throttle.source_key(source), lim.source))
    try:
        with db.session() as s:
            numbers = [throttle.reserve(s, key, limit, now, lim) for key, limit in keys]
    except throttle.Blocked as blocked:
        raise _locked(blocked.retry_after) from None
    with db.session() as s:
        row = s.scalar(select(UserRow).where(UserRow.name == name))
        ok = verify_password(row.password_hash if row else None, password)
        if row is None or row.disabled or not ok:
            _failed(s, name, row, source, keys, numbers, now, lim)
            s.commit()
            raise AuthFailed("wrong user name or password")
        if not throttle.succeed_account(s, keys[0][0], now):
            raise _locked(int(lim.first_block.total_seconds()))  # a parallel guess started a block
        if source:
            throttle.succeed_source(s, keys[1][0])
        row.failed_logins = 0
        row.locked_until = None
        row.last_login_at = now
        return principal_of(row)


def _failed(s: Session, name: str, row: UserRow | None, source: str | None, keys: list[tuple[str, int]],
            numbers: list[int], now: datetime, lim: throttle.Limits) -> None:  # fmt: skip
    """Record a wrong password: the audit event, the user's count, and a block if this took the last slot."""
    region = row.region_code if row else None
    record(s, name[:100], "user.signin_failed", "user", name[:100], region=region, new={"source": source})
    if row is not None:
        s.execute(update(UserRow).where(UserRow.id == row.id).values(failed_logins=UserRow.failed_logins + 1))
    for (key, limit), number in zip(keys, numbers, strict=True):
        until = throttle.fail(s, key, number, limit, now, lim)
        if until is None:
            continue
        if key.startswith("account:"):
            if row is not None:
                s.execute(update(UserRow).where(UserRow.id == row.id).values(locked_until=until))
            record(s, name[:100], "user.lockout", "user", name[:100], region=region,
                   new={"locked_until": until.isoformat(), "source": source})  # fmt: skip
        else:
            record(s, name[:100], "signin.throttle", "source", (source or "")[:100],
                   new={"blocked_until": until.isoformat(), "failures": number})  # fmt: skip


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


def revoke_all(s: Session, user_id: int) -> int:
    """Revoke every live session and token of the user; how many there were."""
    done = s.execute(
        update(TokenRow)
        .where(TokenRow.user_id == user_id, TokenRow.revoked_at.is_(None))
        .values(revoked_at=_now())
    )
    return done.rowcount or 0
