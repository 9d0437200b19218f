"""Bounded uploads: a size limit per request (checked while the body arrives), per file (checked while it is
copied), and a safe file name on disk; the copying runs off the event loop.

    BodyLimit            ASGI middleware: 413 once a request body passes its endpoint's limit, before the
                         multipart parser has spooled it; a declared Content-Length over it is refused unread.
    received(upload)     copies one UploadFile in 1 MiB chunks into a private temporary directory under a name
                         made from the client's (cleaned, cut to fit any file system, never used as given).

The per-file limit and the job threshold are settings (`GONGFU_UPLOAD_MAX_BYTES`, `GONGFU_IMPORT_JOB_BYTES`);
each endpoint's request limit is a multiple of the file limit, in `BODY_LIMITS`.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import Request, UploadFile
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gongfu.errors import InputError
from gongfu.settings import Settings, settings
from gongfu.tabular.zipguard import check_zip
from gongfu.text.names import display_name, suffix_of

if TYPE_CHECKING:
    from gongfu.web.jobs import Job

MiB = 1024 * 1024
FILE_LIMIT = Settings.model_fields["upload_max_bytes"].default  # the default; the running value is settings()
MAX_FILES = 10  # files in one request (evidence)
DEFAULT_BODY_LIMIT = 1 * MiB  # any request body not listed below: forms, JSON
_API = r"(?:/api(?:/v\d+)?)?"
# (method, path) -> how many files' worth (plus 1 MiB of form) one request body may hold
BODY_LIMITS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(rf"^POST {_API}/plans$"), 1),
    (re.compile(rf"^POST {_API}/observations$"), 1),
    (re.compile(r"^POST /upload$"), 1),
    (re.compile(rf"^POST {_API}/work/lists/import$"), 1),
    (re.compile(rf"^POST {_API}/work/tasks/\d+/reports$"), 2),  # evidence: all files of one report
    (re.compile(rf"^POST {_API}/work/findings/\d+/move$"), 2),
    (re.compile(rf"^POST {_API}/cascade/import$"), 1),
    (re.compile(r"^POST /reporting/forms/\d+$"), 2),  # a form with its evidence files
)
CHUNK = MiB
_UNSAFE_ON_DISK = re.compile(r'[\\/:*?"<>|]')


class PayloadTooLarge(InputError):
    """A request or a file larger than its limit (HTTP 413)."""


def file_limit() -> int:
    return settings().upload_max_bytes


def body_limit(method: str, path: str, per_file: int | None = None) -> int:
    key = f"{method.upper()} {path}"
    for pattern, files in BODY_LIMITS:
        if pattern.match(key):
            return files * (per_file or file_limit()) + MiB
    return DEFAULT_BODY_LIMIT


def _mb(n: int) -> str:
    return f"{n / MiB:.0f} MB"


class _Overflow(Exception):
    pass


class BodyLimit:
    """Refuse (413, in Chinese) a request body larger than `body_limit` for its endpoint, while it arrives."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.per_file = file_limit()  # read once, when the app is built

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        limit = body_limit(scope["method"], scope["path"], self.per_file)
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await _refuse(send, limit)
            return
        seen, over, started = 0, False, False

        async def counted() -> Message:
            nonlocal seen, over
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    over = True
                    raise _Overflow
            return message

        async def guarded(message: Message) -> None:
            nonlocal started
            if over:  # whatever the app answers after the overflow (a parse error) becomes the 413
                if message["type"] == "http.response.start" and not started:
                    started = True
                    await _refuse(send, limit)
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, guarded)
        except _Overflow:
            if not started:
                await _refuse(send, limit)


async def _refuse(send: Send, limit: int) -> None:
    import json

    body = json.dumps({"detail": f"请求过大：此接口一次最多接收 {_mb(limit)}"}, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": 413, "headers": [
        (b"content-type", b"application/json; charset=utf-8"), (b"content-length", str(len(body)).encode()),
        (b"connection", b"close")]})  # fmt: skip
    await send({"type": "http.response.body", "body": body})


@dataclass(frozen=True)
class Received:
    """An upload on disk: where, the name to show and store, the client's original (data only), size, hash."""

    path: Path
    name: str
    original: str
    size: int
    sha256: str


def disk_name(name: str, suffix: str) -> str:
    """A file name safe on any file system: the shown name without separators, at most 150 UTF-8 bytes."""
    stem = (
        _UNSAFE_ON_DISK.sub("_", name[: len(name) - len(suffix)] if suffix else name).strip(". ") or "upload"
    )
    while len(stem.encode()) > 150 - len(suffix):
        stem = stem[:-1]
    return (stem or "upload") + suffix


