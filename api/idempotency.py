"""Idempotency-Key on every command (POST, PATCH, DELETE): a retry replays the committed result.

A dependency, declared by every command route, claims the caller's key before the command
runs and sets it as the ledger's current key (`workflows.idempotency`), so the command's save
stores the key's record with its events, in one transaction. A key is scoped by who calls
(subject and role), the method and the route template, and stands for one request: the same
key with another body, path, query or `If-Match` is refused. A retry of a completed key is
answered by the route as usual, the ledger handing it the command's recorded result instead of
running the command again; a retry while the first attempt holds the key is told to wait.
Nothing is kept for a request that wrote nothing (refused, or a change that changed nothing):
a retry runs again.

Replacing the ASGI middleware that read the raw body itself: the body is now read by FastAPI,
under its `max_body_size`, and the key is checked after authentication, with the caller known.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from collections.abc import AsyncIterator
from typing import Annotated
from uuid import NAMESPACE_URL, uuid4, uuid5

from anyio import to_thread
from fastapi import Depends, Header, Request, Response

from api.deps import Reader
from domain.errors import LedgerError, ValidationError
from workflows.idempotency import IdempotencyRecord, IdempotencyRecords, IdempotentCommand
from workflows.settings import Settings

MAX_KEY_LENGTH = 200
NAMESPACE = uuid5(NAMESPACE_URL, "okr-ledger:idempotency-key")
logger = logging.getLogger(__name__)


class RequestInProgressError(LedgerError):
    """Another request holds this key and has not finished."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__("a request with this Idempotency-Key is still running; retry after "
                         f"{retry_after} s to learn its outcome")


def key_id_for(subject: str, role: str, method: str, route: str, key: str) -> str:
    """The key's id in the store: the caller's scope and key as a JSON list, so no separator
    inside a name or a key can make two scopes meet."""
    return str(uuid5(NAMESPACE, json.dumps([subject, role, method, route, key])))


def fingerprint_of(method: str, path: str, query: str, if_match: str | None,
                   body: bytes) -> str:
    """What the key stands for: the request's target, precondition and body (JSON compared
    by value, so a retry may serialise it differently)."""
    try:
        content = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except ValueError:
        content = body
    target = json.dumps([method, path, query, if_match or ""]).encode()
    return hashlib.sha256(target + b"\n" + content).hexdigest()


async def idempotent_command(
        request: Request, response: Response, actor: Reader,
        idempotency_key: Annotated[str | None, Header(
            alias="Idempotency-Key", min_length=1, max_length=MAX_KEY_LENGTH,
            description="Any unique text (a UUID) to make a retry of this request safe: the "
                        "same key and request replays the committed result, marked "
                        "`Idempotent-Replayed: true`.")] = None) -> AsyncIterator[None]:
    if idempotency_key is None:
        yield
        return
    settings: Settings = request.app.state.settings
    records: IdempotencyRecords = request.app.state.ledger.idempotency
    key_id = key_id_for(actor.name, actor.role, request.method, request.scope["route"].path,
                        idempotency_key)
    fingerprint = fingerprint_of(request.method, request.url.path, request.url.query,
                                 request.headers.get("if-match"), await request.body())
    claim = uuid4().hex
    command = IdempotentCommand(key_id, claim=claim)
    now = time.time()
    earlier = await to_thread.run_sync(
        records.claim_key, key_id, fingerprint, claim, now,
        settings.idempotency_reservation_seconds, settings.idempotency_retention_seconds)
    if earlier is not None:
        command = _retry_of(earlier, fingerprint, now)
        response.headers["Idempotent-Replayed"] = "true"
    with request.app.state.ledger.idempotently(command):
        try:
            yield
        finally:
            if command.claim is not None and not command.completed:
                await to_thread.run_sync(records.release_key, key_id, claim)


def _retry_of(earlier: IdempotencyRecord, fingerprint: str, now: float) -> IdempotentCommand:
    """The command a retry is: a replay of the completed record; else refused."""
    if earlier.fingerprint != fingerprint:
        raise ValidationError([("Idempotency-Key", "already used with another request (its "
                                                   "body, path, query or If-Match differ); "
                                                   "use a new key")])
    if not earlier.complete:
        raise RequestInProgressError(earlier.seconds_reserved(now))
    return IdempotentCommand(earlier.key_id, replay=earlier)


async def purge_forever(records: IdempotencyRecords, settings: Settings) -> None:
    """Forget completed keys past their retention, now and every so often, until cancelled."""
    every = min(3600.0, settings.idempotency_retention_seconds / 2)
    while True:
        try:
            purged = await to_thread.run_sync(records.purge_keys, time.time(),
                                              settings.idempotency_retention_seconds)
            logger.info("purged %d idempotency keys past their retention", purged)
        except Exception:  # noqa: BLE001 - a missed purge only keeps keys a little longer
            logger.exception("purging idempotency keys failed; trying again later")
        await asyncio.sleep(every)


IDEMPOTENT = Depends(idempotent_command)
Idempotent = Annotated[None, IDEMPOTENT]
