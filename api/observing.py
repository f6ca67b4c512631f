"""`RequestObserver`: every request gets its id, and leaves its metrics and one log line.

The outermost of the app's own middleware. Per request it takes the caller's `X-Request-ID`
(1 to 128 visible ASCII characters) or makes one, echoes it on the answer, and opens the
request's context (its id and the caller's W3C trace), so every event the request writes
records them (`workflows.event_metadata`) and every log line written meanwhile carries the id
(`asgi-correlation-id`'s context variable, which its logging filter reads: `api.logs`). Once
answered it counts the request, and the command when it wrote, and writes the access line
(time, level, request id, subject, role, method, route template, status, duration); probes
(`/livez`, `/healthz`, `/readyz`) are counted but leave no access line unless they fail (5xx):
a load balancer or kubelet asks every few seconds, and a line each would bury the requests
people made. An error no handler took is logged with its traceback and answered here as a 500
problem, so that answer, too, carries the request id.

Plain ASGI: it must see the route the router chose and the status sent, and must not buffer a
streamed response. It also does what `asgi-correlation-id`'s middleware did (accept or make the
id, echo it), because that middleware was one more layer per request that parsed the headers
into Starlette's header objects on the way in and again on the way out; its context variable
and logging filter are still the library's. Everything here runs once per request, for every
request, so it is kept cheap: the headers read in one pass, the id made with `secrets`.
"""

from __future__ import annotations

import logging
import re
import secrets
from time import perf_counter
from typing import cast

from asgi_correlation_id import correlation_id
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.metrics import Metrics
from api.problems import unexpected_problem
from api.request_context import RequestInfo, close_request, open_request, parse_traceparent
from workflows.event_metadata import recording_origin

access_log = logging.getLogger("okr.access")
error_log = logging.getLogger("okr.errors")
log = logging.getLogger("okr.requests")
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LIVENESS = frozenset({"/livez", "/healthz"})
PROBES = LIVENESS | {"/readyz"}
UNMATCHED = "unmatched"
REQUEST_ID_HEADER = "X-Request-ID"
REQUEST_ID = re.compile(r"[!-~]{1,128}")
_REQUEST_ID_NAME = REQUEST_ID_HEADER.lower().encode()


class RequestObserver:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        info = _request_info(scope)
        answer = _Answer(send, info.request_id)
        started, token = perf_counter(), open_request(info)
        id_token = correlation_id.set(info.request_id)
        try:
            with recording_origin(request_id=info.request_id, trace_id=info.trace_id):
                await self.app(scope, receive, answer.send)
        except Exception:
            error_log.exception("unhandled error answering %s %s", scope["method"],
                                _template(_matched(scope)), extra=_fields(info, scope, 500))
            if answer.started:
                raise
            await unexpected_problem(scope.get("path"))(scope, receive, answer.send)
        finally:
            close_request(token)
            _observed(scope, info, answer, perf_counter() - started)
            correlation_id.reset(id_token)


class _Answer:
    """Passes the response on with the request id added, noting its status and whether it
    replays an earlier one."""

    def __init__(self, send: Send, request_id: str) -> None:
        self._send, self.started, self.status, self.replayed = send, False, 500, False
        self._request_id = request_id.encode("latin-1")

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.started, self.status = True, message["status"]
            headers = list(message.get("headers", ()))
            self.replayed = any(name.lower() == b"idempotent-replayed" for name, _ in headers)
            headers.append((_REQUEST_ID_NAME, self._request_id))
            message = {**message, "headers": headers}
        await self._send(message)


def is_request_id(value: str) -> bool:
    """A caller's request id is kept when it is 1 to 128 visible ASCII characters (it goes
    into headers, log lines and events); anything else is replaced by a new one."""
    return REQUEST_ID.fullmatch(value) is not None


def _request_info(scope: Scope) -> RequestInfo:
    given, traceparent = "", ""
    for name, value in scope["headers"]:
        if name == _REQUEST_ID_NAME and not given:
            given = value.decode("latin-1")
        elif name == b"traceparent" and not traceparent:
            traceparent = value.decode("latin-1")
    trace = parse_traceparent(traceparent) if traceparent else None
    request_id = given if given and is_request_id(given) else secrets.token_hex(16)
    if given and request_id != given:
        log.warning("replaced an X-Request-ID that was not 1 to 128 visible ASCII characters "
                    "with %s", request_id)
    return RequestInfo(request_id, *(trace or (None, None)))


def _observed(scope: Scope, info: RequestInfo, answer: _Answer, seconds: float) -> None:
    route, method = _matched(scope), scope["method"]
    template = _template(route)
    if scope["path"] not in PROBES or answer.status >= 500:
        access_log.info("%s %s %d %.1f ms", method, template, answer.status, seconds * 1000,
                        extra={**_fields(info, scope, answer.status, template),
                               "duration_ms": round(seconds * 1000, 3)})
    metrics: Metrics | None = getattr(scope["app"].state, "metrics", None)
    if metrics is None:
        return
    metrics.count_request(method, template, answer.status, seconds)
    if method not in READING_METHODS and method in getattr(route, "methods", ()):
        metrics.count_command(getattr(route, "name", UNMATCHED), answer.status, answer.replayed)


def _fields(info: RequestInfo, scope: Scope, status: int,
            template: str | None = None) -> dict[str, object]:
    return {"subject": info.subject, "role": info.role, "method": scope["method"],
            "route": template or _template(_matched(scope)), "status": status,
            "trace_id": info.trace_id}


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
