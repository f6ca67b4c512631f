"""Request bodies over `OKR_MAX_BODY_BYTES` are refused with 413, before any other work.

FastAPI's own `max_body_size` counts the bytes a body streams and stops at the limit. A body
whose `Content-Length` already says it is too large is refused here instead, outermost: before
authentication, before a byte of it is read; and as problem+json like every other error, where
Starlette's limiter would answer that case in plain text.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from api.problem_json import problem


def too_large(limit: int) -> JSONResponse:
    return problem(413, "Content too large",
                   f"the request body is larger than the {limit} bytes allowed "
                   "(OKR_MAX_BODY_BYTES)", headers={"Connection": "close"})


class DeclaredLengthLimit:
    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        length = _declared_length(scope) if scope["type"] == "http" else None
        if length is not None and length > self.limit:
            await too_large(self.limit)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


class BoundedApp(FastAPI):
    """FastAPI with `max_body_size` set, and declared lengths checked before its stack."""

    def build_middleware_stack(self) -> ASGIApp:
        stack = super().build_middleware_stack()
        return stack if self.max_body_size is None else DeclaredLengthLimit(
            stack, self.max_body_size)
