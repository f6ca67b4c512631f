"""The signed-in person's session: a signed cookie, and the CSRF token bound to it.

The cookie is a JWT (HS256) signed with a key derived from the server's secret for this use
only, with an audience of its own: a session cookie is never accepted as a bearer token (PyJWT
refuses a token with an audience the reader did not ask for) and a bearer token never as a
session. It holds the token's subject, role and expiry and a random session id. The CSRF token
is an HMAC of that id, so a form posted from another site (which cannot read the page) cannot
carry it; the cookie is HttpOnly and `SameSite=Strict` besides. Signing out deletes the cookie.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

import jwt

from workflows.actors import Actor

COOKIE = "okr_session"
SIGN_IN_COOKIE = "okr_sign_in"
AUDIENCE = "okr-web-session"
ALGORITHM = "HS256"


@dataclass(frozen=True)
class Session:
    subject: str
    role: str
    expires: datetime
    session_id: str

    @property
    def actor(self) -> Actor:
        return Actor(self.subject, self.role)


def _key(secret: str, purpose: str) -> bytes:
    return hmac.new(secret.encode(), f"okr-web:{purpose}".encode(), hashlib.sha256).digest()


def new_session(actor: Actor, expires: datetime) -> Session:
    return Session(actor.name, actor.role, expires, secrets.token_urlsafe(16))


def encode_session(secret: str, session: Session) -> str:
    claims = {"sub": session.subject, "role": session.role, "exp": session.expires,
              "sid": session.session_id, "aud": AUDIENCE}
    return jwt.encode(claims, _key(secret, "session"), algorithm=ALGORITHM)


def decode_session(secret: str, cookie: str | None) -> Session | None:
    """The session a cookie holds, or None when absent, forged or expired."""
    if not cookie:
        return None
    try:
        claims = jwt.decode(cookie, _key(secret, "session"), algorithms=[ALGORITHM],
                            audience=AUDIENCE, options={"require": ["sub", "exp", "sid"]})
    except jwt.PyJWTError:
        return None
    role, subject, sid = claims.get("role"), claims.get("sub"), claims.get("sid")
    if not (isinstance(role, str) and isinstance(subject, str) and isinstance(sid, str)
            and role and subject and sid):
        return None
    return Session(subject, role, datetime.fromtimestamp(claims["exp"], UTC), sid)


def csrf_token(secret: str, session_id: str) -> str:
    """The CSRF token of a session (or of a sign-in form's nonce)."""
    return hmac.new(_key(secret, "csrf"), session_id.encode(), hashlib.sha256).hexdigest()


def csrf_matches(secret: str, session_id: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(csrf_token(secret, session_id), given or "")


def token_expiry(token: str) -> datetime | None:
    """The expiry a token claims, read after the server has checked the token itself."""
    try:
        expiry = jwt.decode(token, options={"verify_signature": False}).get("exp")
    except jwt.PyJWTError:
        return None
    return datetime.fromtimestamp(expiry, UTC) if isinstance(expiry, int | float) else None
