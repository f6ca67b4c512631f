"""Every error as application/problem+json (RFC 9457), mapped once for the whole app.

The domain raises named errors; this module is the only place that knows which HTTP status
each one means, so routes never catch anything.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.deps import ViewsBehindError
from api.etags import NotModifiedError, WeakTagError, etag
from api.idempotency import RequestInProgressError
from api.oidc import IdentityProviderUnavailableError
from api.problem_json import problem
from api.request_problems import MalformedHeaderError, http_error, malformed_header, request_validation
from api.tokens import InvalidTokenError
from api.waiting import TooManyWaitingError
from domain.errors import (
    BusyError,
    ConcurrencyConflictError,
    DamagedHistoryError,
    MethodologyError,
    NotFoundError,
    PermissionDeniedError,
    TransitionNotAllowedError,
    ValidationError,
    WritesRefusedError,
)
from integrity.sealer import SigningRefusedError
from workflows.idempotency import ReservationLostError

refusals_log = logging.getLogger("okr.integrity")

def _field_errors(violations: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"field": field, "message": message} for field, message in violations]


async def _validation(request: Request, error: ValidationError) -> JSONResponse:
    title = "Breaks the OKR method" if isinstance(error, MethodologyError) else "Invalid input"
    return problem(422, title, str(error), errors=_field_errors(error.violations),
                   instance=request.url.path)


async def _transition(request: Request, error: TransitionNotAllowedError) -> JSONResponse:
    return problem(409, "Transition not allowed", str(error), action=error.action,
                   state=error.state, allowed_actions=error.allowed_actions,
                   instance=request.url.path)


async def _permission(request: Request, error: PermissionDeniedError) -> JSONResponse:
    return problem(403, "Forbidden", str(error), instance=request.url.path)


async def _not_found(request: Request, error: NotFoundError) -> JSONResponse:
    return problem(404, "Not found", str(error), kind=error.kind, id=error.identifier,
                   instance=request.url.path)


async def _conflict(request: Request, error: ConcurrencyConflictError) -> JSONResponse:
    return problem(412, "Precondition failed", str(error),
                   headers={"ETag": etag(error.current_version)},
                   expected_version=error.expected_version,
                   current_version=error.current_version,
                   instance=request.url.path)


async def _damaged(request: Request, error: DamagedHistoryError) -> JSONResponse:
    """409: the objective cannot be served or changed as stored; retrying will not help, and
    an admin finds and names every fault with `okr audit verify`."""
    return problem(409, "Damaged history", str(error), kind=error.kind, id=error.aggregate_id,
                   version=error.version, fault=error.fault, instance=request.url.path)


async def _writes_refused(request: Request, error: WritesRefusedError) -> JSONResponse:
    """503: the server cannot vouch for its log until an admin acknowledges the fault. Each
    refusal is one warning line (with the request id, as every line is, and the fault), so an
    operator sees what the alarm held back."""
    refusals_log.warning("write refused: %s %s", request.method, request.url.path,
                         extra={"fault": str(error)})
    return problem(503, "Writes refused", str(error), headers={"Retry-After": "60"},
                   instance=request.url.path)


async def _weak_tag(request: Request, error: WeakTagError) -> JSONResponse:
    return problem(412, "Precondition failed", str(error),
                   headers={"ETag": etag(error.current_version)},
                   current_version=error.current_version, instance=request.url.path)


async def _not_modified(request: Request, error: NotModifiedError) -> Response:
    return Response(status_code=304, headers={"ETag": error.tag})


async def _in_progress(request: Request, error: RequestInProgressError) -> JSONResponse:
    return problem(409, "Request in progress", str(error),
                   headers={"Retry-After": str(error.retry_after)},
                   instance=request.url.path)


async def _reservation_lost(request: Request, error: ReservationLostError) -> JSONResponse:
    return problem(409, "Request taken over", str(error), headers={"Retry-After": "1"},
                   instance=request.url.path)


async def _too_many_waiting(request: Request, error: TooManyWaitingError) -> JSONResponse:
    return problem(503, "Too many waiting reads", str(error), headers={"Retry-After": "1"},
                   instance=request.url.path)


async def _cannot_sign(request: Request, error: SigningRefusedError) -> JSONResponse:
    return problem(503, "Cannot sign checkpoints", str(error), instance=request.url.path)


async def _busy(request: Request, error: BusyError) -> JSONResponse:
    return problem(503, "Busy", str(error), headers={"Retry-After": "1"},
                   instance=request.url.path)


async def _views_behind(request: Request, error: ViewsBehindError) -> JSONResponse:
    return problem(503, "Views behind", str(error), headers={"Retry-After": "1"},
                   min_position=error.wanted, position=error.reached,
                   instance=request.url.path)


async def _provider_unavailable(request: Request, error: IdentityProviderUnavailableError
                                ) -> JSONResponse:
    return problem(503, "Identity provider unavailable", str(error),
                   headers={"Retry-After": "5"}, instance=request.url.path)


async def _unauthorised(request: Request, error: InvalidTokenError) -> JSONResponse:
    return problem(401, "Unauthorized", f"a valid bearer token is required: {error}",
                   headers={"WWW-Authenticate": "Bearer"},
                   instance=request.url.path)


def unexpected_problem(instance: str | None = None) -> JSONResponse:
    return problem(500, "Internal server error", "the server failed unexpectedly; the "
                   "X-Request-ID of this answer finds the error in the server's log",
                   instance=instance)


async def _unexpected(request: Request, error: Exception) -> JSONResponse:
    """Only errors raised outside `api.observing` reach this; it answers all the others."""
    return unexpected_problem(request.url.path)


HANDLERS: tuple[tuple[type[Exception], Callable[[Request, Any], Awaitable[Response]]], ...] = (
    (ValidationError, _validation),
    (RequestValidationError, request_validation),
    (MalformedHeaderError, malformed_header),
    (TransitionNotAllowedError, _transition),
    (PermissionDeniedError, _permission),
    (NotFoundError, _not_found),
    (ConcurrencyConflictError, _conflict),
    (DamagedHistoryError, _damaged),
    (WritesRefusedError, _writes_refused),
    (BusyError, _busy),
    (SigningRefusedError, _cannot_sign),
    (TooManyWaitingError, _too_many_waiting),
    (WeakTagError, _weak_tag),
    (NotModifiedError, _not_modified),
    (RequestInProgressError, _in_progress),
    (ReservationLostError, _reservation_lost),
    (ViewsBehindError, _views_behind),
    (InvalidTokenError, _unauthorised),
    (IdentityProviderUnavailableError, _provider_unavailable),
    (StarletteHTTPException, http_error),
    (Exception, _unexpected),
)


def install_problem_handlers(app: FastAPI) -> None:
    """Each handler takes the one error class it is registered for; FastAPI's decorator form
    registers it without Starlette's `(Request, Exception)` signature, which no handler has."""
    for error_class, handler in HANDLERS:
        app.exception_handler(error_class)(handler)
