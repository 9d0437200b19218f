"""The rectification loop of a supervision finding (督查问题整改闭环) as a state machine with roles.

    open ─► assigned ─► rectifying ─► submitted ─► verified ─► closed
                            ▲              │
                            └── returned ◄─┘

The supervising side (analyst, admin) opens, assigns, verifies, returns and closes; the responsible unit's
reporter rectifies and submits. A viewer moves nothing. A move not allowed names the moves that are.
"""

from __future__ import annotations

from gongfu.errors import InputError
from gongfu.labels import FINDING_STATE_ZH
from gongfu.vocab import FindingState

STATES: tuple[str, ...] = tuple(FindingState)
STATE_NAMES = FINDING_STATE_ZH
SUPERVISORS = frozenset({"admin", "analyst"})
UNIT = frozenset({"reporter"})

# (from, to) -> roles that may make the move
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    ("open", "assigned"): SUPERVISORS,
    ("assigned", "rectifying"): UNIT,
    ("rectifying", "submitted"): UNIT,
    ("submitted", "verified"): SUPERVISORS,
    ("submitted", "returned"): SUPERVISORS,
    ("returned", "rectifying"): UNIT,
    ("verified", "closed"): SUPERVISORS,
}
OPEN_STATES = frozenset(STATES) - {"closed"}


class TransitionNotAllowed(InputError):
    """A move the machine or the role does not allow; `allowed` lists the moves open to this role."""

    def __init__(self, state: str, to: str, role: str, allowed: list[str], others: dict[str, list[str]]):
        self.state, self.to, self.role, self.allowed = state, to, role, allowed
        here = f"不允许从 {state}（{STATE_NAMES.get(state, state)}）转到 {to}"
        mine = ", ".join(allowed) if allowed else "无"
        msg = f"{here}；角色 {role} 可转到: {mine}"
        if others:
            msg += "；其他角色可转到: " + "; ".join(f"{s}（{'/'.join(r)}）" for s, r in others.items())
        super().__init__(msg)


def next_states(state: str, role: str) -> list[str]:
    """The states `role` may move a finding to from `state`, in the machine's order."""
    return [to for (frm, to), roles in TRANSITIONS.items() if frm == state and role in roles]


def check_transition(state: str, to: str, role: str) -> None:
    """Nothing when `role` may move `state` → `to`; TransitionNotAllowed (naming the allowed moves) if not."""
    if state not in STATES:
        raise InputError(f"unknown finding state {state!r}; one of {', '.join(STATES)}")
    if to not in STATES:
        raise InputError(f"unknown finding state {to!r}; one of {', '.join(STATES)}")
    if role in TRANSITIONS.get((state, to), frozenset()):
        return
    others = {
        t: sorted(roles) for (frm, t), roles in TRANSITIONS.items() if frm == state and role not in roles
    }
    raise TransitionNotAllowed(state, to, role, next_states(state, role), others)
