"""The case life cycle: 受理 → 分派 → 签收 → 办理 → 办结 → 回访 → 归档, with 退单, re-routing and reopen.

`check(action, state, role)` is the one place that says which move is allowed from which state by whom.
Roles here are case roles; `gongfu.cases.service` maps a user's access role onto them.
"""

from __future__ import annotations

from dataclasses import dataclass

from gongfu.errors import ConflictError, ScopeError
from gongfu.labels import CASE_STATE_ZH
from gongfu.vocab import CaseState

STATES: tuple[str, ...] = tuple(CaseState)
STATE_ZH = CASE_STATE_ZH
OPEN_STATES = frozenset({"received", "dispatched", "signed", "handling"})
DONE_STATES = frozenset({"closed", "visited", "archived"})
CASE_ROLES = ("dispatcher", "unit", "intake", "system")
ROLE_ZH = {"dispatcher": "调度员", "unit": "承办单位", "intake": "受理员", "system": "系统"}


@dataclass(frozen=True)
class Move:
    action: str
    zh: str
    sources: frozenset[str]
    target: str | None  # None: the state does not change (joint handling)
    roles: frozenset[str]


def _m(action: str, zh: str, sources: str, target: str | None, roles: str) -> Move:
    return Move(action, zh, frozenset(sources.split()), target, frozenset(roles.split()))


MOVES: dict[str, Move] = {
    m.action: m
    for m in (
        _m("dispatch", "分派", "received", "dispatched", "dispatcher system"),
        _m("reroute", "改派", "dispatched signed handling", "dispatched", "dispatcher"),
        _m("return", "退单", "dispatched signed", "received", "unit"),
        _m("sign", "签收", "dispatched", "signed", "unit"),
        _m("handle", "办理", "signed", "handling", "unit"),
        _m("close", "办结", "signed handling", "closed", "unit"),
        _m("callback", "回访", "closed", "visited", "dispatcher"),
        _m("archive", "归档", "visited", "archived", "dispatcher system"),
        _m("reopen", "重办", "closed visited archived", "received", "dispatcher"),
        _m("escalate", "升级", "received dispatched signed handling", "dispatched", "system dispatcher"),
        _m("join", "吹哨报到", "dispatched signed handling", None, "dispatcher unit"),
    )
}

ACTION_ZH = {m.zh: m.action for m in MOVES.values()}  # 分派 → dispatch: the Chinese names are aliases


def action_of(name: str) -> str:
    """The action for its English or Chinese name (分派 → dispatch); an unknown name is returned as given."""
    name = name.strip()
    return ACTION_ZH.get(name, name)


def check(action: str, state: str, role: str) -> str:
    """The state after `action`; ConflictError from a state it cannot start from, ScopeError for a role."""
    move = MOVES.get(action)
    if move is None:
        raise ConflictError(f"unknown action {action!r}; one of {', '.join(MOVES)}")
    if role not in move.roles:
        allowed = "、".join(ROLE_ZH[r] for r in sorted(move.roles))
        raise ScopeError(f"{ROLE_ZH.get(role, role)}不能{move.zh}（可{move.zh}的角色：{allowed}）")
    if state not in move.sources:
        raise ConflictError(
            f"处于“{STATE_ZH.get(state, state)}”的诉求不能{move.zh}"
            f"（可从：{'、'.join(STATE_ZH[s] for s in STATES if s in move.sources)}）"
        )
    return move.target or state


def open311_status(state: str) -> str:
    """GeoReport v2 knows only open and closed."""
    return "closed" if state in DONE_STATES else "open"
