"""The rectification state machine: every (from, to) pair for every role, allowed or refused."""

from __future__ import annotations

import itertools

import pytest

from gongfu.access.roles import ROLES
from gongfu.work.findings import STATES, TRANSITIONS, TransitionNotAllowed, check_transition, next_states

# The loop as the issue states it, written out independently of the module's table.
EXPECTED = {
    ("open", "assigned"): {"admin", "analyst"},
    ("assigned", "rectifying"): {"reporter"},
    ("rectifying", "submitted"): {"reporter"},
    ("submitted", "verified"): {"admin", "analyst"},
    ("submitted", "returned"): {"admin", "analyst"},
    ("returned", "rectifying"): {"reporter"},
    ("verified", "closed"): {"admin", "analyst"},
}
CASES = list(itertools.product(STATES, STATES, ROLES))


def test_the_table_is_the_loop_of_the_issue() -> None:
    assert {k: set(v) for k, v in TRANSITIONS.items()} == EXPECTED


@pytest.mark.parametrize(("frm", "to", "role"), CASES, ids=[f"{a}->{b}-{r}" for a, b, r in CASES])
def test_each_move_for_each_role(frm: str, to: str, role: str) -> None:
    if role in EXPECTED.get((frm, to), set()):
        check_transition(frm, to, role)
        assert to in next_states(frm, role)
        return
    with pytest.raises(TransitionNotAllowed) as exc:
        check_transition(frm, to, role)
    allowed = sorted(t for (f, t), roles in EXPECTED.items() if f == frm and role in roles)
    assert sorted(exc.value.allowed) == allowed
    shown = ", ".join(exc.value.allowed) if allowed else "无"
    assert f"角色 {role} 可转到: {shown}" in str(exc.value)


def test_the_message_names_what_other_roles_may_do() -> None:
    with pytest.raises(TransitionNotAllowed, match=r"其他角色可转到: rectifying（reporter）"):
        check_transition("assigned", "closed", "analyst")


def test_viewer_moves_nothing_and_closed_is_final() -> None:
    assert all(next_states(s, "viewer") == [] for s in STATES)
    assert all(next_states("closed", r) == [] for r in ROLES)


def test_unknown_state_is_an_input_error_listing_the_states() -> None:
    with pytest.raises(Exception, match="one of open, assigned"):
        check_transition("open", "done", "admin")
