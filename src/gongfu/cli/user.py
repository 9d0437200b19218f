"""`gongfu user`: add, list and disable the people who sign in to the dashboard and the API."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

import typer

from gongfu.cli._common import get_db, table
from gongfu.cli.output import FORMAT, OUT, Format, emit
from gongfu.errors import InputError

NAME = "user"
HELP = "用户与权限 (角色、地区范围)"
app = typer.Typer(no_args_is_help=True)


def _operator() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:
        return "cli"


@app.command("add")
def add_cmd(
    name: str = typer.Argument(..., help="用户名（登录名）"),
    role: str = typer.Option(..., "--role", help="角色：admin、analyst、reporter 或 viewer"),
    region: str = typer.Option(..., "--region", help="用户绑定的地区（代码或名称）"),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="从标准输入读取密码"),
) -> None:
    """新增用户并绑定地区（县级用户只能看到本县）。

    示例: gongfu user add wang --role analyst --region 330411
    """
    from gongfu.access import add_user
    from gongfu.cli import console

    password = _read_password(password_stdin)
    user = add_user(get_db(), name, role=role, region=region, password=password, by=_operator())
    console.print(f"已添加用户 {user.name}（{user.role}，地区 {user.region_code}）")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass("密码: ")
    if getpass.getpass("再次输入: ") != password:
        raise InputError("the two passwords differ")
    return password


@app.command("password")
def password_cmd(
    name: str = typer.Argument(..., help="用户名"),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="从标准输入读取密码"),
) -> None:
    """设置新密码（至少 10 位，不能是用户名或常见密码）；该用户已有的会话随即失效。

    示例: gongfu user password wang
    """
    from gongfu.access import set_password
    from gongfu.cli import console

    revoked = set_password(get_db(), name, _read_password(password_stdin), by=_operator())
    console.print(f"已为用户 {name} 设置新密码，已注销其 {revoked} 个会话/令牌")


@app.command("list")
def list_cmd(fmt: Format = FORMAT, out: Path | None = OUT) -> None:
    """列出用户及其角色、地区与状态。

    示例: gongfu user list --format json
    """
    from gongfu.access import list_users
    from gongfu.cli import console

    users = list_users(get_db())
    if emit(users, fmt, out, name=NAME):
        return
    rows = [
        (u["name"], u["role"], u["region_code"], "已停用" if u["disabled"] else "正常",
         u["locked_until"] or "", u["last_login_at"] or "")
        for u in users
    ]  # fmt: skip
    console.print(table("用户", ["用户名", "角色", "地区", "状态", "锁定至", "最近登录"], rows))


@app.command("disable")
def disable_cmd(name: str = typer.Argument(..., help="用户名")) -> None:
    """停用用户；其会话与令牌立即失效。

    示例: gongfu user disable wang
    """
    from gongfu.access import disable_user
    from gongfu.cli import console

    disable_user(get_db(), name, by=_operator())
    console.print(f"已停用用户 {name}")


@app.command("enable")
def enable_cmd(name: str = typer.Argument(..., help="用户名")) -> None:
    """重新启用已停用的用户（留有审计记录）。

    示例: gongfu user enable zhang
    """
    from gongfu.access.accounts import enable_user
    from gongfu.cli import console

    changed = enable_user(get_db(), name, by=_operator())
    console.print(f"已启用用户 {name}" if changed else f"用户 {name} 本未停用")


@app.command("unlock")
def unlock_cmd(name: str = typer.Argument(..., help="用户名")) -> None:
    """解除因多次密码错误而被限制的登录（留有审计记录）。

    示例: gongfu user unlock zhang
    """
    from gongfu.access.accounts import unlock_user
    from gongfu.cli import console

    out = unlock_user(get_db(), name, by=_operator())
    console.print(f"已解除用户 {name} 的登录限制（此前失败 {out['failed_logins']} 次）")


@app.command("reset-password")
def reset_password_cmd(name: str = typer.Argument(..., help="用户名")) -> None:
    """为用户生成新的随机密码（只显示一次）；其会话与令牌随即失效（留有审计记录）。

    示例: gongfu user reset-password zhang
    """
    from gongfu.access.accounts import reset_password
    from gongfu.cli import console, err_console

    password, revoked = reset_password(get_db(), name, by=_operator())
    err_console.print(
        f"已重置用户 {name} 的密码，已注销其 {revoked} 个会话/令牌。新密码（仅显示一次，请当面交给本人）："
    )
    console.print(password, highlight=False)
