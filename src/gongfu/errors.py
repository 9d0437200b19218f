"""The one exception hierarchy; its messages are what the CLI prints and what the API returns.

GongfuError
 ├── InputError          a file or value we were given is wrong (file, row, reason)
 │    └── ValidationFailed   many problems found at once (an import reports them all)
 ├── NotFound            an id, code or name that does not exist
 ├── AmbiguousName       a name that matches several things
 ├── ScopeError          outside the user's region subtree
 ├── ConflictError       someone else changed it first
 └── DatabaseError       the database is missing, unreachable or not migrated
"""

from __future__ import annotations

from dataclasses import dataclass


class GongfuError(Exception):
    """Base of every error gongfu reports to a person."""

    exit_code = 1


class InputError(GongfuError):
    """Bad input: names the file, the row or position when known, and the reason."""

    exit_code = 2

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
        summary = f"{n} problem(s), nothing imported"
        if first is not None:
            summary += (
                f"; first: row {first.row}: {first.message}" if first.row else f"; first: {first.message}"
            )
        super().__init__(summary, file=file)


class NotFound(GongfuError):
    exit_code = 3


class AmbiguousName(GongfuError):
    exit_code = 3


class ScopeError(GongfuError):
    exit_code = 4


class ConflictError(GongfuError):
    exit_code = 5


class DatabaseError(GongfuError):
    exit_code = 6