def check_name(file_name: str | None, suffixes: Iterable[str]) -> tuple[str, str]:
    """(the name to show, its suffix) for an accepted type; InputError naming the accepted types if not."""
    allowed = tuple(suffixes)
    name = display_name(file_name or "")
    suffix = suffix_of(name)
    if not name or suffix not in allowed:
        raise InputError(f"unsupported file {name or '(no name)'!r}; expected one of {', '.join(allowed)}")
    return name, suffix


def _copy(upload: UploadFile, folder: Path, suffixes: tuple[str, ...], limit: int) -> Received:
    name, suffix = check_name(upload.filename, suffixes)
    path = folder / disk_name(name, suffix)
    digest, size = hashlib.sha256(), 0
    upload.file.seek(0)
    with path.open("wb") as out:
        while chunk := upload.file.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise PayloadTooLarge(f"文件 {name} 超过 {_mb(limit)} 的上限", file=name)
            digest.update(chunk)
            out.write(chunk)
    if size == 0:
        raise InputError("the uploaded file is empty", file=name)
    if suffix in (
        ".docx",
        ".xlsx",
    ):  # every Office upload is checked for a zip bomb before any reader opens it
        check_zip(path, name)
    return Received(path, name, upload.filename or "", size, digest.hexdigest())


@asynccontextmanager
async def received(
    upload: UploadFile, suffixes: Iterable[str], *, limit: int | None = None
) -> AsyncIterator[Received]:
    """The upload copied (off the event loop) into a private temporary directory, removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="gongfu-upload-"))
    try:
        yield await run_in_threadpool(_copy, upload, folder, tuple(suffixes), limit or file_limit())
    finally:
        await run_in_threadpool(shutil.rmtree, folder, True)


async def read_files(
    uploads: list[UploadFile] | None, *, limit: int | None = None
) -> list[tuple[str, bytes]]:
    """Small files (evidence) as (shown name, content), each read with its limit checked while reading."""
    files = uploads or []
    limit = limit or file_limit()
    if len(files) > MAX_FILES:
        raise PayloadTooLarge(f"一次最多上传 {MAX_FILES} 个文件（收到 {len(files)} 个）")
    out = []
    for f in files:
        data = await f.read(limit + 1)
        if len(data) > limit:
            raise PayloadTooLarge(f"文件 {display_name(f.filename or '')} 超过 {_mb(limit)} 的上限")
        out.append((display_name(f.filename or ""), data))
    return out


async def read_mapping(upload: UploadFile | None, *, limit: int = 1_000_000) -> tuple[str, bytes] | None:
    """A yearbook mapping file sent beside an upload (`mapping` form field), or None when none was chosen
    (a browser sends an empty part for an empty file input)."""
    if upload is None or not upload.filename:
        return None
    [(name, data)] = await read_files([upload], limit=limit)
    return name, data


async def import_or_queue(request: Request, owner: str, upload: UploadFile, suffixes: Iterable[str], kind: str,
                          work: Callable[[Received], dict]) -> dict | Job:  # fmt: skip
    """Copy the upload, then import it off the event loop: in a worker thread within the request (the result),
    or, over `GONGFU_IMPORT_JOB_BYTES`, as a background job (the Job, already queued)."""
    config = settings()
    folder: Path | None = Path(tempfile.mkdtemp(prefix="gongfu-upload-"))
    try:
        got = await run_in_threadpool(_copy, upload, folder, tuple(suffixes), config.upload_max_bytes)
        if got.size > config.import_job_bytes:
            job = request.app.state.jobs.submit(owner, kind, got.name, lambda: work(got), folder)
            folder = None  # the job removes it when done
            return job
        return await run_in_threadpool(work, got)
    finally:
        if folder is not None:
            await run_in_threadpool(shutil.rmtree, folder, True)


async def import_upload(request: Request, owner: str, upload: UploadFile, suffixes: Iterable[str], kind: str,
                        work: Callable[[Received], dict]) -> dict | JSONResponse:  # fmt: skip
    """`import_or_queue` for the API: the result, or 202 with the job and its status URL."""
    from gongfu.web.jobs import Job

    done = await import_or_queue(request, owner, upload, suffixes, kind, work)
    if not isinstance(done, Job):
        return done
    from gongfu.web.api.params import API_PREFIX

    url = f"{API_PREFIX}/jobs/{done.id}"
    return JSONResponse({"job": done.json(), "status_url": url}, status_code=202, headers={"Location": url})
