"""The event feed for integrators: a page of CloudEvents, or a live server-sent stream."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

from anyio import to_thread
from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse

from api.deps import FeedReader, Ledger, Reader
from api.models.events import CloudEvent, EventsPage
from domain.errors import NotFoundError
from stream.cloudevents import read_feed
from stream.event_schemas import load_schemas
from workflows.ledger import OKRLedger

router = APIRouter(prefix="/v1/events", tags=["events"])
Position = Annotated[int, Query(ge=0, le=2**62, description="Read after this log position.")]
STREAM_PAGE = 100
HEARTBEAT_SECONDS = 15.0


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


@router.get("/stream", response_class=StreamingResponse,
            responses={200: {"content": {"text/event-stream": {}},
                             "description": "Server-sent events, one per CloudEvent."}})
async def stream(request: Request, _: FeedReader, ledger: Ledger, after: Position = 0,
                 last_event_id: Annotated[str | None, Header()] = None) -> StreamingResponse:
    """The same events as server-sent events, live; reconnects resume from Last-Event-ID."""
    if last_event_id and last_event_id.isdigit() and len(last_event_id) < 19:
        after = int(last_event_id)
    poll = request.app.state.settings.stream_poll_seconds
    return StreamingResponse(_follow(request, ledger, after, poll),
                             media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


async def _follow(request: Request, ledger: OKRLedger, after: int,
                  poll: float) -> AsyncIterator[str]:
    """Read pages until the client leaves; sleep between empty polls rather than spin."""
    idle = 0.0
    yield ": connected\n\n"
    while not await request.is_disconnected():
        page, after = await to_thread.run_sync(read_feed, ledger.recorder, ledger.mapper, after,
                                               STREAM_PAGE,
                                               request.app.state.settings.schema_base())
        for event in page:
            yield _sse(event)
        if page:
            idle = 0.0
            continue
        await asyncio.sleep(poll)
        idle += poll
        if idle >= HEARTBEAT_SECONDS:
            idle = 0.0
            yield ": keep-alive\n\n"


def _sse(event: dict) -> str:
    return f"id: {event['position']}\nevent: {event['type']}\ndata: {json.dumps(event)}\n\n"
