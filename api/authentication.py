"""Who a bearer token names: one of the server's own tokens, or the identity provider's.

The token's header says which: HS256 is ours (`api.tokens`), RS256 and ES256 the identity
provider's when one is configured (`api.oidc`); anything else is refused before any key is
looked up, so one kind of token can never be checked with the other's key. Our own are checked
on the event loop (a hash, no I/O); the provider's in a worker thread, since checking one may
fetch its keys.
"""

from __future__ import annotations

import jwt
from anyio import to_thread

from api.oidc import ALGORITHMS, OidcVerifier
from api.tokens import ALGORITHM, InvalidTokenError, read_token
from workflows.actors import Actor
from workflows.settings import Settings


class Authenticator:
    def __init__(self, secret: str, settings: Settings) -> None:
        self.secret = secret
        self.oidc = OidcVerifier(settings) if settings.oidc_issuer else None

    async def actor(self, token: str) -> Actor:
        algorithm = _algorithm(token)
        if algorithm == ALGORITHM:
            return read_token(self.secret, token)
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
