"""The rectification loop of a supervision finding (督查问题整改闭环) as a state machine with roles.

    open ─► assigned ─► rectifying ─► submitted ─► verified ─► closed
                            ▲              │
                            └── returned ◄─┘

Who may make a move is one table, `MOVES`: the roles that may, and the side they must be on.
The raising side (督查方) is who raised the finding, or an analyst or admin bound to the raiser's region or
above it; the rectifying side (整改方) is the responsible unit's reporter, inside the finding's region. So the
rectified party never verifies its own rectification: a county analyst does not verify a finding the city
raised against the county. A viewer moves nothing. A move not allowed names the moves that are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from gongfu.errors import InputError
from gongfu.labels import FINDING_STATE_ZH
from gongfu.vocab import FindingState

STATES: tuple[str, ...] = tuple(FindingState)
STATE_NAMES = FINDING_STATE_ZH
SUPERVISORS = frozenset({"admin", "analyst"})
UNIT = frozenset({"reporter"})
RAISING, RECTIFYING = "raising", "rectifying"
SIDE_NAMES = {
    RAISING: "督查方（提出者或其所在及上级地区的督查人员）",
    RECTIFYING: "整改方（问题所在地区的责任单位）",
}


@dataclass(frozen=True)
class Move:
    roles: frozenset[str]
    side: str


# (from, to) -> who may: the one statement of the separation of duties
MOVES: dict[tuple[str, str], Move] = {
    ("open", "assigned"): Move(SUPERVISORS, RAISING),
    ("assigned", "rectifying"): Move(UNIT, RECTIFYING),
    ("rectifying", "submitted"): Move(UNIT, RECTIFYING),
    ("submitted", "verified"): Move(SUPERVISORS, RAISING),
    ("submitted", "returned"): Move(SUPERVISORS, RAISING),
    ("returned", "rectifying"): Move(UNIT, RECTIFYING),
    ("verified", "closed"): Move(SUPERVISORS, RAISING),
}
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {k: m.roles for k, m in MOVES.items()}
OPEN_STATES = frozenset(STATES) - {"closed"}


class TransitionNotAllowed(InputError):
    """A move the machine or the role does not allow; `allowed` lists the moves open to this role."""

    def __init__(self, state: str, to: str, role: str, allowed: list[str], others: dict[str, list[str]],
                 side: str = ""):  # fmt: skip
        self.state, self.to, self.role, self.allowed = state, to, role, allowed
        here = f"不允许从 {state}（{STATE_NAMES.get(state, state)}）转到 {to}"
        if side:
            here += f"：此步须由{side}完成"
        mine = ", ".join(allowed) if allowed else "无"
        msg = f"{here}；角色 {role} 可转到: {mine}"
        if others:
            msg += "；其他角色可转到: " + "; ".join(f"{s}（{'/'.join(r)}）" for s, r in others.items())
        super().__init__(msg)


def sides_of(actor: str, actor_region: str, *, raiser: str, raised_in: str | None, finding_region: str,
             is_within: Callable[[str, str], bool]) -> frozenset[str]:  # fmt: skip
    """The sides an actor stands on for one finding. `is_within(a, b)`: region a lies in b's subtree.

    A finding stored before the raiser's region was recorded (`raised_in` None) counts as raised from
    above its region: its raising side is the raiser or whoever is bound strictly above the finding.
    """
    if raised_in is not None:
        raising = is_within(raised_in, actor_region)
    else:
        raising = actor_region != finding_region and is_within(finding_region, actor_region)
    sides = {RAISING} if raising or actor == raiser else set()
    if is_within(actor_region, finding_region):
        sides.add(RECTIFYING)
    return frozenset(sides)


def _may(move: Move | None, role: str, sides: frozenset[str] | None) -> bool:
    return move is not None and role in move.roles and (sides is None or move.side in sides)


def next_states(state: str, role: str, sides: frozenset[str] | None = None) -> list[str]:
    """The states `role` (on `sides`; None: any side) may move a finding to from `state`, in order."""
    return [to for (frm, to), m in MOVES.items() if frm == state and _may(m, role, sides)]


def check_transition(state: str, to: str, role: str, sides: frozenset[str] | None = None) -> None:
    """Nothing when `role` on `sides` may move `state` → `to`; TransitionNotAllowed naming the allowed moves.

    `sides` None checks the role alone (the machine as drawn); the service always passes the actor's sides.
    """
    if state not in STATES:
        raise InputError(f"unknown finding state {state!r}; one of {', '.join(STATES)}")
    if to not in STATES:
        raise InputError(f"unknown finding state {to!r}; one of {', '.join(STATES)}")
    move = MOVES.get((state, to))
    if _may(move, role, sides):
        return
    if move is not None and role in move.roles:  # the right role on the wrong side
        raise TransitionNotAllowed(state, to, role, next_states(state, role, sides), {},
                                   side=SIDE_NAMES[move.side] + ("，被整改方不能核验自己的整改" if move.side == RAISING else ""))  # fmt: skip
    others = {
        t: sorted(roles) for (frm, t), roles in TRANSITIONS.items() if frm == state and role not in roles
    }
    raise TransitionNotAllowed(state, to, role, next_states(state, role), others)
