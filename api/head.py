"""HEAD answered for every GET: the same status and headers, no body (RFC 9110, 9.3.2).

FastAPI routes serve only the methods they declare, and declaring HEAD beside each GET would
list every read twice in the API document; so a HEAD request runs as the GET it mirrors and
its body is dropped. A streamed answer (the event stream) is cut after its headers.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class _HeadersSent(Exception):
    """The answer's headers are out; the rest of a streamed body is not wanted."""


class HeadAsGet:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] != "http.response.body":
                await send(message)
                return
            await send({"type": "http.response.body", "body": b"", "more_body": False})
            if message.get("more_body"):
                raise _HeadersSent

        try:
            await self.app({**scope, "method": "GET"}, receive, without_body)
        except* _HeadersSent:
            pass
