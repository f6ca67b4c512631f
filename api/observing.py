"""`RequestObserver`: every request answered leaves one log line and its metrics.

It runs just inside `asgi-correlation-id`'s middleware, which accepts `X-Request-ID` or makes
one and echoes it. Per request it opens the request's context (its id and the caller's W3C
trace), has every event the request writes record them (`workflows.event_metadata`), and once
answered writes the access line (time, level, request id, subject, role, method, route
template, status, duration) and counts the request, and the command when it wrote. An error no
handler took is logged with its traceback and answered here as a 500 problem, so that answer,
too, carries the request id. Plain ASGI, like the idempotency middleware: it must see the
route the router chose and the status sent, and must not buffer a streamed response.
"""

from __future__ import annotations

import logging
from time import perf_counter
from typing import cast
from uuid import uuid4

from asgi_correlation_id import correlation_id
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.metrics import Metrics
from api.problems import unexpected_problem
from api.request_context import RequestInfo, close_request, open_request, parse_traceparent
from workflows.event_metadata import recording_origin

access_log = logging.getLogger("okr.access")
error_log = logging.getLogger("okr.errors")
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
UNMATCHED = "unmatched"


class RequestObserver:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        info = _request_info(scope)
        answer = _Answer(send)
        started, token = perf_counter(), open_request(info)
        try:
            with recording_origin(request_id=info.request_id, trace_id=info.trace_id):
                await self.app(scope, receive, answer.send)
        except Exception:
            error_log.exception("unhandled error answering %s %s", scope["method"], _route(scope),
                                extra=_fields(info, scope, 500))
            if answer.started:
                raise
            await unexpected_problem(scope.get("path"))(scope, receive, answer.send)
        finally:
            close_request(token)
            _observed(scope, info, answer, perf_counter() - started)


class _Answer:
    """Passes the response on, noting its status and whether it replays an earlier one."""

    def __init__(self, send: Send) -> None:
        self._send, self.started, self.status, self.replayed = send, False, 500, False

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.started, self.status = True, message["status"]
            self.replayed = any(name.lower() == b"idempotent-replayed"
                                for name, _ in message.get("headers", []))
        await self._send(message)


def _request_info(scope: Scope) -> RequestInfo:
    headers = dict(scope.get("headers") or [])
    trace = parse_traceparent(headers.get(b"traceparent", b"").decode("latin-1"))
    request_id = correlation_id.get() or uuid4().hex
    return RequestInfo(request_id, *(trace or (None, None)))


def _observed(scope: Scope, info: RequestInfo, answer: _Answer, seconds: float) -> None:
    route, method = _matched(scope), scope["method"]
    template = _template(route)
    access_log.info("%s %s %d %.1f ms", method, template, answer.status, seconds * 1000,
                    extra={**_fields(info, scope, answer.status),
                           "duration_ms": round(seconds * 1000, 3)})
    metrics: Metrics | None = getattr(scope["app"].state, "metrics", None)
    if metrics is None:
        return
    metrics.count_request(method, template, answer.status, seconds)
    if method not in READING_METHODS and method in getattr(route, "methods", ()):
        metrics.count_command(getattr(route, "name", UNMATCHED), answer.status, answer.replayed)


def _fields(info: RequestInfo, scope: Scope, status: int) -> dict[str, object]:
    return {"subject": info.subject, "role": info.role, "method": scope["method"],
            "route": _route(scope), "status": status, "trace_id": info.trace_id}


def _route(scope: Scope) -> str:
    return _template(_matched(scope))


def _template(route: BaseRoute | None) -> str:
    """The route's template (`/v1/objectives/{objective_id}`), never the raw path, so
    metrics stay few and ids stay out of labels."""
    return str(getattr(route, "path", UNMATCHED))


def _matched(scope: Scope) -> BaseRoute | None:
    """The route the router chose; for an answer given before routing (an idempotent replay),
    the route that would have taken it, among `app.state.api_routes` (FastAPI 0.165 keeps
    included routers nested inside the app's router, so only the routers themselves can be
    asked)."""
    if "route" in scope:
        return cast(BaseRoute, scope["route"])
    routes: list[BaseRoute] = getattr(scope["app"].state, "api_routes", [])
    return next((route for route in routes if route.matches(scope)[0] is Match.FULL), None)
