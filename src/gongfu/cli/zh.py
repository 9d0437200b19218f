"""Typer's own words in Chinese: help headings, the usage line, type names, the help option and usage errors.

Typer (0.29) renders help and errors with its vendored Click, whose strings are English and mostly not
behind gettext; `install()` replaces them where they are made, once, before the first command runs. A
message this table does not know is shown as Typer wrote it (a new Typer may add one; the CLI test that
scans every command's help and the usage errors for English words tells).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

# Typer's type names shown as <…> after an option
TYPES = {
    "str": "文本",
    "int": "整数",
    "float": "数值",
    "bool": "开关",
    "path": "路径",
    "file": "文件",
    "dir": "目录",
    "directory": "目录",
    "datetime": "日期",
    "date": "日期",
    "uuid": "编号",
    "%Y-%m-%d": "年-月-日",
    "float range": "数值范围",
    "int range": "整数范围",
}
WORDS = {
    "[OPTIONS]": "[选项]",
    "COMMAND [ARGS]...": "命令 [参数]...",
    "Arguments": "参数",
    "Options": "选项",
    "Commands": "命令",
    "Error": "错误",
    "Aborted.": "已中止。",
    "Aborted!": "已中止。",
    "(deprecated) ": "（已停用）",
    "[default: {}]": "[默认：{}]",
    "[env var: {}]": "[环境变量：{}]",
    "[required]": "[必填]",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "required": "必填",
    "(dynamic)": "（动态）",
    "Missing command.": "缺少子命令。",
    "Try [blue]'{command_path} {help_option}'[/] for help.": "运行 [blue]'{command_path} {help_option}'[/] 查看帮助。",
}
HELP_OPTION = "显示本帮助并退出。"
USAGE = "用法："

# Usage-error messages as Typer words them → Chinese; applied in order, each to what the previous left
_TABLE = {  # English pattern → Chinese replacement (re.sub), in order
    r"^No such option: (\S+) \(Possible options: (.+)\)$": r"没有选项 \1（可用的选项：\2）",
    r"^No such option: (\S+)$": r"没有选项 \1",
    r"^No such command '(.+?)'\. Did you mean (.+)\?$": r"没有命令“\1”。是不是 \2？",
    r"^No such command '(.+?)'\.$": r"没有命令“\1”。",
    r"^Missing command\.$": "缺少子命令。",
    r"^Missing argument '(.+?)'\.(.*)$": r"缺少参数“\1”。\2",
    r"^Missing option '(.+?)'\.(.*)$": r"缺少选项 \1。\2",
    r"^Missing parameter: (.+)$": r"缺少参数：\1",
    r"^Option '(.+?)' requires an argument\.$": r"选项 \1 需要一个值。",
    r"^Option '(.+?)' requires (\d+) arguments\.$": r"选项 \1 需要\2个值。",
    r"^Option '(.+?)' does not take a value\.$": r"选项 \1 不带值。",
    r"^Got unexpected extra argument(?:s|\(s\))? \((.+)\)$": r"多余的参数：\1",
    r"^Invalid value: (.+)$": r"值无效：\1",
    r"Input should be a valid integer.*": "应为整数。",
    r"Input should be a valid number.*": "应为数值。",
    r"Input should be a valid (?:date|datetime).*": "应为日期（年-月-日）。",
    r"Input should be a valid boolean.*": "应为是或否。",
    r"Input should be (?:greater than or equal to|>=) (\S+?)\.?$": r"应不小于\1。",
    r"Input should be (?:less than or equal to|<=) (\S+?)\.?$": r"应不大于\1。",
    r"Value error, ": "",
    r"'(.*?)' is not one of (.+)\.$": r"“\1”不是可选的值（\2）。",
    r"'(.*?)' is not a valid integer\.?": r"“\1”不是整数。",
    r"'(.*?)' is not a valid float\.?": r"“\1”不是数值。",
    r"'(.*?)' does not match the formats? (.+?)\.?$": r"“\1”不是日期（格式 \2）。",
    r"(?:File|Path|Directory) '(.+?)' does not exist\.?": r"文件“\1”不存在。",
    r"'(.+?)' does not exist\.?": r"“\1”不存在。",
    r"(?:File|Path) '(.+?)' is a directory\.?": r"“\1”是目录，不是文件。",
    r"(?:Directory|Path) '(.+?)' is a file\.?": r"“\1”是文件，不是目录。",
    r"Did you mean (.+?)\?": r"是不是 \1？",
    r"%Y-%m-%d": "年-月-日",
}
_MESSAGES = [(re.compile(pattern, re.S), replacement) for pattern, replacement in _TABLE.items()]


def message(text: str) -> str:
    """A usage-error message in Chinese (as Typer worded it where the table does not know it)."""
    if m := re.match(r"Invalid value for (.+?): (.*)$", text, re.S):
        return f"{m.group(1)} 的值无效：{message(m.group(2))}"
    for pattern, replacement in _MESSAGES:
        text = pattern.sub(replacement, text)
    return text


def _zh(s: str) -> str:
    return WORDS.get(s, s)


_installed = False


def install() -> None:
    """Put the Chinese words in place in Typer; idempotent."""
    global _installed
    if _installed:
        return
    _installed = True
    from typer import core, rich_utils
    from typer._click import core as click_core
    from typer._click import decorators, exceptions, formatting

    for name in (
        "DEPRECATED_STRING",
        "DEFAULT_STRING",
        "ENVVAR_STRING",
        "REQUIRED_LONG_STRING",
        "ARGUMENTS_PANEL_TITLE",
        "OPTIONS_PANEL_TITLE",
        "COMMANDS_PANEL_TITLE",
        "ERRORS_PANEL_TITLE",
        "ABORTED_TEXT",
        "RICH_HELP",
    ):
        setattr(rich_utils, name, _zh(getattr(rich_utils, name)))
    core._ = _zh  # type: ignore[attr-defined]  # typer.core's gettext calls (default:, required, …)

    plain_help_option = decorators.help_option

    def help_option(param_decls: list[str]) -> Callable[[Any], Any]:
        add = plain_help_option(param_decls)

        def apply(cmd: Any) -> Any:
            cmd = add(cmd)
            cmd.params[-1].help = HELP_OPTION
            return cmd

        return apply

    decorators.help_option = help_option

    write_usage = formatting.HelpFormatter.write_usage

    def zh_write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, args, USAGE if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = zh_write_usage  # type: ignore[method-assign]
    rich_utils.highlighter.highlights = [  # the usage line's prefix is coloured by a pattern
        p.replace("Usage: ", USAGE) for p in rich_utils.highlighter.highlights
    ]

    for cls in (click_core.Command, core.TyperGroup):
        pieces = cls.collect_usage_pieces

        def zh_pieces(self: Any, ctx: Any, _pieces: Callable[..., list[str]] = pieces) -> list[str]:
            return [_zh(p) for p in _pieces(self, ctx)]

        cls.collect_usage_pieces = zh_pieces  # type: ignore[method-assign]

    display_type = core._TyperParameter.display_type

    def zh_display_type(self: Any, ctx: Any) -> str:
        shown = display_type(self, ctx)
        inner = shown[1:-1] if shown.startswith("<") and shown.endswith(">") else shown
        if "%Y" in inner:  # date formats such as %Y-%m-%d|%Y/%m/%d
            return "<日期>"
        if m := re.fullmatch(r"list\[(.+)\]", inner):
            return f"<{TYPES.get(m.group(1).lower(), m.group(1))}…>"
        return f"<{TYPES.get(inner.lower(), inner)}>"

    core._TyperParameter.display_type = zh_display_type  # type: ignore[method-assign]

    for cls in (core.TyperOption, core.TyperArgument):  # "[0<=x<=100]" → "[0<=值<=100]"
        range_help = cls._get_number_range_help_str

        def zh_range(self: Any, _plain: Callable[[Any], str | None] = range_help) -> str | None:
            shown = _plain(self)
            return shown.replace("x", "值") if shown else shown

        cls._get_number_range_help_str = zh_range  # type: ignore[method-assign]

    raw_name = core._TyperParameter.display_name_raw

    def zh_display_name(self: Any) -> str:
        """An argument without a metavar is shown by the head of its (Chinese) help: 方案编号, not plan_id."""
        if isinstance(self, core.TyperArgument) and self.metavar is None and self.help:
            head = re.split(r"[（(，,：:；;。]", self.help, maxsplit=1)[0].strip()
            if head and len(head) <= 12:
                return head
        return raw_name.fget(self)  # type: ignore[attr-defined]

    core._TyperParameter.display_name_raw = property(zh_display_name)  # type: ignore[assignment]

    format_message = {cls: cls.format_message for cls in _exception_classes(exceptions)}
    for cls, plain in format_message.items():

        def zh_format(self: Any, _plain: Callable[[Any], str] = plain) -> str:
            return message(_plain(self))

        cls.format_message = zh_format  # type: ignore[method-assign]


def _exception_classes(module: Any) -> list[type]:
    """Every exception class in `module` that defines its own format_message."""
    return [
        v
        for v in vars(module).values()
        if isinstance(v, type) and issubclass(v, Exception) and "format_message" in vars(v)
    ]
