"""The request being answered: its id, the caller's trace, and who the caller turned out to be.

`api.observing` opens one per request; authentication (`api.deps.get_actor`) fills in the
subject and role, so the request's log line can name them. The request id itself is the one
`asgi-correlation-id` accepted from `X-Request-ID` or made.
"""

from __future__ import annotations

import re
from contextvars import ContextVar, Token
from dataclasses import dataclass

from workflows.actors import Actor

TRACEPARENT = re.compile(r"([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?")
NO_TRACE, NO_PARENT = "0" * 32, "0" * 16


@dataclass
class RequestInfo:
    request_id: str
    trace_id: str | None = None
    parent_id: str | None = None
    subject: str | None = None
    role: str | None = None


_current: ContextVar[RequestInfo | None] = ContextVar("okr_request", default=None)


def current_request() -> RequestInfo | None:
    return _current.get()


def open_request(info: RequestInfo) -> Token[RequestInfo | None]:
    """Make `info` the current request; returns what `close_request` needs."""
    return _current.set(info)


def close_request(token: Token[RequestInfo | None]) -> None:
    _current.reset(token)


def identify(actor: Actor) -> None:
    """Note who the current request's caller is (nothing outside a request)."""
    info = _current.get()
    if info is not None:
        info.subject, info.role = actor.name, actor.role


def parse_traceparent(header: str | None) -> tuple[str, str] | None:
    """The (trace id, parent id) of a W3C `traceparent`, or None when it is not a valid one:
    version `ff` and all-zero ids are invalid; a version above 00 may carry more fields."""
    match = TRACEPARENT.fullmatch((header or "").strip())
    if match is None:
        return None
    version, trace_id, parent_id, _flags, rest = match.groups()
    if version == "ff" or (version == "00" and rest) or NO_TRACE == trace_id \
            or NO_PARENT == parent_id:
        return None
    return trace_id, parent_id
