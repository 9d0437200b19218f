"""Every command's help, and Typer's own usage errors, are Chinese: no English word but what a user types.

What a user types is allowed: command and option names, the values an option or argument takes (choices,
defaults and the codes of the shared vocabularies: states, roles, levels …), catalog codes and the example
user names of the help texts. Everything else English is a defect of the help text or of `gongfu.cli.zh`.
"""

from __future__ import annotations

import functools
import re

import pytest
import typer
from typer.testing import CliRunner

from chinese_text import foreign_words
from gongfu.cli import _register, app

# Example values in help texts (user names, a unit code, a quarter) and formats and products named there
EXAMPLES = {"wang", "li", "zhang", "unit_a", "Q1", "F1", "ISO", "YYYY", "MM", "DD", "txt", "toml", "parquet"}
EXAMPLES |= {"Parquet", "README", "OpenAPI", "REST", "DuckDB", "Spark", "sqlite", "local", "jpg", "png"}
# values of free-text options named in their help (--weights, --level, --period-type, --nonpositive), and
# the default file-name stem of `gongfu evaluate --format xlsx`
EXAMPLES |= {"entropy", "city", "quarter", "month", "clip", "drop", "evaluation", "approver", "all"}
EXAMPLES |= {
    "public",
    "api",
}  # --channel values (gongfu.cases.intake.CHANNELS, not imported: it loads sklearn)


@functools.cache
def _commands() -> list[tuple[list[str], typer.core.TyperCommand]]:
    _register()
    out = []

    def walk(cmd, path: list[str]) -> None:
        out.append((path, cmd))
        for name, sub in sorted(getattr(cmd, "commands", {}).items()):
            walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return out


@functools.cache
def _typed() -> set[str]:
    """Words a user types: command and option names, choices and defaults, codes of the vocabularies."""
    from gongfu.access.roles import CASE_ROLES, ROLES
    from gongfu.cases.measures import SATISFACTION_ZH
    from gongfu.cases.routing import LEVELS, URGENCIES
    from gongfu.cases.states import MOVES
    from gongfu.catalog.catalog import load_catalog
    from gongfu.vocab import CaseState, FindingState, TaskStatus
    from gongfu.work.service import LIST_KINDS

    words: set[str] = set(EXAMPLES) | {i.code for i in load_catalog()}
    for values in (ROLES, CASE_ROLES, SATISFACTION_ZH, LEVELS, URGENCIES, LIST_KINDS, MOVES):
        words |= set(values)
    words |= {m.action for m in MOVES.values()}
    for enum in (CaseState, FindingState, TaskStatus):
        words |= {v.value for v in enum}
    for path, cmd in _commands():
        words |= set(path)
        for p in cmd.params:
            for o in [*p.opts, *p.secondary_opts]:
                words |= set(re.findall(r"[A-Za-z0-9_]+", o))
            choices = getattr(getattr(p, "type_descriptor", None), "choices", None) or ()
            words |= set(re.findall(r"[A-Za-z0-9_]+", " ".join(map(str, choices))))
            if isinstance(p.default, str):
                words |= set(re.findall(r"[A-Za-z0-9_]+", p.default))
    return {w for word in words for w in re.split(r"[-_.]", word)} | words


PATHS = [" ".join(path) for path, _ in _commands()]


@pytest.mark.parametrize("path", PATHS, ids=[p or "gongfu" for p in PATHS])
def test_every_command_help_is_chinese(path: str) -> None:
    result = CliRunner().invoke(app, [*path.split(), "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "用法：" in result.output and "显示本帮助并退出" in result.output
    assert foreign_words(result.output, _typed()) == []


USAGE_ERRORS = [
    ("plan", "list", "--bogus"),  # no such option
    ("plan", "show"),  # missing argument
    ("plan", "show", "abc"),  # not an integer
    ("plan", "list", "--format", "xx"),  # not a choice
    ("plan", "list", "--format"),  # option without its value
    ("task", "show", "1", "2"),  # extra argument
    ("plann",),  # no such command
    ("plan", "nosuch"),
]


@pytest.mark.parametrize("args", USAGE_ERRORS, ids=[" ".join(a) for a in USAGE_ERRORS])
def test_usage_errors_are_chinese(args: tuple[str, ...]) -> None:
    _register()
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert "错误" in result.output
    assert foreign_words(result.output, _typed() | set(args)) == []  # the user's own words are echoed
