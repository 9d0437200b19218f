"""Every command's help is Chinese, ends with an example that parses, and every option says what it is."""

from __future__ import annotations

import re
import shlex

import pytest
import typer.main

from gongfu.cli import _register, app

CJK = re.compile(r"[\u4e00-\u9fff]")


def commands():
    _register()
    root = typer.main.get_command(app)

    def walk(cmd, path):
        if hasattr(cmd, "commands"):
            for name, sub in cmd.commands.items():
                yield from walk(sub, [*path, name])
        else:
            yield " ".join(path), cmd

    return root, list(walk(root, []))


ROOT, COMMANDS = commands()


def test_the_root_help_is_chinese_with_an_example() -> None:
    assert CJK.search(ROOT.help) and "示例:" in ROOT.help


@pytest.mark.parametrize(("path", "cmd"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_help_is_chinese_with_an_example_that_parses(path: str, cmd) -> None:
    text = cmd.help or ""
    assert CJK.search(text.split("\n")[0]), f"{path}: help is not Chinese"
    m = re.search(r"示例:\s*(.+)", text)
    assert m, f"{path}: no 示例"
    args = shlex.split(m.group(1).strip())
    words = path.split()
    at = next(i for i in range(len(args)) if args[i : i + len(words)] == words)  # after root options
    assert args[0] == "gongfu"
    cmd.make_context(path, args[at + len(words) :])  # unknown options or missing arguments raise here
    for p in cmd.params:
        assert CJK.search(getattr(p, "help", None) or ""), f"{path}: {p.name} has no Chinese help"


def test_dates_are_typed_as_dates() -> None:
    """A --due that is not a date is Click's usage error (2) naming the option, before anything runs."""
    from typer.testing import CliRunner

    r = CliRunner().invoke(
        app, ["task", "add", "合成任务", "--region", "330411", "--lead", "某局", "--due", "2026-13-01"]
    )
    assert r.exit_code == 2 and "--due" in r.output


def test_version() -> None:
    from typer.testing import CliRunner

    from gongfu import __version__

    r = CliRunner().invoke(app, ["--version"])
    assert r.exit_code == 0 and r.stdout.strip() == f"gongfu {__version__}" and __version__ != "0+unknown"
