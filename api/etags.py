"""Entity tags: an objective's or cycle's version, quoted, compared as RFC 9110 says.

`If-Match` (on commands) compares strongly: a weak tag never matches, so `W/"4"` is a 412.
`If-None-Match` (on reads) compares weakly and answers 304 when the representation is the one
the caller holds.
"""

from __future__ import annotations

from eventsourcing.domain import Aggregate
from fastapi import Request, Response


def etag(version: int) -> str:
    return f'"{version}"'


def tag(response: Response, aggregate: Aggregate) -> None:
    """The representation's version as its strong ETag."""
    response.headers["ETag"] = etag(aggregate.version)


class NotModifiedError(Exception):
    """The caller holds the current representation already: 304, no body."""

    def __init__(self, tag: str) -> None:
        self.tag = tag
        super().__init__(f"not modified: {tag}")


class WeakTagError(Exception):
    """`If-Match` with a weak tag, which strong comparison never matches: 412."""

    def __init__(self, given: str, current_version: int) -> None:
        self.current_version = current_version
        super().__init__(f"If-Match compares strongly (RFC 9110): the weak tag {given} never "
                         f"matches; send the ETag as given, {etag(current_version)}")


def tagged_read(request: Request, response: Response, aggregate: Aggregate) -> None:
    """Tag a read with the aggregate's version; 304 if the caller's If-None-Match has it."""
    current = etag(aggregate.version)
    response.headers["ETag"] = current
    wanted = request.headers.get("if-none-match")
    if wanted is not None and _matches_weakly(wanted, current):
        raise NotModifiedError(current)


def _matches_weakly(header: str, current: str) -> bool:
    tags = [candidate.strip().removeprefix("W/") for candidate in header.split(",")]
    return "*" in tags or current in tags
