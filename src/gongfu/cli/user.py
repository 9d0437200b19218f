"""`gongfu user`: add, list and disable the people who sign in to the dashboard and the API."""

from __future__ import annotations

import getpass
import sys

import typer

from gongfu.cli._common import get_db, print_json, table
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
    name: str = typer.Argument(..., help="User name (sign-in name)"),
    role: str = typer.Option(..., "--role", help="admin | analyst | reporter | viewer"),
    region: str = typer.Option(..., "--region", help="Region code (or name) the user is bound to"),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from stdin"),
) -> None:
    """Add a user bound to a region subtree (a county user sees only that county)."""
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
    name: str = typer.Argument(..., help="User name"),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from stdin"),
) -> None:
    """Set a new password (≥ 10 characters, not the name, not a common one); revokes the user's sessions.

    Example: echo 'a-long-new-secret' | gongfu user password zhang --password-stdin
    """
    from gongfu.access import set_password
    from gongfu.cli import console

    revoked = set_password(get_db(), name, _read_password(password_stdin), by=_operator())
    console.print(f"已为用户 {name} 设置新密码，已注销其 {revoked} 个会话/令牌")


@app.command("list")
def list_cmd(json_out: bool = typer.Option(False, "--json", help="JSON output")) -> None:
    """List users with role, region and state."""
    from gongfu.access import list_users
    from gongfu.cli import console

    users = list_users(get_db())
    if json_out:
        print_json(users)
        return
    rows = [
        (u["name"], u["role"], u["region_code"], "已停用" if u["disabled"] else "正常",
         u["locked_until"] or "", u["last_login_at"] or "")
        for u in users
    ]  # fmt: skip
    console.print(table("用户", ["用户名", "角色", "地区", "状态", "锁定至", "最近登录"], rows))


@app.command("disable")
def disable_cmd(name: str = typer.Argument(..., help="User name")) -> None:
    """Disable a user; their sessions and tokens stop working at once."""
    from gongfu.access import disable_user
    from gongfu.cli import console

    disable_user(get_db(), name, by=_operator())
    console.print(f"已停用用户 {name}")


@app.command("enable")
def enable_cmd(name: str = typer.Argument(..., help="User name")) -> None:
    """Enable a disabled user again (audited). Example: gongfu user enable zhang"""
    from gongfu.access.accounts import enable_user
    from gongfu.cli import console

    changed = enable_user(get_db(), name, by=_operator())
    console.print(f"已启用用户 {name}" if changed else f"用户 {name} 本未停用")


@app.command("unlock")
def unlock_cmd(name: str = typer.Argument(..., help="User name")) -> None:
    """Lift a sign-in block after failed passwords (audited). Example: gongfu user unlock zhang"""
    from gongfu.access.accounts import unlock_user
    from gongfu.cli import console

    out = unlock_user(get_db(), name, by=_operator())
    console.print(f"已解除用户 {name} 的登录限制（此前失败 {out['failed_logins']} 次）")


@app.command("reset-password")
def reset_password_cmd(name: str = typer.Argument(..., help="User name")) -> None:
    """Give the user a new random password, shown once; revokes their sessions and tokens (audited).

    Example: gongfu user reset-password zhang
    """
    from gongfu.access.accounts import reset_password
    from gongfu.cli import console, err_console

    password, revoked = reset_password(get_db(), name, by=_operator())
    err_console.print(
        f"已重置用户 {name} 的密码，已注销其 {revoked} 个会话/令牌。新密码（仅显示一次，请当面交给本人）："
    )
    console.print(password, highlight=False)
