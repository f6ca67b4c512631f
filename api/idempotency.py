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

from api.oidc import IdentityProviderUnavailableError
from api.problems import problem
from api.tokens import InvalidTokenError
from domain.errors import PermissionDeniedError

HEADER = b"idempotency-key"
KEPT_HEADERS = ("content-type", "etag", "location")
MAX_KEY_LENGTH = 200


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers") or [])
        keyed = scope["type"] == "http" and scope["method"] == "POST" and HEADER in headers
        owner = await _caller(scope, headers) if keyed else None
        if owner is None:
            await self.app(scope, receive, send)
        elif not 0 < len(headers[HEADER].strip()) <= MAX_KEY_LENGTH:
            await _bad_key(scope, receive, send)
        else:
            await self._once(scope, receive, send, f"{owner}:{headers[HEADER].decode('latin-1')}")

    async def _once(self, scope: Scope, receive: Receive, send: Send, key: str) -> None:
        """Run the request under `key` the first time; answer a retry from the store."""
        body = await _read_body(receive)
        digest = hashlib.sha256(scope["path"].encode() + b"?" + scope["query_string"] + b"\n"
                                + body).hexdigest()
        store = scope["app"].state.idempotency
        earlier = await to_thread.run_sync(store.reserve, key, digest)
        if earlier is not None:
            await _answer_retry(earlier, digest, scope, receive, send)
            return
        capture = _Capture(send, body, receive)
        try:
            await self.app(scope, capture.receive, capture.send)
        finally:
            if capture.status < 500:
                await to_thread.run_sync(store.complete, key, capture.status, capture.kept(),
                                         capture.body)
            else:
                await to_thread.run_sync(store.release, key)


class _Capture:
    """Hands the app the body already read, and keeps a copy of the response it sends."""

    def __init__(self, send: Send, request_body: bytes, receive: Receive) -> None:
        self._send, self._receive = send, receive
        self._request_body: bytes | None = request_body
        self.status, self.body = 500, b""
        self.headers: dict[str, str] = {}

    async def receive(self) -> Message:
        if self._request_body is None:
            return await self._receive()
        body, self._request_body = self._request_body, None
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.headers = {k.decode().lower(): v.decode() for k, v in message.get("headers", [])}
        elif message["type"] == "http.response.body":
            self.body += message.get("body", b"")
        await self._send(message)

    def kept(self) -> dict[str, str]:
        return {k: v for k, v in self.headers.items() if k in KEPT_HEADERS}


async def _answer_retry(earlier: Any, digest: str, scope: Scope, receive: Receive,
                        send: Send) -> None:
    response: Response
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


async def _caller(scope: Scope, headers: dict[bytes, bytes]) -> str | None:
    """Keys are per person, so two callers never collide on one key."""
    authorization = headers.get(b"authorization", b"").decode("latin-1")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or "app" not in scope:
        return None
    try:
        actor = await scope["app"].state.authenticator.actor(token.strip())
    except (InvalidTokenError, PermissionDeniedError, IdentityProviderUnavailableError):
        return None
    return str(actor.name)
