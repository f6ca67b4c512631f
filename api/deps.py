"""Dependencies every route declares: who is calling, what they may do, the ledger, If-Match.

Role checks live here once; the workflow's owner/reviewer rules are checked by the ledger.
Those that never block are `async def`, so FastAPI runs them on the event loop: a `def`
dependency costs a hop to a worker thread and back, and under load (benchmark row 2) those
hops, each waiting for the GIL, cost more than the work itself. `get_views` may wait, so it
stays a `def`.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated

from anyio import to_thread
from fastapi import Depends, Header, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.etags import WeakTagError
from api.request_context import identify
from api.tokens import InvalidTokenError
from domain.errors import PermissionDeniedError, ValidationError
from projections.service import ProjectionService
from workflows.actors import Actor, Role
from workflows.ledger import OKRLedger

bearer = HTTPBearer(auto_error=False, description=(
    "A token from `okr token issue`, or an OpenID Connect access token from the identity "
    "provider when one is configured."))


async def get_ledger(request: Request) -> OKRLedger:
    return request.app.state.ledger


async def get_actor(request: Request,
                    credentials: Annotated[HTTPAuthorizationCredentials | None,
                                           Depends(bearer)]) -> Actor:
    if credentials is None:
        raise InvalidTokenError("no Authorization: Bearer header")
    actor = await request.app.state.authenticator.actor(credentials.credentials)
    identify(actor)
    return actor


def role_in(*roles: Role) -> Callable[[Actor], Coroutine[None, None, Actor]]:
    """A dependency admitting only callers whose role is one of `roles`."""
    async def check(actor: Annotated[Actor, Depends(get_actor)]) -> Actor:
        return require_role(actor, roles)
    return check


def require_role(actor: Actor, roles: tuple[Role, ...]) -> Actor:
    names = [role.value for role in roles]
    if actor.role not in names:
        raise PermissionDeniedError(
            f"role '{actor.role}' may not do this; allowed roles: {', '.join(names)}")
    return actor


async def get_views(request: Request, min_position: Annotated[int | None, Query(
        ge=0, le=2**62, description="Wait (bounded: `OKR_WAIT_TIMEOUT`) until the views "
                                    "include this position, one a command answered with.")]
                    = None) -> ProjectionService:
    """The projections, once they include `min_position` (read-your-writes)."""
    views: ProjectionService = request.app.state.projections
    if min_position is None:
        return views
    timeout = request.app.state.settings.wait_timeout
    if not await request.app.state.waiters.reached(min_position, timeout):
        raise ViewsBehindError(min_position, await to_thread.run_sync(views.position), timeout)
    return views


class ViewsBehindError(Exception):
    """The views did not reach the position the caller asked for within the wait allowed."""

    def __init__(self, wanted: int, reached: int, timeout: float) -> None:
        self.wanted, self.reached = wanted, reached
        super().__init__(f"the views reached position {reached}, not {wanted}, within "
                         f"{timeout:g} s; retry shortly")


IF_MATCH = r'^\s*(\*|(W/)?"?[0-9]{1,18}"?)\s*$'
"""What `if_match` takes: `*`, or an ETag (weak ones are taken to say why they never match)."""


async def if_match(request: Request, ledger: Annotated[OKRLedger, Depends(get_ledger)],
                   if_match: Annotated[str | None, Header(
                       json_schema_extra={"pattern": IF_MATCH},  # checked below, in our words
                       description='The ETag you read, e.g. "4": a stale one gets 412 (a weak '
                                   'one, W/"4", never matches).')] = None) -> int | None:
    """The version the caller expects, or None to let the ledger retry on races."""
    if if_match is None or if_match.strip() == "*":
        return None
    given = if_match.strip()
    text = given.removeprefix("W/").strip('"')
    if not text.isdigit() or len(text) > 18:
        raise ValidationError([("If-Match", f"must be an ETag like \"3\"; got {if_match!r}")])
    if given.startswith("W/"):
        current = await to_thread.run_sync(_current_version, ledger, request.path_params)
        raise WeakTagError(given, current)
    return int(text)


def _current_version(ledger: OKRLedger, path: dict[str, str]) -> int:
    """The version of the objective, cycle or person a command's path names."""
    if "objective_id" in path:
        return ledger.objective(path["objective_id"]).version
    if "subject" in path:
        return ledger.person(path["subject"]).version
    return ledger.cycle(path["cycle_id"]).version


Ledger = Annotated[OKRLedger, Depends(get_ledger)]
Writer = Annotated[Actor, Depends(role_in(Role.ADMIN, Role.MEMBER))]
Admin = Annotated[Actor, Depends(role_in(Role.ADMIN))]
Reader = Annotated[Actor, Depends(get_actor)]
HistoryReader = Annotated[Actor, Depends(role_in(Role.ADMIN, Role.MEMBER, Role.AUDITOR))]
FEED_ROLES = (Role.ADMIN, Role.AUDITOR, Role.INTEGRATOR)
"""Who reads the event feed and its live stream."""
FeedReader = Annotated[Actor, Depends(role_in(*FEED_ROLES))]
Views = Annotated[ProjectionService, Depends(get_views)]
ExpectedVersion = Annotated[int | None, Depends(if_match)]
