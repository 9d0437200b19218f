"""The work system (工作体系) and the "1+N" policy system (政策体系).

Pure logic: `status` (status, 时序进度, stalls), `findings` (the rectification state machine),
`deadlines` and `excel` (reading an office's task list), `evidence` (file type checks).
Services over the store: `service` (lists, tasks, reports, 销号), `query` (board, overdue, views),
`finding_service`, `policy`; `exports` writes the battle map, accountability sheet and 督办单.
"""

from gongfu.work.findings import STATES, TRANSITIONS, TransitionNotAllowed, check_transition, next_states
from gongfu.work.status import Alert, Rules, Status, task_state

__all__ = [
    "STATES",
    "TRANSITIONS",
    "Alert",
    "Rules",
    "Status",
    "TransitionNotAllowed",
    "check_transition",
    "next_states",
    "task_state",
]
