"""OpenID Connect access tokens from the enterprise's identity provider, beside our own tokens.

A token is checked against the provider's published keys with PyJWT's `PyJWKClient`: the key
set is fetched once and kept for `OKR_OIDC_JWKS_CACHE_SECONDS`, and fetched again when a token
names a key id it does not hold (a rotated key), at most once per
`OKR_OIDC_JWKS_COOLDOWN_SECONDS` (the client's own cooldown). Only RS256 and ES256 are accepted;
the issuer, the audience and an expiry are required. The person is the subject claim; their
role comes from the role claim through `OKR_OIDC_ROLE_MAP`. Checking may fetch keys over the
network, so callers run it in a worker thread.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jwt
from jwt import PyJWKClient, PyJWKClientConnectionError, PyJWKClientError

from api.tokens import InvalidTokenError
from domain.errors import PermissionDeniedError
from workflows.actors import Actor, Role
from workflows.operations_options import role_map
from workflows.settings import Settings

ALGORITHMS = ("RS256", "ES256")
ROLE_PRECEDENCE = (Role.ADMIN.value, Role.MEMBER.value, Role.AUDITOR.value,
                   Role.INTEGRATOR.value)
"""A person whose claim maps to several roles acts in the first of them here."""
JWKS_TIMEOUT_SECONDS = 5


class IdentityProviderUnavailableError(Exception):
    """The identity provider's keys could not be fetched, so no token of theirs can be checked."""


class OidcVerifier:
    def __init__(self, settings: Settings) -> None:
        self.issuer, self.audience = settings.oidc_issuer, settings.oidc_audience
        self.subject_claim, self.role_claim = settings.oidc_subject_claim, settings.oidc_role_claim
        self.roles = role_map(settings.oidc_role_map) or {role: role for role in ROLE_PRECEDENCE}
        self.leeway = settings.oidc_leeway_seconds
        self.keys = PyJWKClient(settings.oidc_jwks_url, cache_jwk_set=True,
                                lifespan=settings.oidc_jwks_cache_seconds,
                                timeout=JWKS_TIMEOUT_SECONDS,
                                cooldown_duration=settings.oidc_jwks_cooldown_seconds)

    def actor(self, token: str) -> Actor:
        """The person and role a valid token names; InvalidTokenError (401) when the token is
        not valid, PermissionDeniedError (403) when it maps to no role."""
        claims = self._claims(token)
        subject = claim(claims, self.subject_claim)
        if not isinstance(subject, str) or not subject.strip():
            raise InvalidTokenError(f"the token's {self.subject_claim!r} claim names no person")
        return Actor(subject.strip(), self._role(claim(claims, self.role_claim)))

    def _claims(self, token: str) -> dict[str, Any]:
        try:
            key = self.keys.get_signing_key_from_jwt(token)
            return jwt.decode(token, key.key, algorithms=list(ALGORITHMS), audience=self.audience,
                              issuer=self.issuer, leeway=self.leeway,
                              options={"require": ["exp", "iss", "aud"]})
        except PyJWKClientConnectionError:
            raise IdentityProviderUnavailableError(
                "the identity provider's signing keys cannot be fetched; retry shortly") from None
        except PyJWKClientError:
            raise InvalidTokenError("the token is signed with a key the identity provider "
                                    "does not publish") from None
        except jwt.PyJWTError as error:
            raise InvalidTokenError(str(error)) from None

    def _role(self, values: object) -> str:
        given = [values] if isinstance(values, str) else values
        names = [str(value) for value in given] if isinstance(given, list) else []
        mapped = {self.roles[name] for name in names if name in self.roles}
        for role in ROLE_PRECEDENCE:
            if role in mapped:
                return role
        raise PermissionDeniedError(
            f"the token's {self.role_claim!r} claim ({', '.join(names) or 'empty'}) maps to no "
            f"role of OKR Ledger; an admin maps claim values with OKR_OIDC_ROLE_MAP")


def claim(claims: Mapping[str, Any], path: str) -> object:
    """A claim by name, or a nested one by a dotted path (`realm_access.roles`)."""
    found: object = claims
    for part in path.split("."):
        found = found.get(part) if isinstance(found, Mapping) else None
    return found
