"""Problems with the request itself rather than with what it asks: malformed JSON (400), a
body that is not JSON (415), fields at fault (422), a body too large (413), no such route (404)
or method (405, with every method the path allows)."""

from __future__ import annotations

import functools
import re
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.problem_json import problem
from domain.adjustment_ops import OPS as ADJUSTMENT_OPS
from domain.values import KeyResultKind

JSON = "application/json"


class MalformedHeaderError(Exception):
    """A request header the route reads is not what it must be: 400, naming the header."""

    def __init__(self, header: str, message: str) -> None:
        self.header, self.message = header, message
        super().__init__(f"{header}: {message}")


async def malformed_header(request: Request, error: MalformedHeaderError) -> JSONResponse:
    return problem(400, "Bad request", str(error), instance=request.url.path,
                   errors=[{"field": error.header, "in": "header", "message": error.message}])
ACCEPT_HEADERS = {"POST": "Accept-Post", "PATCH": "Accept-Patch"}


async def request_validation(request: Request, error: RequestValidationError) -> JSONResponse:
    errors = error.errors()
    path = request.url.path
    if any(e["type"] == "json_invalid" for e in errors):
        return problem(400, "Malformed JSON", _where_json_fails(error), instance=path)
    if _sent_a_body(request) and not _is_json(request.headers.get("content-type")):
        header = ACCEPT_HEADERS.get(request.method, "Accept")
        return problem(415, "Unsupported media type",
                       f"the body must be {JSON}; got "
                       f"{request.headers.get('content-type') or 'no Content-Type'}",
                       headers={header: JSON}, instance=path)
    fields = [{"field": field_name(_tag_located(e)), "in": e["loc"][0], "message": e["msg"]}
              for e in errors]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in fields)
    return problem(422, "Invalid input", detail, errors=fields, instance=path)


async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
    headers = dict(error.headers or {})
    status, detail = error.status_code, str(error.detail)
    title = {404: "Not found", 405: "Method not allowed"}.get(status, "Error")
    if status == 405:
        headers["Allow"] = ", ".join(allowed_methods(request))
        detail = f"{request.method} is not allowed here; allowed: {headers['Allow']}"
    if status == 413:
        title = "Content too large"
        limit = request.app.state.settings.max_body_bytes
        detail = f"the request body is larger than the {limit} bytes allowed (OKR_MAX_BODY_BYTES)"
    return problem(status, title, detail, headers=headers or None, instance=request.url.path)


def allowed_methods(request: Request) -> list[str]:
    """Every method the API document lists for the request's path (HEAD wherever GET is).

    Starlette's own Allow names the methods of the first route matching the path only, where
    several routes (GET and PATCH of an objective) share one."""
    methods: set[str] = set()
    for template, operations in request.app.openapi()["paths"].items():
        if _template(template).fullmatch(request.url.path):
            methods |= {method.upper() for method in operations}
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


@functools.lru_cache(maxsize=256)
def _template(path: str) -> re.Pattern[str]:
    """`/v1/objectives/{objective_id}` as a pattern matching its paths."""
    return re.compile("[^/]+".join(re.escape(part) for part in re.split(r"\{[^}]+\}", path)))


TAGS = frozenset(ADJUSTMENT_OPS) | frozenset(kind.value for kind in KeyResultKind)
"""The tags of the discriminated unions: adjustment ops and key result kinds."""


def field_name(loc: tuple[Any, ...]) -> str:
    """`changes[0].weight`, as the domain names fields, from pydantic's location tuple.

    The location's first part (body, query, path, header) is reported apart; a discriminated
    union adds the tag it picked (an op name, a KR kind) after a list index or at the top of
    the body, which callers never wrote.
    """
    name, parts = "", loc[1:]
    for previous, part in zip((None, *parts), parts, strict=False):
        if isinstance(part, int):
            name += f"[{part}]"
        elif not ((previous is None or isinstance(previous, int)) and part in TAGS):
            name += f".{part}" if name else str(part)
    return name or str(loc[0])


def _tag_located(error: Any) -> tuple[Any, ...]:
    """Where a fault is; a key result's missing or unknown kind is its `kind` field's
    (`key_results[0].kind`, as before KRs were a discriminated union), not the whole KR's,
    where pydantic puts it. (An unknown adjustment op stays the change's: `changes[0]`.)"""
    if (error["type"] in ("union_tag_not_found", "union_tag_invalid")
            and error.get("ctx", {}).get("discriminator") == "'kind'"):
        return (*error["loc"], "kind")
    return tuple(error["loc"])


def _where_json_fails(error: RequestValidationError) -> str:
    (first,) = [e for e in error.errors() if e["type"] == "json_invalid"][:1]
    document = error.body if isinstance(error.body, str) else ""
    position = first["loc"][1] if len(first["loc"]) > 1 else 0
    line = document.count("\n", 0, position) + 1
    column = position - (document.rfind("\n", 0, position) + 1) + 1
    reason = first.get("ctx", {}).get("error", "not JSON")
    return f"the body is not JSON: {reason} at line {line}, column {column}"


def _sent_a_body(request: Request) -> bool:
    length = request.headers.get("content-length")
    return (length is not None and length != "0") or "transfer-encoding" in request.headers


def _is_json(content_type: str | None) -> bool:
    media = (content_type or "").split(";")[0].strip().lower()
    return media == JSON or (media.startswith("application/") and media.endswith("+json"))
