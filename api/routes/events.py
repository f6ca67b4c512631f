"""The event feed for integrators: a page of CloudEvents, or a live server-sent stream."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated, Any

import jwt
from anyio import to_thread
from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import StreamingResponse
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials

from api.deps import FEED_ROLES, FeedReader, Ledger, Reader, bearer, get_actor, require_role
from api.models.events import CloudEvent, EventsPage
from api.problem_json import PROBLEM_TYPE
from api.request_context import identify
from api.request_problems import MalformedHeaderError
from api.tokens import InvalidTokenError
from domain.errors import NotFoundError
from stream.cloudevents import read_feed
from stream.event_schemas import load_schemas
from web.sessions import COOKIE, decode_session
from workflows.actors import Actor
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


session_cookie = APIKeyCookie(name=COOKIE, auto_error=False, description=(
    "The web app's session cookie (signed in at /sign-in): the stream takes it when no bearer "
    "token is sent, since a page's EventSource cannot send an Authorization header."))


@dataclass(frozen=True)
class Follower:
    """Who follows the stream, until when (a POSIX time; None: no end), and by what right."""

    actor: Actor
    expiry: float | None
    by: str


async def stream_follower(request: Request,
                          credentials: Annotated[HTTPAuthorizationCredentials | None,
                                                 Depends(bearer)],
                          cookie: Annotated[str | None, Depends(session_cookie)]) -> Follower:
    """A bearer token, as on every route, until its `exp`; else the web app's session cookie
    (`web.sessions`), until the session expires. Either way only the feed's roles: a forged or
    expired cookie is a 401 like a bad token."""
    if credentials is not None or cookie is None:
        actor = await get_actor(request, credentials)
        return Follower(require_role(actor, FEED_ROLES), _token_expiry(credentials), "token")
    session = decode_session(request.app.state.secret, cookie)
    if session is None:
        raise InvalidTokenError("the session cookie is expired or not valid: sign in again")
    identify(session.actor)
    return Follower(require_role(session.actor, FEED_ROLES), session.expires.timestamp(),
                    "session")


def _token_expiry(credentials: HTTPAuthorizationCredentials | None) -> float | None:
    """When the caller's token expires (its `exp`), read without checking it again: the
    authentication dependency has just checked it."""
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
async def stream(request: Request, follower: Annotated[Follower, Depends(stream_follower)],
                 ledger: Ledger, after: Position = 0,
                 last_event_id: Annotated[str | None, Header(
                     json_schema_extra={"pattern": LAST_EVENT_ID},
                     description="The `id` of the last event received: the stream resumes "
                                 "after it (the browser's EventSource sends it).")] = None
                 ) -> StreamingResponse:
    """The same events as server-sent events, live, until the token (or the web app's session
    cookie, when no token is sent) expires; reconnects resume from Last-Event-ID."""
    if last_event_id is not None:
        after = _resume_after(last_event_id)
    poll = request.app.state.settings.stream_poll_seconds
    return StreamingResponse(_follow(request, ledger, after, poll, follower),
                             media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


def _resume_after(last_event_id: str) -> int:
    given = last_event_id.strip()
    if not (given.isascii() and given.isdigit() and len(given) <= 18):
        raise MalformedHeaderError("Last-Event-ID", "must be the id of an event this stream "
                                   f"sent (a log position, 0 to 18 digits); got {last_event_id!r}")
    return int(given)


async def _follow(request: Request, ledger: OKRLedger, after: int, poll: float,
                  follower: Follower) -> AsyncIterator[str]:
    """Read pages until the client leaves or the token (or session) expires; sleep between
    empty polls rather than spin. `retry:` tells EventSource how long to wait before
    reconnecting."""
    expiry, idle = follower.expiry, 0.0
    yield f": connected\nretry: {RETRY_MILLISECONDS}\n\n"
    while not await request.is_disconnected():
        if expiry is not None and time.time() >= expiry:
            yield _expired(follower.by)
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


def _expired(by: str) -> str:
    """The stream's last event: a problem saying why it ends, and what to do."""
    if by == "session":
        title, detail = "Session expired", ("the session this stream was opened with has "
                                            "expired; sign in again and reconnect with "
                                            "Last-Event-ID to resume where it stopped")
    else:
        title, detail = "Token expired", ("the token this stream was opened with has expired; "
                                          "reconnect with a fresh token and Last-Event-ID to "
                                          "resume where it stopped")
    problem = {"type": PROBLEM_TYPE + title.lower().replace(" ", "-"), "title": title,
               "status": 401, "detail": detail}
    return f"event: error\ndata: {json.dumps(problem)}\n\n"


def _sse(event: dict) -> str:
    return f"id: {event['position']}\nevent: {event['type']}\ndata: {json.dumps(event)}\n\n"
