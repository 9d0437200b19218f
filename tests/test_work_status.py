"""Task status, 时序进度 and stalls: worked examples and hypothesis properties."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from gongfu.work.status import STATUS_ORDER, Alert, Rules, Status, schedule, task_state, time_share

D0 = date(2024, 1, 1)
DUE = date(2024, 12, 31)


def test_half_the_year_gone_and_nothing_done_is_lagging() -> None:
    s = task_state(start=D0, due=DUE, percent=0, as_of=date(2024, 7, 1))
    assert s.status is Status.LAGGING and s.schedule.warning is Alert.BEHIND
    assert abs(s.schedule.time_share - 182 / 365) < 1e-9 and s.schedule.gap > 0.25


def test_early_in_the_period_nothing_done_is_not_started() -> None:
    assert task_state(start=D0, due=DUE, percent=0, as_of=date(2024, 1, 20)).status is Status.NOT_STARTED


def test_on_pace_is_in_progress_slightly_behind_is_watched() -> None:
    on = task_state(start=D0, due=DUE, percent=50, as_of=date(2024, 7, 1))
    assert on.status is Status.IN_PROGRESS and on.schedule.warning is Alert.NONE
    watch = schedule(D0, DUE, 35, date(2024, 7, 1))
    assert watch.warning is Alert.WATCH


def test_past_due_unfinished_is_overdue_and_lagging_finished_is_done() -> None:
    late = task_state(start=D0, due=DUE, percent=99, as_of=date(2025, 1, 1))
    assert late.status is Status.LAGGING and late.schedule.overdue and late.schedule.warning is Alert.OVERDUE
    assert task_state(start=D0, due=DUE, percent=100, as_of=date(2025, 1, 1)).status is Status.DONE


def test_checked_off_wins_over_everything() -> None:
    s = task_state(start=D0, due=DUE, percent=10, as_of=date(2026, 1, 1), checked_off=True)
    assert s.status is Status.CHECKED_OFF and not s.stalled


def test_stalled_after_n_days_without_report() -> None:
    rules = Rules(stall_days=30)
    quiet = task_state(start=D0, due=DUE, percent=40, as_of=date(2024, 6, 1), last_report=date(2024, 5, 1),
                       rules=rules)  # fmt: skip
    fresh = task_state(start=D0, due=DUE, percent=40, as_of=date(2024, 6, 1), last_report=date(2024, 5, 10),
                       rules=rules)  # fmt: skip
    assert quiet.stalled and quiet.days_since_report == 31
    assert not fresh.stalled and fresh.days_since_report == 22
    never = task_state(start=D0, due=DUE, percent=0, as_of=date(2024, 2, 1), rules=rules)
    assert never.stalled and never.days_since_report is None


def test_no_due_date_means_no_time_progress() -> None:
    s = task_state(start=D0, due=None, percent=20, as_of=date(2030, 1, 1))
    assert s.schedule.time_share is None and s.schedule.gap is None and s.status is Status.IN_PROGRESS


days = st.integers(min_value=-400, max_value=1200)
percents = st.floats(min_value=0, max_value=100, allow_nan=False)


@given(length=st.integers(0, 1500), a=days, b=days)
def test_time_share_is_within_0_1_and_never_falls(length: int, a: int, b: int) -> None:
    due = D0 + timedelta(days=length)
    x, y = sorted((a, b))
    sx, sy = time_share(D0, due, D0 + timedelta(days=x)), time_share(D0, due, D0 + timedelta(days=y))
    assert 0.0 <= sx <= sy <= 1.0


@given(length=st.integers(1, 1500), day=days, p=percents)
def test_gap_is_time_minus_work_and_status_follows_it(length: int, day: int, p: float) -> None:
    due = D0 + timedelta(days=length)
    as_of = D0 + timedelta(days=day)
    s = task_state(start=D0, due=due, percent=p, as_of=as_of)
    assert abs(s.schedule.gap - (s.schedule.time_share - p / 100)) < 1e-12
    if p >= 100:
        assert s.status is Status.DONE
    elif as_of > due:
        assert s.status is Status.LAGGING and s.schedule.overdue
    elif s.schedule.gap > Rules().behind_gap:
        assert s.status is Status.LAGGING
    else:
        assert s.status in (Status.NOT_STARTED, Status.IN_PROGRESS)


@given(length=st.integers(1, 1500), day=days, p=percents, q=percents)
def test_more_work_done_never_makes_the_status_worse(length: int, day: int, p: float, q: float) -> None:
    due, as_of = D0 + timedelta(days=length), D0 + timedelta(days=day)
    lo, hi = sorted((p, q))
    rank = {s: i for i, s in enumerate(STATUS_ORDER)}
    a = task_state(start=D0, due=due, percent=lo, as_of=as_of).status
    b = task_state(start=D0, due=due, percent=hi, as_of=as_of).status
    # 未启动 and 推进中 are not better than each other in lateness terms; only lagging → better is ordered
    if a is Status.NOT_STARTED and b is Status.IN_PROGRESS:
        return
    assert rank[b] >= rank[a]


@given(p=percents, day=days, done=st.booleans())
def test_checked_off_iff_status_checked_off(p: float, day: int, done: bool) -> None:
    s = task_state(start=D0, due=DUE, percent=p, as_of=D0 + timedelta(days=day), checked_off=done)
    assert (s.status is Status.CHECKED_OFF) == done


def test_policy_words_are_read_in_simplified_script() -> None:
    from gongfu.work.policy import words

    assert "乡村" in words("全面推進鄉村振興戰略") and "振兴" in words("全面推進鄉村振興戰略")
    assert words("鄉村振興", search=False) == words("乡村振兴", search=False)
