"""Progress of a long import, told by the code doing it to whoever listens: a web job's status, the CLI's bar.

The reader, the validation and the store call `report(phase, done, total)` every `EVERY` rows; with no
listener (`listening(fn)` around the work) that costs one context-variable look-up. Phases, in order:

    reading   rows read from the file (total: the rows the sheet declares, or None)
    checking  rows validated
    storing   figures written to the database
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

Listener = Callable[[str, int, int | None], None]
EVERY = 10_000
PHASE_ZH = {"reading": "读取文件", "checking": "校验数据", "storing": "写入数据库"}
_listener: ContextVar[Listener | None] = ContextVar("gongfu_progress", default=None)


@contextmanager
def listening(fn: Listener) -> Iterator[None]:
    """Send every report made inside the block (in this thread or context) to `fn`."""
    token = _listener.set(fn)
    try:
        yield
    finally:
        _listener.reset(token)


def report(phase: str, done: int, total: int | None = None) -> None:
    fn = _listener.get()
    if fn is not None:
        fn(phase, done, total)


def active() -> bool:
    return _listener.get() is not None
