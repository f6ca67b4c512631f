"""The event feed for integrators: a page of CloudEvents, or a live server-sent stream."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Annotated, Any

import jwt
from anyio import to_thread
from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials

from api.deps import FeedReader, Ledger, Reader, bearer
from api.models.events import CloudEvent, EventsPage
from api.problem_json import PROBLEM_TYPE
from api.request_problems import MalformedHeaderError
from domain.errors import NotFoundError
from stream.cloudevents import read_feed
from stream.event_schemas import load_schemas
from workflows.ledger import OKRLedger

router = APIRouter(prefix="/v1/events", tags=["events"])
Position = Annotated[int, Query(ge=0, le=2**62, description="Read after this log position.")]
STREAM_PAGE = 100
HEARTBEAT_SECONDS = 15.0
RETRY_MILLISECONDS = 3000
LAST_EVENT_ID = r"^[0-9]{1,18}$"


@router.get("")
def events(request: Request, _: FeedReader, ledger: Ledger, after: Position = 0,
           limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> EventsPage:
    """Published events after position `after`, oldest first."""
    page, next_after = read_feed(ledger.recorder, ledger.mapper, after, limit,
                                 request.app.state.settings.schema_base())
    return EventsPage(events=[CloudEvent(**event) for event in page], next_after=next_after)


@router.get("/schemas")
def schemas(_: Reader) -> dict[str, dict[str, Any]]:
    """The JSON Schema (2020-12) of each event type's `data`, by CloudEvent type."""
    return load_schemas()


@router.get("/schemas/{event_type}")
def schema(event_type: str, _: Reader) -> dict[str, Any]:
    """The JSON Schema (2020-12) of one event type's `data`: where its `dataschema` points."""
    found = load_schemas().get(event_type)
    if found is None:
        raise NotFoundError("event type", event_type)
    return found


async def token_expiry(credentials: Annotated[HTTPAuthorizationCredentials | None,
                                              Depends(bearer)]) -> float | None:
    """When the caller's token expires (its `exp`), read without checking it again: the
    route's authentication dependency has just checked it."""
    if credentials is None:
        return None
    try:
        expiry = jwt.decode(credentials.credentials, options={"verify_signature": False}
                            ).get("exp")
    except jwt.PyJWTError:
        return None
    return float(expiry) if isinstance(expiry, int | float) else None


@router.get("/stream", response_class=StreamingResponse,
            responses={200: {"content": {"text/event-stream": {}},
                             "description": "Server-sent events, one per CloudEvent; a last "
                                            "`event: error` says why the stream ends."}})
async def stream(request: Request, _: FeedReader, ledger: Ledger,
                 expiry: Annotated[float | None, Depends(token_expiry)], after: Position = 0,
                 last_event_id: Annotated[str | None, Header(
                     json_schema_extra={"pattern": LAST_EVENT_ID},
                     description="The `id` of the last event received: the stream resumes "
                                 "after it (the browser's EventSource sends it).")] = None
                 ) -> StreamingResponse:
    """The same events as server-sent events, live, until the token expires; reconnects
    resume from Last-Event-ID."""
    if last_event_id is not None:
        after = _resume_after(last_event_id)
    poll = request.app.state.settings.stream_poll_seconds
    return StreamingResponse(_follow(request, ledger, after, poll, expiry),
                             media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


def _resume_after(last_event_id: str) -> int:
    given = last_event_id.strip()
    if not (given.isascii() and given.isdigit() and len(given) <= 18):
        raise MalformedHeaderError("Last-Event-ID", "must be the id of an event this stream "
                                   f"sent (a log position, 0 to 18 digits); got {last_event_id!r}")
    return int(given)


async def _follow(request: Request, ledger: OKRLedger, after: int, poll: float,
                  expiry: float | None) -> AsyncIterator[str]:
    """Read pages until the client leaves or the token expires; sleep between empty polls
    rather than spin. `retry:` tells EventSource how long to wait before reconnecting."""
    idle = 0.0
    yield f": connected\nretry: {RETRY_MILLISECONDS}\n\n"
    while not await request.is_disconnected():
        if expiry is not None and time.time() >= expiry:
            yield _expired()
            return
        page, after = await to_thread.run_sync(read_feed, ledger.recorder, ledger.mapper, after,
                                               STREAM_PAGE,
                                               request.app.state.settings.schema_base())
        for event in page:
            yield _sse(event)
        if page:
            idle = 0.0
            continue
        pause = poll if expiry is None else max(0.0, min(poll, expiry - time.time()))
        await asyncio.sleep(pause)
        idle += pause
        if idle >= HEARTBEAT_SECONDS:
            idle = 0.0
            yield ": keep-alive\n\n"


def _expired() -> str:
    """The stream's last event: a problem saying why it ends, and what to do."""
    problem = {"type": PROBLEM_TYPE + "token-expired", "title": "Token expired", "status": 401,
               "detail": "the token this stream was opened with has expired; reconnect with "
                         "a fresh token and Last-Event-ID to resume where it stopped"}
    return f"event: error\ndata: {json.dumps(problem)}\n\n"


def _sse(event: dict) -> str:
    return f"id: {event['position']}\nevent: {event['type']}\ndata: {json.dumps(event)}\n\n"
