"""What the server that mounts the web app lends it: the web never imports `api`.

The API owns token checking (its own HS256 tokens and the identity provider's) and the signing
secret; the ledger and the views are opened by its lifespan. Each is a callable taking the
request, so the web reads them when a page is served, after the lifespan opened them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from fastapi import Request

from integrity.service import IntegrityService
from projections.service import ProjectionService
from workflows.actors import Actor
from workflows.ledger import OKRLedger


@dataclass(frozen=True)
class Backend:
    ledger: Callable[[Request], OKRLedger]
    views: Callable[[Request], ProjectionService]
    secret: Callable[[Request], str]
    actor_for_token: Callable[[Request, str], Awaitable[Actor]]
    """The actor a bearer token names; raises `token_error` for one not valid."""
    token_error: type[Exception]
    integrity: Callable[[Request], IntegrityService]
    """The log's sealer, checkpoints and alarms (`web.integrity_view`)."""


def backend_of(request: Request) -> Backend:
    found: Backend = request.app.state.web_backend
    return found
