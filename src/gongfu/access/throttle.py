"""Sign-in throttle: failed attempts counted per account name and per source address, in the database.

Every attempt first *reserves* a slot with one atomic UPDATE … RETURNING per key, before the password is
checked, so parallel guesses cannot lose increments and at most `limit` passwords are checked per key and
window, on SQLite and PostgreSQL alike. The attempt that takes the last slot and fails starts a block; each
block lasts twice the one before (growing delays, from 30 seconds by default), so a stranger who types wrong passwords
for someone else's name delays that account briefly instead of locking it for good.

The limits and delays are settings (`gongfu.settings`): GONGFU_SIGNIN_ACCOUNT_LIMIT (5), _SOURCE_LIMIT (20),
_FIRST_BLOCK_SECONDS (30), _LONGEST_BLOCK_SECONDS (900), _WINDOW_SECONDS (900).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, case, or_, select, update
from sqlalchemy.orm import Session

from gongfu.store.access_tables import SigninThrottleRow as T

STRIKES_KEPT = timedelta(hours=24)  # a quiet day forgets earlier blocks: the next one is short again


@dataclass(frozen=True)
class Limits:
    """The throttle's settings (`GONGFU_SIGNIN_*`, read at each sign-in, so a changed environment counts)."""

    account: int  # wrong passwords for one account name before a block
    source: int  # wrong passwords from one address, over all names (password spraying), before a block
    first_block: timedelta  # the first block; each next one lasts twice as long
    longest_block: timedelta
    window: timedelta  # failures older than this, with no block since, are forgotten


def limits() -> Limits:
    from gongfu.settings import settings

    c = settings()
    return Limits(
        account=c.signin_account_limit,
        source=c.signin_source_limit,
        first_block=timedelta(seconds=c.signin_first_block_seconds),
        longest_block=timedelta(seconds=max(c.signin_longest_block_seconds, c.signin_first_block_seconds)),
        window=timedelta(seconds=c.signin_window_seconds),
    )


class Blocked(Exception):
    """A key has no slot left: the account or the address must wait `retry_after` seconds."""

    def __init__(self, key: str, retry_after: int) -> None:
        super().__init__(key, retry_after)
        self.key, self.retry_after = key, retry_after


def account_key(name: str) -> str:
    return "account:" + name.casefold()[:120]


def source_key(address: str) -> str:
    return "source:" + address[:120]


def block_for(strikes: int, lim: Limits | None = None) -> timedelta:
    """The length of the `strikes`-th block (1-based): by default 30 s, 1 min, 2 min … at most 15 min."""
    lim = lim or limits()
    return min(lim.first_block * 2 ** min(max(strikes - 1, 0), 40), lim.longest_block)


def _aware(t: datetime | None) -> datetime | None:
    return t if t is None or t.tzinfo else t.replace(tzinfo=UTC)  # SQLite returns naive datetimes


def _ensure(s: Session, key: str, now: datetime) -> None:
    """The key's row, created if missing without racing another creator."""
    values = {"key": key, "failures": 0, "strikes": 0, "blocked_until": None, "updated_at": now}
    if s.bind.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    s.execute(insert(T).values(**values).on_conflict_do_nothing(index_elements=["key"]))


def reserve(s: Session, key: str, limit: int, now: datetime, lim: Limits | None = None) -> int:
    """Count one attempt against `key` atomically; the attempt's number, or Blocked when none is left."""
    lim = lim or limits()
    _ensure(s, key, now)
    expired = and_(T.blocked_until.is_not(None), T.blocked_until <= now)
    quiet = and_(T.blocked_until.is_(None), T.updated_at <= now - lim.window)
    fresh = or_(expired, quiet)
    stmt = (
        update(T)
        .where(T.key == key, or_(fresh, and_(T.blocked_until.is_(None), T.failures < limit)))
        .values(
            failures=case((fresh, 1), else_=T.failures + 1),
            strikes=case((T.updated_at <= now - STRIKES_KEPT, 0), else_=T.strikes),
            blocked_until=None,
            updated_at=now,
        )
        .returning(T.failures)
    )
    n = s.scalar(stmt)
    if n is None:
        until = _aware(s.scalar(select(T.blocked_until).where(T.key == key)))
        wait = (until - now).total_seconds() if until else lim.first_block.total_seconds()
        raise Blocked(key, max(1, int(wait + 0.999)))
    return n


def fail(s: Session, key: str, number: int, limit: int, now: datetime, lim: Limits | None = None
         ) -> datetime | None:  # fmt: skip
    """After a wrong password: the attempt that took the last slot starts a block (returned), others nothing."""
    if number < limit:
        return None
    strikes = s.scalar(update(T).where(T.key == key).values(strikes=T.strikes + 1).returning(T.strikes)) or 1
    until = now + block_for(strikes, lim)
    s.execute(update(T).where(T.key == key).values(blocked_until=until, updated_at=now))
    return until


def succeed_account(s: Session, key: str, now: datetime) -> bool:
    """Clear the account's count after the right password; False when a block began meanwhile."""
    done = s.scalar(
        update(T)
        .where(T.key == key, or_(T.blocked_until.is_(None), T.blocked_until <= now))
        .values(failures=0, strikes=0, blocked_until=None, updated_at=now)
        .returning(T.key)
    )
    return done is not None


def succeed_source(s: Session, key: str) -> None:
    """The address's reserved slot was no failure: give it back (its earlier failures stay counted)."""
    s.execute(update(T).where(T.key == key, T.failures > 0).values(failures=T.failures - 1))


def state(s: Session, key: str) -> T | None:
    return s.get(T, key)
