"""Faults the server survives: the database connection dropped and back (a clear Chinese 503 meanwhile),
and a database URL gongfu does not support (a clear refusal, not an internal error)."""

from __future__ import annotations

import contextlib
import socket
import threading

import pytest
from fastapi.testclient import TestClient

from gongfu.errors import DatabaseError
from gongfu.store.db import open_db
from gongfu.web.app import create_app
from web_seed import add_users, token


class Forwarder:
    """A TCP relay to PostgreSQL on a port of its own: `stop()` is a database gone away (listener closed,
    every connection cut), `start()` brings it back on the same port."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self._socks: list[socket.socket] = []
        self._listener: socket.socket | None = None

    def start(self) -> None:
        ls = socket.socket()
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind(("127.0.0.1", self.port))
        ls.listen()
        self._listener = ls
        threading.Thread(target=self._accept, args=(ls,), daemon=True).start()

    def _accept(self, ls: socket.socket) -> None:
        while True:
            try:
                client, _ = ls.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self._socks += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(a: socket.socket, b: socket.socket) -> None:
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        if self._listener is not None:
            with contextlib.suppress(OSError):  # wakes the thread blocked in accept(), or the port stays open
                self._listener.shutdown(socket.SHUT_RDWR)
            self._listener.close()
        for s in self._socks:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()
        self._socks.clear()


def test_the_server_survives_a_dropped_database_and_recovers(db_url: str) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("a SQLite file has no connection to drop")
    from sqlalchemy.engine import make_url

    real = make_url(db_url)
    add_users(open_db(db_url))
    relay = Forwarder((real.host or "127.0.0.1", real.port or 5432))
    relay.start()
    app = create_app(real.set(port=relay.port).render_as_string(hide_password=False))
    try:
        with TestClient(app) as c:
            h = token(c, "city")
            assert c.get("/api/v1/auth/me", headers=h).status_code == 200
            relay.stop()  # the database goes away: connections cut, the port refuses
            for _ in range(3):
                r = c.get("/api/v1/auth/me", headers=h)
                assert r.status_code == 503 and "数据库暂时无法访问" in r.json()["detail"]
            assert (
                c.post("/api/v1/auth/token", data={"username": "city", "password": "x" * 12}).status_code
                == 503
            )
            relay.start()  # and comes back: the next requests are answered again
            assert c.get("/api/v1/auth/me", headers=h).json()["name"] == "city"
            assert c.get("/api/v1/plans", headers=h).status_code == 200
    finally:
        relay.stop()
        app.state.db.engine.dispose()


@pytest.mark.parametrize("url", ["mysql://u:p@127.0.0.1/gongfu", "mysql+pymysql://u@h/db", "oracle://x@y/z"])
def test_an_unsupported_database_url_is_refused_clearly(url: str) -> None:
    with pytest.raises(DatabaseError, match="不支持的数据库") as info:
        open_db(url)
    assert "SQLite" in str(info.value) and "PostgreSQL" in str(info.value) and ":p@" not in str(info.value)
    with pytest.raises(DatabaseError, match="不支持的数据库"):
        create_app(url)


def test_the_cli_says_unsupported_for_mysql() -> None:
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "gongfu", "--db", "mysql://u@127.0.0.1/gongfu", "db", "upgrade"],
                       capture_output=True, text=True, timeout=120)  # fmt: skip
    out = r.stdout + r.stderr
    assert r.returncode != 0 and "不支持的数据库" in out and "Traceback" not in out
