"""Who a bearer token names: one of the server's own tokens, or the identity provider's.

The token's header says which: HS256 is ours (`api.tokens`), RS256 and ES256 the identity
provider's when one is configured (`api.oidc`); anything else is refused before any key is
looked up, so one kind of token can never be checked with the other's key. Our own are checked
on the event loop (a hash, no I/O); the provider's in a worker thread, since checking one may
fetch its keys. A client sends the same token with every request, so our own are remembered
once verified, until they expire (`VerifiedTokens`).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import jwt
from anyio import to_thread

from api.oidc import ALGORITHMS, OidcVerifier
from api.tokens import ALGORITHM, InvalidTokenError, read_token_until
from workflows.actors import Actor
from workflows.settings import Settings


class VerifiedTokens:
    """Our own tokens already verified, each with its expiry, so a client's next request with
    the same token costs a dictionary lookup instead of a decoding and an HMAC on the event
    loop (visible in profiles of benchmark row 2). A token is only remembered after it
    verified, with the secret, which never changes while the process runs, and is forgotten
    once it expires; the oldest are dropped when `limit` are held. Used from the event loop
    only, so it needs no lock. (PyJWT keeps no such cache, and functools' LRU cache could not
    forget a token at its own expiry.)"""

    def __init__(self, secret: str, limit: int = 10_000,
                 clock: Callable[[], float] = time.time) -> None:
        self.secret, self.limit, self.clock = secret, limit, clock
        self._held: dict[str, tuple[Actor, float]] = {}

    def remembered(self, token: str) -> Actor | None:
        """The actor of a token verified before and not yet expired, else None."""
        held = self._held.get(token)
        if held is None:
            return None
        if self.clock() < held[1]:
            return held[0]
        del self._held[token]
        return None

    def verify(self, token: str) -> Actor:
        """The actor a token names, verified now (InvalidTokenError if it is not valid)."""
        actor, expires = read_token_until(self.secret, token)
        if len(self._held) >= self.limit:
            del self._held[next(iter(self._held))]
        self._held[token] = (actor, expires)
        return actor


class Authenticator:
    def __init__(self, secret: str, settings: Settings) -> None:
        self.own = VerifiedTokens(secret)
        self.oidc = OidcVerifier(settings) if settings.oidc_issuer else None

    async def actor(self, token: str) -> Actor:
        remembered = self.own.remembered(token)
        if remembered is not None:
            return remembered
        algorithm = _algorithm(token)
        if algorithm == ALGORITHM:
            return self.own.verify(token)
        if self.oidc is not None and algorithm in ALGORITHMS:
            return await to_thread.run_sync(self.oidc.actor, token)
        accepted = [ALGORITHM, *(ALGORITHMS if self.oidc else ())]
        raise InvalidTokenError(f"tokens signed with {algorithm!r} are not accepted; "
                                f"accepted: {', '.join(accepted)}")


def _algorithm(token: str) -> str:
    try:
        return str(jwt.get_unverified_header(token).get("alg"))
    except jwt.PyJWTError:
        raise InvalidTokenError("the token is not a JWT") from None
