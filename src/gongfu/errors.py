"""The one exception hierarchy; its messages are what the CLI prints and what the API returns.

GongfuError                          exit 1
 ├── InputError          65          a file or value we were given is wrong (file, row, reason)
 │    └── ValidationFailed   65      many problems found at once (an import reports them all)
 ├── NotFound            66          an id, code or name that does not exist
 ├── AmbiguousName       68          a name that matches several things
 ├── ScopeError          77          outside the user's region subtree
 ├── ConflictError       75          someone else changed it first (try again)
 ├── DatabaseError       69          the database is missing, unreachable or not migrated
 └── MissingPart         78          an optional part (extra, region data) is not installed

The exit codes follow BSD sysexits and never collide with Click's usage error (2); a bug exits 70 and
Ctrl-C 130. `exit_code` is a property of the class, so the CLI, the README and the tests read one place.
"""

from __future__ import annotations

from dataclasses import dataclass


class GongfuError(Exception):
    """Base of every error gongfu reports to a person."""

    exit_code = 1


class InputError(GongfuError):
    """Bad input: names the file, the row or position when known, and the reason."""

    exit_code = 65

    def __init__(self, reason: str, *, file: str | None = None, row: int | str | None = None) -> None:
        self.reason = reason
        self.file = file
        self.row = row
        super().__init__(self.message)

    @property
    def message(self) -> str:
        where = ""
        if self.file:
            where = f"{self.file}"
            if self.row is not None:
                where += f":{self.row}" if isinstance(self.row, int) else f" ({self.row})"
            where += ": "
        return where + self.reason


@dataclass(frozen=True)
class Problem:
    """One validation problem: a code, the row (1-based as a spreadsheet user counts), and a message."""

    code: str
    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = f"第{self.row}行" if self.row is not None else ""
        if self.column:
            where += f"[{self.column}]"
        return f"{where}: {self.message}" if where else self.message


class ValidationFailed(InputError):
    """Several problems in one input; nothing was stored."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.problems = problems
        n = len(problems)
        first = problems[0] if problems else None
        summary = f"发现{n}处问题，未导入任何数据"
        if first is not None:
            summary += f"；第一处：{first}"
        super().__init__(summary, file=file)


class NotFound(GongfuError):
    """An id, code or name that does not exist."""

    exit_code = 66


class AmbiguousName(GongfuError):
    """A name that matches several things; the message lists them."""

    exit_code = 68


class ScopeError(GongfuError):
    """Outside the acting user's region subtree, or a move their role may not make."""

    exit_code = 77


class ConflictError(GongfuError):
    """Someone else changed the record first, or it already exists."""

    exit_code = 75


class DatabaseError(GongfuError):
    """The database is missing, unreachable or not migrated."""

    exit_code = 69


class MissingPart(GongfuError):
    """An optional part of gongfu is not installed: a pip extra, the region data, a converter."""

    exit_code = 78


def require(module: str, extra: str, what: str) -> None:
    """Import `module` or refuse in Chinese naming the extra to install (`pip install 'gongfu[pdf]'`)."""
    import importlib.util
    import sys

    try:
        found = sys.modules.get(module, True) is not None and importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        found = False
    if not found:
        raise MissingPart(f"{what}需要可选组件 {extra}，未安装：请运行 pip install 'gongfu[{extra}]'")
