"""Users, passwords, lock-out, tokens and the audit trail of user changes (service level and CLI)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from gongfu.access import (
    AuthFailed,
    LockedOut,
    add_user,
    authenticate,
    disable_user,
    issue_token,
    list_events,
    list_users,
    resolve_token,
    revoke_token,
)
from gongfu.access.throttle import limits
from gongfu.errors import ConflictError, InputError, NotFound
from gongfu.store.access_tables import UserRow

PW = "synthetic-pass-1"


def test_password_is_stored_as_argon2_hash_and_verifies(db) -> None:
    add_user(db, "alice", role="viewer", region="330411", password=PW, by="test")
    with db.session() as s:
        stored = s.scalar(select(UserRow.password_hash).where(UserRow.name == "alice"))
    assert stored.startswith("$argon2id$") and PW not in stored
    assert authenticate(db, "alice", PW).region_code == "330411"


def test_region_name_resolves_to_code_and_bad_role_or_region_is_refused(db) -> None:
    assert add_user(db, "bob", role="analyst", region="秀洲区", password=PW, by="t").region_code == "330411"
    with pytest.raises(InputError, match="unknown role"):
        add_user(db, "carol", role="superuser", region="330411", password=PW, by="t")
    with pytest.raises(NotFound):
        add_user(db, "carol", role="viewer", region="999999", password=PW, by="t")
    with pytest.raises(ConflictError):
        add_user(db, "bob", role="viewer", region="330411", password=PW, by="t")
    with pytest.raises(InputError, match="too short"):
        add_user(db, "dave", role="viewer", region="330411", password="short", by="t")


def test_lockout_after_repeated_failures_even_with_right_password(db) -> None:
    add_user(db, "alice", role="viewer", region="330411", password=PW, by="test")
    for _ in range(limits().account):
        with pytest.raises(AuthFailed) as info:
            authenticate(db, "alice", "wrong-password")
        assert not isinstance(info.value, LockedOut)
    with pytest.raises(LockedOut):
        authenticate(db, "alice", PW)
    assert [e.action for e in list_events(db, action="user.lockout")] == ["user.lockout"]


def test_success_resets_the_failure_count(db) -> None:
    add_user(db, "alice", role="viewer", region="330411", password=PW, by="test")
    for _ in range(limits().account - 1):
        with pytest.raises(AuthFailed):
            authenticate(db, "alice", "wrong-password")
    authenticate(db, "alice", PW)
    for _ in range(limits().account - 1):
        with pytest.raises(AuthFailed):
            authenticate(db, "alice", "wrong-password")
    assert authenticate(db, "alice", PW).name == "alice"


def test_unknown_user_gets_the_same_message_as_a_wrong_password(db) -> None:
    add_user(db, "alice", role="viewer", region="330411", password=PW, by="test")
    with pytest.raises(AuthFailed) as a:
        authenticate(db, "nobody", PW)
    with pytest.raises(AuthFailed) as b:
        authenticate(db, "alice", "wrong-password")
    assert str(a.value) == str(b.value)


def test_tokens_resolve_until_revoked_and_disable_revokes_everything(db) -> None:
    user = add_user(db, "alice", role="analyst", region="330411", password=PW, by="test")
    bearer, _, _ = issue_token(db, user, "bearer")
    session, csrf, _ = issue_token(db, user, "session")
    assert resolve_token(db, bearer, "bearer")[0].name == "alice"
    assert resolve_token(db, session, "session")[1] == csrf and csrf
    with pytest.raises(AuthFailed):
        resolve_token(db, session, "bearer")  # a session secret is not a bearer token
    revoke_token(db, bearer)
    with pytest.raises(AuthFailed):
        resolve_token(db, bearer, "bearer")
    disable_user(db, "alice", by="admin")
    with pytest.raises(AuthFailed):
        resolve_token(db, session, "session")
    with pytest.raises(AuthFailed):
        authenticate(db, "alice", PW)
    [event] = list_events(db, action="user.disable")
    assert (event.actor, event.old, event.new) == ("admin", {"disabled": False}, {"disabled": True})


def test_cli_user_add_list_disable(db_url: str) -> None:
    from gongfu.cli import GROUPS, _register, app
    from gongfu.cli import user as user_cli

    _register()
    if "user" not in GROUPS:  # until the group is listed in gongfu.cli.GROUPS
        app.add_typer(user_cli.app, name=user_cli.NAME, help=user_cli.HELP)
    runner = CliRunner()
    r = runner.invoke(
        app,
        [
            "--db",
            db_url,
            "user",
            "add",
            "zhang",
            "--role",
            "reporter",
            "--region",
            "330411",
            "--password-stdin",
        ],
        input=PW + "\n",
    )
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["--db", db_url, "user", "list", "--format", "json"])
    assert '"zhang"' in r.output and '"reporter"' in r.output
    assert runner.invoke(app, ["--db", db_url, "user", "disable", "zhang"]).exit_code == 0
    from gongfu.store.db import open_db

    db = open_db(db_url)
    assert list_users(db)[0]["disabled"] is True
    assert {e.action for e in list_events(db)} == {"user.add", "user.disable"}
    db.engine.dispose()
