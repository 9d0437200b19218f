"""Form bodies taken as sent: no field silently dropped, no UTF-8 read as Latin-1.

- `refuse_unknown_fields`, a dependency of every API router: a form or multipart field the route does not
  declare is refused (422, each unknown field a problem) rather than dropped while 201 is returned.
- `FormCharset`, an ASGI middleware: an `application/x-www-form-urlencoded` body carrying raw non-ASCII bytes
  (a form posted without percent-encoding) is decoded by its declared charset (UTF-8 by default) and
  percent-encoded as UTF-8, which the form parser reads correctly; bytes that are not in that charset are
  refused (400) rather than stored as mojibake.
"""

from __future__ import annotations

from urllib.parse import quote_from_bytes

from fastapi import Request
from fastapi.dependencies.models import Dependant

from gongfu.errors import InputError, Problem, ValidationFailed

FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
URLENCODED = b"application/x-www-form-urlencoded"


class UnknownFields(ValidationFailed):
    def __init__(self, names: list[str]) -> None:
        problems = [Problem("unknown_field", f"接口不接受字段“{n}”", column=n) for n in names]
        super().__init__("request", problems)
        self.args = (f"请求含有接口不接受的字段：{'、'.join(names)}；未作任何更改",)

    def __str__(self) -> str:
        return self.args[0]


def _form_fields(dependant: Dependant) -> set[str]:
    names = {f.alias for f in dependant.body_params}
    for sub in dependant.dependencies:
        names |= _form_fields(sub)
    return names


async def refuse_unknown_fields(request: Request) -> None:
    if not request.headers.get("content-type", "").startswith(FORM_TYPES):
        return
    dependant = getattr(request.scope.get("route"), "dependant", None)
    if dependant is None:
        return
    unknown = sorted(set((await request.form()).keys()) - _form_fields(dependant))
    if unknown:
        raise UnknownFields(unknown)


def _charset(content_type: bytes) -> str:
    for part in content_type.split(b";")[1:]:
        key, _, value = part.strip().partition(b"=")
        if key.lower() == b"charset" and value:
            return value.strip(b"\"'").decode("ascii", "replace")
    return "utf-8"


def reencode(body: bytes, charset: str) -> bytes:
    """A urlencoded body with every non-ASCII byte sequence percent-encoded as UTF-8."""
    if body.isascii():
        return body
    try:
        text = body.decode(charset)
    except (LookupError, UnicodeDecodeError) as exc:
        raise InputError(f"表单内容不是声明的 {charset} 编码，请以 UTF-8 百分号编码提交") from exc
    return "".join(quote_from_bytes(c.encode()) if ord(c) > 127 else c for c in text).encode("ascii")


class FormCharset:
    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        headers = dict(scope.get("headers") or []) if scope["type"] == "http" else {}
        ctype = headers.get(b"content-type", b"")
        if not ctype.lower().startswith(URLENCODED):
            await self.app(scope, receive, send)
            return
        chunks, more = [], True
        while more:
            message = await receive()
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        try:
            body = reencode(b"".join(chunks), _charset(ctype))
        except InputError as exc:
            from fastapi.responses import JSONResponse

            from gongfu.web.errors import PROBLEM_JSON, problem

            await JSONResponse(problem(400, "bad_encoding", str(exc)), 400, media_type=PROBLEM_JSON)(
                scope, receive, send
            )
            return
        scope = {**scope, "headers": [(k, v) for k, v in scope["headers"] if k != b"content-length"]
                 + [(b"content-length", str(len(body)).encode())]}  # fmt: skip
        sent = False

        async def replay():
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)
