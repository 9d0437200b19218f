"""Sign-in that cannot be raced or abused: an atomic counter, throttles per name and per address with growing
blocks, the password policy, and revocation on password change and disable (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from gongfu.access import (
    AuthFailed,
    LockedOut,
    add_user,
    authenticate,
    disable_user,
    issue_token,
    list_events,
    resolve_token,
    set_password,
    throttle,
)
from gongfu.errors import InputError
from gongfu.store.access_tables import AuditEventRow, SigninThrottleRow, UserRow

PW = "synthetic-pass-1"
COUNTY = "330411"


def _burst(db, attempts: list[tuple[str, str]], source: str | None = None) -> list[str]:
    """All attempts at once (threads released together); the outcome of each: ok, failed or locked."""
    gate = threading.Barrier(len(attempts))
    out: list[str] = [""] * len(attempts)

    def one(i: int, name: str, password: str) -> None:
        gate.wait()
        try:
            authenticate(db, name, password, source=source)
            out[i] = "ok"
        except LockedOut:
            out[i] = "locked"
        except AuthFailed:
            out[i] = "failed"

    threads = [threading.Thread(target=one, args=(i, n, p)) for i, (n, p) in enumerate(attempts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def _count(db, action: str) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(AuditEventRow).where(AuditEventRow.action == action))


def test_parallel_wrong_guesses_are_counted_exactly_and_only_the_limit_is_checked(db) -> None:
    add_user(db, "alice", role="viewer", region=COUNTY, password=PW, by="test")
    out = _burst(db, [("alice", f"wrong-guess-{i:03d}") for i in range(20)])
    assert (
        out.count("failed") == throttle.limits().account
        and out.count("locked") == 20 - throttle.limits().account
    )
    # one audit event per password actually checked: exactly the limit, not 20
    assert _count(db, "user.signin_failed") == throttle.limits().account
    assert _count(db, "user.lockout") == 1
    with db.session() as s:
        assert (
            s.scalar(select(UserRow.failed_logins).where(UserRow.name == "alice"))
            == throttle.limits().account
        )
        row = s.get(SigninThrottleRow, throttle.account_key("alice"))
        assert (row.failures, row.strikes) == (throttle.limits().account, 1)
    # the right password, alone or inside a further burst, does not sign in while blocked
    with pytest.raises(LockedOut):
        authenticate(db, "alice", PW)
    later = _burst(db, [("alice", "wrong-again-x")] * 5 + [("alice", PW)] + [("alice", "wrong-again-y")] * 5)
    assert later == ["locked"] * 11


def test_blocks_grow_and_end_so_a_stranger_cannot_lock_an_account_for_good(db, monkeypatch) -> None:
    add_user(db, "alice", role="viewer", region=COUNTY, password=PW, by="test")
    clock = [datetime(2026, 3, 1, 9, 0, tzinfo=UTC)]
    monkeypatch.setattr("gongfu.access.tokens._now", lambda: clock[0])
    waits = []
    for _ in range(3):
        for _ in range(throttle.limits().account):
            with pytest.raises(AuthFailed) as info:
                authenticate(db, "alice", "stranger-guess", source="10.0.0.9")
            assert not isinstance(info.value, LockedOut)
        with pytest.raises(LockedOut) as locked:
            authenticate(db, "alice", PW, source="10.0.0.1")
        waits.append(locked.value.retry_after)
        clock[0] += timedelta(seconds=locked.value.retry_after + 1)
    assert waits == [30, 60, 120]  # growing delays, not a 15-minute lock from the first five guesses
    assert authenticate(db, "alice", PW, source="10.0.0.1").name == "alice"  # once the block ends
    with db.session() as s:
        assert s.get(SigninThrottleRow, throttle.account_key("alice")).strikes == 0  # success forgives


def test_password_spraying_from_one_address_is_throttled_across_names(db) -> None:
    add_user(db, "alice", role="viewer", region=COUNTY, password=PW, by="test")
    sprayer = "192.0.2.7"
    for i in range(throttle.limits().source):  # 4 guesses each at 5 names: no name reaches its own limit
        with pytest.raises(AuthFailed) as info:
            authenticate(db, f"user{i % 5}", "Summer2026!!", source=sprayer)
        assert not isinstance(info.value, LockedOut)
    with pytest.raises(LockedOut):
        authenticate(db, "user9", "Summer2026!!", source=sprayer)
    with pytest.raises(LockedOut):
        authenticate(db, "alice", PW, source=sprayer)  # the address is blocked, whatever it sends
    assert authenticate(db, "alice", PW, source="198.51.100.3").name == "alice"  # others are not
    [event] = list_events(db, action="signin.throttle")
    assert event.object_id == sprayer


def test_the_api_throttles_by_the_client_address(db_url) -> None:
    from fastapi.testclient import TestClient

    from gongfu.store.db import open_db
    from gongfu.web.app import create_app

    add_user(open_db(db_url), "alice", role="viewer", region=COUNTY, password=PW, by="test")
    client = TestClient(create_app(db_url))
    codes = [
        client.post("/api/v1/auth/token", data={"username": f"nobody{i}", "password": "x" * 12}).status_code
        for i in range(throttle.limits().source + 1)
    ]
    assert codes == [401] * throttle.limits().source + [423]
    with open_db(db_url).session() as s:
        assert (
            s.get(SigninThrottleRow, throttle.source_key("testclient")).failures == throttle.limits().source
        )


@pytest.mark.parametrize(
    ("password", "rule"),
    [
        ("12345678", "too short"),
        ("123456789", "too short"),
        (" " * 10, "one character"),
        ("zhangsan01", "user name"),
        ("10nasgnahz", "user name"),
        ("QwertyUiop", "too common"),
        ("1234567890", "too common"),
        ("x" * 201, "too long"),
    ],
)
def test_password_policy_refuses_weak_passwords(db, password: str, rule: str) -> None:
    with pytest.raises(InputError, match=rule):
        add_user(db, "zhangsan01", role="viewer", region=COUNTY, password=password, by="test")


def test_a_good_password_passes_the_policy(db) -> None:
    assert add_user(db, "zhangsan01", role="viewer", region=COUNTY, password="海宁-潮水-2026", by="t").name


def test_new_password_revokes_every_session_and_token_and_is_audited(db) -> None:
    user = add_user(db, "alice", role="analyst", region=COUNTY, password=PW, by="test")
    bearer, _, _ = issue_token(db, user, "bearer")
    session, _, _ = issue_token(db, user, "session")
    with pytest.raises(InputError, match="too common"):
        set_password(db, "alice", "password123", by="admin")
    assert resolve_token(db, bearer, "bearer")[0].name == "alice"  # a refused change changes nothing
    assert set_password(db, "alice", "another-long-secret", by="admin") == 2
    for secret, kind in ((bearer, "bearer"), (session, "session")):
        with pytest.raises(AuthFailed):
            resolve_token(db, secret, kind)
    with pytest.raises(AuthFailed):
        authenticate(db, "alice", PW)
    assert authenticate(db, "alice", "another-long-secret").name == "alice"
    [changed] = list_events(db, action="user.password")
    [revoked] = list_events(db, action="user.revoke")
    assert changed.new == {"revoked": 2} and revoked.new == {"revoked": 2, "because": "user.password"}
    assert "another-long-secret" not in str(changed.new)


def test_disable_records_the_revocation(db) -> None:
    user = add_user(db, "alice", role="analyst", region=COUNTY, password=PW, by="test")
    issue_token(db, user, "bearer")
    disable_user(db, "alice", by="admin")
    [revoked] = list_events(db, action="user.revoke")
    assert revoked.new == {"revoked": 1, "because": "user.disable"}


def test_the_limits_and_delays_are_settings(db, monkeypatch) -> None:
    monkeypatch.setenv("GONGFU_SIGNIN_ACCOUNT_LIMIT", "2")
    monkeypatch.setenv("GONGFU_SIGNIN_FIRST_BLOCK_SECONDS", "7")
    monkeypatch.setenv("GONGFU_SIGNIN_LONGEST_BLOCK_SECONDS", "10")
    add_user(db, "alice", role="viewer", region=COUNTY, password=PW, by="test")
    clock = [datetime(2026, 3, 1, 9, 0, tzinfo=UTC)]
    monkeypatch.setattr("gongfu.access.tokens._now", lambda: clock[0])
    waits = []
    for _ in range(3):
        for _ in range(2):
            with pytest.raises(AuthFailed) as info:
                authenticate(db, "alice", "stranger-guess")
            assert not isinstance(info.value, LockedOut)
        with pytest.raises(LockedOut) as locked:
            authenticate(db, "alice", PW)
        waits.append(locked.value.retry_after)
        clock[0] += timedelta(seconds=locked.value.retry_after + 1)
    assert waits == [7, 10, 10]  # the first block, doubled but no longer than the longest
    monkeypatch.setenv("GONGFU_SIGNIN_SOURCE_LIMIT", "3")
    assert throttle.limits().source == 3 and throttle.limits().window == timedelta(seconds=900)


def test_a_throttled_sign_in_says_when_to_retry(db_url, monkeypatch) -> None:
    import re

    from fastapi.testclient import TestClient

    from gongfu.store.db import open_db
    from gongfu.web.app import create_app

    monkeypatch.setenv("GONGFU_SIGNIN_ACCOUNT_LIMIT", "2")
    monkeypatch.setenv("GONGFU_SIGNIN_FIRST_BLOCK_SECONDS", "45")
    add_user(open_db(db_url), "alice", role="viewer", region=COUNTY, password=PW, by="test")
    app = create_app(db_url)
    with TestClient(app) as client:
        for _ in range(2):
            wrong = client.post("/api/v1/auth/token", data={"username": "alice", "password": "x" * 12})
            assert wrong.status_code == 401 and "retry-after" not in wrong.headers
        api = client.post("/api/v1/auth/token", data={"username": "alice", "password": PW})
        form = client.get("/login")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
        page = client.post("/login", data={"username": "alice", "password": PW, "csrf_token": csrf})
    assert api.status_code == 423 and 40 <= int(api.headers["retry-after"]) <= 45, api.headers
    assert page.status_code == 423 and 40 <= int(page.headers["retry-after"]) <= 45, page.headers
    assert "锁定" in page.text
    app.state.db.engine.dispose()
