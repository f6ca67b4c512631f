"""Every error as application/problem+json (RFC 9457), mapped once for the whole app.

The domain raises named errors; this module is the only place that knows which HTTP status
each one means, so routes never catch anything.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.deps import ViewsBehindError
from api.idempotency import RequestInProgressError
from api.oidc import IdentityProviderUnavailableError
from api.tokens import InvalidTokenError
from domain.adjustment_ops import OPS as ADJUSTMENT_OPS
from domain.errors import (
    BusyError,
    ConcurrencyConflictError,
    MethodologyError,
    NotFoundError,
    PermissionDeniedError,
    TransitionNotAllowedError,
    ValidationError,
)
from workflows.idempotency import ReservationLostError

PROBLEM_TYPE = "https://okr-ledger.example/problems/"


def problem(status: int, title: str, detail: str, headers: dict[str, str] | None = None,
            **extra: Any) -> JSONResponse:
    slug = title.lower().replace(" ", "-")
    body = {"type": PROBLEM_TYPE + slug, "title": title, "status": status, "detail": detail,
            **extra}
    return JSONResponse(jsonable_encoder(body), status_code=status, headers=headers,
                        media_type="application/problem+json")


def _field_errors(violations: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"field": field, "message": message} for field, message in violations]


async def _validation(_: Request, error: ValidationError) -> JSONResponse:
    title = "Breaks the OKR method" if isinstance(error, MethodologyError) else "Invalid input"
    return problem(422, title, str(error), errors=_field_errors(error.violations))


async def _request_validation(_: Request, error: RequestValidationError) -> JSONResponse:
    errors = [{"field": _field_name(e["loc"]), "in": e["loc"][0], "message": e["msg"]}
              for e in error.errors()]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return problem(422, "Invalid input", detail, errors=errors)


def _field_name(loc: tuple[Any, ...]) -> str:
    """`changes[0].weight`, as the domain names fields, from pydantic's location tuple.

    The location's first part (body, query, path, header) is reported apart; a discriminated
    union adds the tag it picked (an op name) after a list index, which callers never wrote.
    """
    name, parts = "", loc[1:]
    for previous, part in zip((None, *parts), parts, strict=False):
        if isinstance(part, int):
            name += f"[{part}]"
        elif not (isinstance(previous, int) and part in ADJUSTMENT_OPS):
            name += f".{part}" if name else str(part)
    return name or str(loc[0])


async def _transition(_: Request, error: TransitionNotAllowedError) -> JSONResponse:
    return problem(409, "Transition not allowed", str(error), action=error.action,
                   state=error.state, allowed_actions=error.allowed_actions)


async def _permission(_: Request, error: PermissionDeniedError) -> JSONResponse:
    return problem(403, "Forbidden", str(error))


async def _not_found(_: Request, error: NotFoundError) -> JSONResponse:
    return problem(404, "Not found", str(error), kind=error.kind, id=error.identifier)


async def _conflict(_: Request, error: ConcurrencyConflictError) -> JSONResponse:
    return problem(412, "Precondition failed", str(error),
                   headers={"ETag": f'"{error.current_version}"'},
                   expected_version=error.expected_version,
                   current_version=error.current_version)


async def _in_progress(_: Request, error: RequestInProgressError) -> JSONResponse:
    return problem(409, "Request in progress", str(error),
                   headers={"Retry-After": str(error.retry_after)})


async def _reservation_lost(_: Request, error: ReservationLostError) -> JSONResponse:
    return problem(409, "Request taken over", str(error), headers={"Retry-After": "1"})


async def _busy(_: Request, error: BusyError) -> JSONResponse:
    return problem(503, "Busy", str(error), headers={"Retry-After": "1"})


async def _views_behind(_: Request, error: ViewsBehindError) -> JSONResponse:
    return problem(503, "Views behind", str(error), headers={"Retry-After": "1"},
                   min_position=error.wanted, position=error.reached)


async def _provider_unavailable(_: Request, error: IdentityProviderUnavailableError
                                ) -> JSONResponse:
    return problem(503, "Identity provider unavailable", str(error),
                   headers={"Retry-After": "5"})


async def _unauthorised(_: Request, error: InvalidTokenError) -> JSONResponse:
    return problem(401, "Unauthorized", f"a valid bearer token is required: {error}",
                   headers={"WWW-Authenticate": "Bearer"})


async def _http(_: Request, error: StarletteHTTPException) -> JSONResponse:
    headers = dict(error.headers or {})
    title = {404: "Not found", 405: "Method not allowed"}.get(error.status_code, "Error")
    return problem(error.status_code, title, str(error.detail), headers=headers or None)


def unexpected_problem() -> JSONResponse:
    return problem(500, "Internal server error", "the server failed unexpectedly; the "
                   "X-Request-ID of this answer finds the error in the server's log")


async def _unexpected(_: Request, error: Exception) -> JSONResponse:
    """Only errors raised outside `api.observing` reach this; it answers all the others."""
    return unexpected_problem()


HANDLERS: tuple[tuple[type[Exception], Callable[[Request, Any], Awaitable[JSONResponse]]], ...] = (
    (ValidationError, _validation),
    (RequestValidationError, _request_validation),
    (TransitionNotAllowedError, _transition),
    (PermissionDeniedError, _permission),
    (NotFoundError, _not_found),
    (ConcurrencyConflictError, _conflict),
    (BusyError, _busy),
    (RequestInProgressError, _in_progress),
    (ReservationLostError, _reservation_lost),
    (ViewsBehindError, _views_behind),
    (InvalidTokenError, _unauthorised),
    (IdentityProviderUnavailableError, _provider_unavailable),
    (StarletteHTTPException, _http),
    (Exception, _unexpected),
)


def install_problem_handlers(app: FastAPI) -> None:
    """Each handler takes the one error class it is registered for; FastAPI's decorator form
    registers it without Starlette's `(Request, Exception)` signature, which no handler has."""
    for error_class, handler in HANDLERS:
        app.exception_handler(error_class)(handler)
