"""Lists in pages: `limit` and an opaque `cursor` in; `next` and an RFC 8288 Link header out.

Every list route declares `paging: Paging` and answers `paging.respond(page, Model)`: the body
is `{"items": [...], "next": cursor | null}` and, when another page follows, the response
carries `Link: <the same URL with cursor=next>; rel="next"`. A cursor is the key the previous
page ended with (keyset pagination, `workflows.pages`), as base64url JSON: opaque to callers,
stable while items are added, and checked on the way back in.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query, Request, Response
from pydantic import BaseModel, Field

from domain.errors import ValidationError
from workflows.pages import Key, Page

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
CURSOR_LENGTH = 400


class ItemsPage(BaseModel, Generic[T]):
    items: list[T]
    next: str | None = Field(description="Pass as `cursor` for the next page (the `Link` "
                                         "header's rel=\"next\" URL does); null on the last.")


@dataclass
class PageRequest:
    limit: int
    cursor: str | None
    request: Request
    response: Response

    def after(self, *shape: type) -> Key | None:
        """The key the cursor names, checked to be of `shape` (e.g. `int, str`)."""
        if self.cursor is None:
            return None
        key = _decode(self.cursor)
        if key is None or len(key) != len(shape) or not all(
                type(part) is kind for part, kind in zip(key, shape, strict=True)):
            raise ValidationError([("cursor", "is not a cursor this list gave; pass the "
                                              "`next` of the previous page")])
        return key

    def after_position(self) -> int:
        """The log position (or version) the cursor names; 0 without one."""
        key = self.after(int)
        return 0 if key is None else int(key[0])

    def respond(self, page: Page[Any], model: Callable[..., M]) -> dict[str, Any]:
        """The page as its body, with a Link header to the next one if there is one."""
        following = None if page.next_key is None else _encode(page.next_key)
        if following is not None:
            link_next(self.request, self.response, cursor=following)
        return {"items": [model(**item) for item in page.items], "next": following}


def link_next(request: Request, response: Response, **query: str | int) -> None:
    """An RFC 8288 `Link: <this URL with query>; rel="next"` header."""
    url = request.url.include_query_params(**query)
    response.headers["Link"] = f'<{url}>; rel="next"'


async def page_request(request: Request, response: Response,
                 limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description=(
                     "Most items in one page."))] = DEFAULT_LIMIT,
                 cursor: Annotated[str | None, Query(max_length=CURSOR_LENGTH, description=(
                     "Where to continue: the previous page's `next`."))] = None) -> PageRequest:
    return PageRequest(limit, cursor, request, response)


def _encode(key: Key) -> str:
    text = json.dumps(list(key), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(text).decode().rstrip("=")


def _decode(cursor: str) -> Key | None:
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error):
        return None
    if not isinstance(key, list) or not all(type(part) in (int, str) for part in key):
        return None
    return tuple(key)


Paging = Annotated[PageRequest, Depends(page_request)]
