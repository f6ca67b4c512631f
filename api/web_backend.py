"""What the API lends the web app it mounts (`web.backend.Backend`): its ledger, views,
secret, token checking and integrity service, read from the app's state when a page is
served."""

from __future__ import annotations

from fastapi import Request

from api.tokens import InvalidTokenError
from web.backend import Backend
from workflows.actors import Actor


async def _actor(request: Request, token: str) -> Actor:
    if not token:
        raise InvalidTokenError("no token given")
    actor: Actor = await request.app.state.authenticator.actor(token)
    return actor


BACKEND = Backend(ledger=lambda request: request.app.state.ledger,
                  views=lambda request: request.app.state.projections,
                  secret=lambda request: request.app.state.secret,
                  actor_for_token=_actor, token_error=InvalidTokenError,
                  integrity=lambda request: request.app.state.integrity)
