"""The `gongfu` command: a thin Typer front over the service functions.

Each command group lives in its own module and is registered here. Errors are one clear line
(`GongfuError.message`), with `--debug` for the trace.
"""

from __future__ import annotations

import os
import sys

import typer
from rich.console import Console

from gongfu.cli import zh
from gongfu.errors import GongfuError, ValidationFailed

zh.install()  # Typer's own words (help headings, usage errors) in Chinese

app = typer.Typer(
    name="gongfu",
    help="共富 gongfu：行动方案 → 指标体系 → 监测评价 → 工作推进 → 基层治理。\n\n示例: gongfu plan ingest 方案.docx && gongfu evaluate --region 嘉兴",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)


class State:
    db_url: str | None = None
    debug: bool = False


state = State()


def _version(value: bool) -> None:
    if value:
        from gongfu import __version__

        console.print(f"gongfu {__version__}", highlight=False)
        raise typer.Exit()


@app.callback()
def _root(
    db: str | None = typer.Option(
        None,
        "--db",
        help="数据库地址（默认：环境变量 GONGFU_DATABASE_URL，或当前目录的 sqlite:///gongfu.db）",
    ),
    debug: bool = typer.Option(False, "--debug", help="出错时显示完整调用栈"),
    version: bool = typer.Option(False, "--version", help="显示版本并退出", callback=_version, is_eager=True),
) -> None:
    state.db_url = db  # None: the settings' GONGFU_DATABASE_URL, read by open_db
    state.debug = debug
    _follow_columns()


def _follow_columns() -> None:
    """The consoles are made at import; a COLUMNS set for this run (a pipe, a test, `COLUMNS=200 gongfu …`)
    decides the width of this run's tables, whatever it was at import."""
    cols = os.environ.get("COLUMNS", "")
    for c in (console, err_console):
        c.width = int(cols) if cols.isdigit() and int(cols) > 0 else None  # type: ignore[assignment]


GROUPS = (
    "db",
    "region",
    "plan",
    "catalog",
    "targets",
    "obs",
    "evaluate",
    "distribution",
    "report",
    "user",
    "serve",
    "task",
    "finding",
    "policy",
    "cases",
    "cascade",
    "data",
)
_registered = False


def _register() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    # Imported here so `gongfu --help` stays fast and a broken optional group cannot break the rest.
    import importlib

    # `gongfu plan extract …` needs the plan group only: importing every group costs a second of CPU
    words = [a for a in sys.argv[1:] if not a.startswith("-")]
    wanted = [words[0]] if words and words[0] in GROUPS and "--help" not in sys.argv else GROUPS
    for name in wanted:
        try:
            mod = importlib.import_module(f"gongfu.cli.{name}")
        except ModuleNotFoundError as exc:  # a group whose room is not built yet
            if exc.name == f"gongfu.cli.{name}":
                continue
            raise
        if hasattr(mod, "register"):  # top-level commands such as `gongfu evaluate`
            mod.register(app)
        else:
            app.add_typer(mod.app, name=mod.NAME, help=mod.HELP)


def main() -> None:
    _register()
    try:
        app()  # standalone: typer prints usage errors itself and exits
    except GongfuError as exc:
        if state.debug:
            raise
        if isinstance(exc, ValidationFailed) and exc.problems:
            from gongfu.cli._common import print_problems

            print_problems(exc, exc.file or "")
        else:
            err_console.print(f"[red]错误[/red] {exc}", highlight=False, soft_wrap=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        err_console.print("已中止")
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as exc:  # a bug: one line unless --debug
        if state.debug or "--debug" in sys.argv:
            raise
        err_console.print(f"[red]内部错误[/red] {type(exc).__name__}: {exc}（加 --debug 查看调用栈）")
        sys.exit(70)
