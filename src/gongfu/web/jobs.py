"""Background imports: a large upload is imported by a worker thread, not inside its request.

The request answers 202 at once with the job's id; `GET /api/v1/jobs/{id}` (and the page `/jobs/{id}`) shows
its state, while it runs its progress (`progress`: the phase — reading, checking, storing — and the rows of it
done so far, of how many when known), and, when done, the same result or problems the request would have answered. Jobs live in the
server's memory: a restart forgets them (the import itself is one transaction, all rows or none).
"""

from __future__ import annotations

import itertools
import shutil
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi import Path as PathParam
from fastapi.responses import Response

from gongfu.access.scope import Scope
from gongfu.errors import GongfuError, NotFound
from gongfu.web.auth import User, api_scope

WORKERS = 2  # imports at once; more wait their turn (queued)
KEEP = 200  # finished jobs remembered
PHASE_ZH = {"queued": "排队中", "running": "导入中", "done": "已完成", "failed": "失败"}


@dataclass
class Job:
    id: int
    owner: str
    kind: str
    file: str
    state: str = "queued"
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    finished_at: datetime | None = None
    result: dict | None = None
    error: dict | None = None
    status: int = 202
    phase: str | None = None  # while running: reading, checking or storing (`gongfu.progress`)
    rows: int = 0  # rows of the phase done so far
    total: int | None = None  # rows of the phase in all, when known

    def advance(self, phase: str, done: int, total: int | None) -> None:
        self.phase, self.rows, self.total = phase, done, total

    def json(self) -> dict:
        from gongfu.progress import PHASE_ZH as STEP_ZH

        step = {"phase": self.phase, "phase_zh": STEP_ZH.get(self.phase or "", ""), "rows": self.rows,
                "total": self.total}  # fmt: skip
        return {
            "id": self.id, "kind": self.kind, "file": self.file, "state": self.state,
            "state_zh": PHASE_ZH[self.state], "created_at": self.created_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "progress": step, "result": self.result, "error": self.error, "status": self.status,
        }  # fmt: skip


class Jobs:
    """The server's import jobs: submit work with its temporary folder, look jobs up by id and owner."""

    def __init__(self, workers: int = WORKERS) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="gongfu-import")
        self._jobs: dict[int, Job] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def submit(self, owner: str, kind: str, file: str, work: Callable[[], dict], folder: Path | None) -> Job:
        from gongfu.web.errors import body_of, status_of

        job = Job(next(self._ids), owner, kind, file)

        def run() -> None:
            from gongfu import progress

            job.state = "running"
            try:
                with progress.listening(job.advance):
                    result = work()
                job.result, job.state, job.status = result, "done", 201
            except GongfuError as exc:
                job.error, job.state, job.status = body_of(exc), "failed", status_of(exc)
            except Exception as exc:  # reported on the job, never lost in a thread
                job.error, job.state, job.status = (
                    {"detail": f"导入失败：{type(exc).__name__}"},
                    "failed",
                    500,
                )
            finally:
                job.finished_at = datetime.now(UTC)
                if folder is not None:
                    shutil.rmtree(folder, ignore_errors=True)

        with self._lock:
            self._jobs[job.id] = job
            done = [j for j in self._jobs.values() if j.finished_at is not None]
            for old in done[: max(0, len(done) - KEEP)]:
                del self._jobs[old.id]
        self._pool.submit(run)
        return job

    def get(self, job_id: int, owner: str) -> Job:
        job = self._jobs.get(job_id)
        if job is None or job.owner != owner:
            raise NotFound(f"没有编号为 {job_id} 的导入任务（或不是您提交的）")
        return job

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


ScopeDep = Annotated[Scope, Depends(api_scope)]
JobId = Annotated[int, PathParam(ge=1, le=2**31 - 1)]


def router() -> APIRouter:
    """GET /api/v1/jobs/{id}: the phase and, once finished, the result or problems of one's own import job."""
    from gongfu.web.api.models import Record
    from gongfu.web.api.params import API_PREFIX, ERRORS

    r = APIRouter(prefix=API_PREFIX, tags=["jobs"], responses=ERRORS)

    @r.get("/jobs/{job_id}", response_model=Record)
    def job_status(request: Request, scope: ScopeDep, job_id: JobId) -> dict:
        return request.app.state.jobs.get(job_id, scope.actor).json()

    return r


def page_router() -> APIRouter:
    """GET /jobs/{id}: the upload result of one's own job, as the upload page shows it (htmx polls it)."""
    r = APIRouter(include_in_schema=False)

    @r.get("/jobs/{job_id}")
    def job_page(request: Request, auth: User, job_id: JobId) -> Response:
        from gongfu.web import pages

        job = request.app.state.jobs.get(job_id, auth.scope.actor)
        fragment = request.headers.get("HX-Request") == "true"
        return pages.render(request, "_upload_result.html" if fragment else "upload.html", auth,
                            job=job.json(), result=job.result, error=job.error)  # fmt: skip

    return r
