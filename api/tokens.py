"""Signed, expiring bearer tokens (JWT, HS256) that name a person and their role.

The secret is `OKR_SECRET` when set; otherwise a random key kept in the data directory, created
once with owner-only permissions, so `okr token issue` and `okr serve` on the same data
directory agree without any configuration.
"""

from __future__ import annotations

import os
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt

from domain.errors import ValidationError
from workflows.actors import Actor, Role
from workflows.settings import Settings

ALGORITHM = "HS256"
KEY_FILE = "token-secret.key"
ROLES = tuple(role.value for role in Role)


class InvalidTokenError(Exception):
    """The bearer token is missing, forged, expired or malformed."""


def load_secret(settings: Settings) -> str:
    """The signing secret: OKR_SECRET, else the data directory's key file (made if missing)."""
    if settings.secret:
        return settings.secret
    path = Path(settings.data_dir) / KEY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(descriptor, "w") as key_file:
        key_file.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def issue_token(secret: str, subject: str, role: str, ttl_seconds: int = 8 * 3600) -> str:
    """A token for `subject` acting as `role`, valid for `ttl_seconds`."""
    faults = []
    if not subject or not subject.strip():
        faults.append(("subject", "is required: the person's name"))
    if role not in ROLES:
        faults.append(("role", f"must be one of {', '.join(ROLES)}; got {role!r}"))
    if ttl_seconds <= 0:
        faults.append(("ttl", "must be a positive number of seconds"))
    if faults:
        raise ValidationError(faults)
    now = datetime.now(UTC)
    claims = {"sub": subject.strip(), "role": role, "iat": now,
              "exp": now + timedelta(seconds=ttl_seconds)}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def read_token(secret: str, token: str) -> Actor:
    """The actor a token names; InvalidTokenError if it is not one we signed and still valid."""
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM],
                            options={"require": ["sub", "exp"]})
    except jwt.PyJWTError as error:
        raise InvalidTokenError(str(error)) from None
    if claims.get("role") not in ROLES or not isinstance(claims.get("sub"), str):
        raise InvalidTokenError("the token names no known role")
    return Actor(claims["sub"], claims["role"])
