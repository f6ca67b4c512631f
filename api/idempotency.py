"""Idempotency-Key on every POST: a retry with the same key and body replays the first response
and writes nothing; the same key with another body is refused.

Written as plain ASGI middleware because it must see the raw body before the route and the
whole response after it, which neither dependencies nor exception handlers can.
"""

from __future__ import annotations

import hashlib
from typing import Any

from anyio import to_thread
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import problem
from api.tokens import InvalidTokenError, read_token

HEADER = b"idempotency-key"
KEPT_HEADERS = ("content-type", "etag", "location")
MAX_KEY_LENGTH = 200


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers") or [])
        owner = _caller(scope, headers)
        if scope["type"] != "http" or scope["method"] != "POST" or HEADER not in headers \
                or owner is None:
            await self.app(scope, receive, send)
            return
        if not 0 < len(headers[HEADER].strip()) <= MAX_KEY_LENGTH:
            await _bad_key(scope, receive, send)
            return
        body = await _read_body(receive)
        key = f"{owner}:{headers[HEADER].decode('latin-1')}"
        digest = hashlib.sha256(scope["path"].encode() + b"?" + scope["query_string"] + b"\n"
                                + body).hexdigest()
        store = scope["app"].state.idempotency
        earlier = await to_thread.run_sync(store.reserve, key, digest)
        if earlier is not None:
            await _answer_retry(earlier, digest, scope, receive, send)
            return
        await self._run_and_keep(scope, body, key, store, send)

    async def _run_and_keep(self, scope: Scope, body: bytes, key: str, store: Any,
                            send: Send) -> None:
        captured: dict[str, Any] = {"status": 500, "headers": {}, "body": b""}

        async def replay_body() -> Message:
            return {"type": "http.request", "body": body, "more_body": False}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                captured["status"] = message["status"]
                captured["headers"] = {k.decode().lower(): v.decode()
                                       for k, v in message.get("headers", [])}
            elif message["type"] == "http.response.body":
                captured["body"] += message.get("body", b"")
            await send(message)

        try:
            await self.app(scope, replay_body, capture)
        finally:
            if captured["status"] < 500:
                kept = {k: v for k, v in captured["headers"].items() if k in KEPT_HEADERS}
                await to_thread.run_sync(store.complete, key, captured["status"], kept,
                                         captured["body"])
            else:
                await to_thread.run_sync(store.release, key)


async def _answer_retry(earlier: Any, digest: str, scope: Scope, receive: Receive,
                        send: Send) -> None:
    if earlier.request_hash != digest:
        response = problem(422, "Idempotency key reused",
                           "this Idempotency-Key was used with another request; use a new key",
                           errors=[{"field": "Idempotency-Key",
                                    "message": "already used with a different body"}])
    elif earlier.status is None:
        response = problem(409, "Request in progress",
                           "a request with this Idempotency-Key is still running; retry later",
                           headers={"Retry-After": "1"})
    else:
        response = Response(earlier.body, status_code=earlier.status,
                            headers={**earlier.headers, "Idempotent-Replayed": "true"})
    await response(scope, receive, send)


async def _bad_key(scope: Scope, receive: Receive, send: Send) -> None:
    message = f"must be 1 to {MAX_KEY_LENGTH} characters, e.g. a UUID"
    response = problem(422, "Invalid input", f"Idempotency-Key: {message}",
                       errors=[{"field": "Idempotency-Key", "in": "header", "message": message}])
    await response(scope, receive, send)


async def _read_body(receive: Receive) -> bytes:
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            return body


def _caller(scope: Scope, headers: dict[bytes, bytes]) -> str | None:
    """Keys are per person, so two callers never collide on one key."""
    authorization = headers.get(b"authorization", b"").decode("latin-1")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or "app" not in scope:
        return None
    try:
        return read_token(scope["app"].state.secret, token.strip()).name
    except InvalidTokenError:
        return None
