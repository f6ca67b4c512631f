"""Signed, expiring bearer tokens (JWT, HS256) that name a person and their role.

The secret is `OKR_SECRET` when set; otherwise a random key kept in the data directory, created
once with owner-only permissions, so `okr token issue` and `okr serve` on the same data
directory agree without any configuration. The key file is written whole under a temporary
name and then linked into place, which never replaces a file already there: a process racing
to make it reads either nothing (and makes its own, which loses the link) or the whole key.
An empty key is never accepted.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt

from domain.errors import ValidationError
from domain.validation import TITLE_LENGTH, text_faults
from workflows.actors import Actor, Role
from workflows.settings import Settings
from workflows.store_files import write_key_file_once

ALGORITHM = "HS256"
KEY_FILE = "token-secret.key"
ROLES = tuple(role.value for role in Role)
MAX_TTL_SECONDS = 366 * 24 * 3600
REASONS: tuple[tuple[type[jwt.PyJWTError], str], ...] = (
    (jwt.ExpiredSignatureError, "the token has expired; get a new one"),
    (jwt.InvalidSignatureError, "the token was not signed by this server"),
    (jwt.MissingRequiredClaimError, "the token names no subject or no expiry"),
    (jwt.DecodeError, "the token is not a well-formed JWT"),
)
"""What each refusal of the JWT library means, said in our words (its own messages name its
internals and change between versions)."""


class InvalidTokenError(Exception):
    """The bearer token is missing, forged, expired or malformed."""


def load_secret(settings: Settings, *, create: bool = True) -> str:
    """The signing secret: OKR_SECRET, else the data directory's key file, made if missing
    (unless `create` is false: a reader must not make a key no server uses)."""
    if settings.secret:
        return settings.secret
    path = Path(settings.data_dir) / KEY_FILE
    if not path.exists():
        if not create:
            raise ValidationError([("OKR_SECRET", f"is not set and {path} holds no signing key: "
                                                  "a token signed now would not be accepted; "
                                                  "point --data-dir at the server's data "
                                                  "directory, or set OKR_SECRET")])
        write_key_file_once(path, secrets.token_urlsafe(48).encode(), ".token-secret-")
    secret = path.read_text().strip()
    if not secret:
        raise ValidationError([(str(path), "is empty: an empty key would let anyone sign "
                                           "tokens; delete the file so a new key is made, or "
                                           "set OKR_SECRET")])
    return secret


def issue_token(secret: str, subject: str, role: str, ttl_seconds: int = 8 * 3600) -> str:
    """A token for `subject` acting as `role`, valid for `ttl_seconds`."""
    faults = [("subject", message) for _, message in _subject_faults(subject)]
    if role not in ROLES:
        faults.append(("role", f"must be one of {', '.join(ROLES)}; got {role!r}"))
    if not 0 < ttl_seconds <= MAX_TTL_SECONDS:
        faults.append(("ttl", f"must be from 1 to {MAX_TTL_SECONDS} seconds (a year)"))
    if faults:
        raise ValidationError(faults)
    now = datetime.now(UTC)
    claims = {"sub": subject.strip(), "role": role, "iat": now,
              "exp": now + timedelta(seconds=ttl_seconds)}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def read_token(secret: str, token: str) -> Actor:
    """The actor a token names; InvalidTokenError if it is not one we signed and still valid."""
    return read_token_until(secret, token)[0]


def read_token_until(secret: str, token: str) -> tuple[Actor, float]:
    """The actor a token names and when the token expires (seconds since the epoch)."""
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM],
                            options={"require": ["sub", "exp"]})
    except jwt.PyJWTError as error:
        raise InvalidTokenError(_reason(error)) from None
    subject, expiry = claims.get("sub"), claims.get("exp")
    if type(expiry) not in (int, float):  # bool is an int, so not isinstance
        raise InvalidTokenError("the token's expiry is not a number of seconds")
    assert isinstance(expiry, int | float)
    if not isinstance(subject, str) or _subject_faults(subject):
        raise InvalidTokenError("the token names no person")
    if claims.get("role") not in ROLES:
        raise InvalidTokenError("the token names no known role")
    return Actor(subject, claims["role"]), float(expiry)


def _subject_faults(subject: str) -> list[tuple[str, str]]:
    if not isinstance(subject, str) or not subject.strip():
        return [("subject", "is required: the person's name")]
    return text_faults({"subject": subject}, "subject", required=True, max_length=TITLE_LENGTH)


def _reason(error: jwt.PyJWTError) -> str:
    return next((reason for kind, reason in REASONS if isinstance(error, kind)),
                "the token is not valid")
