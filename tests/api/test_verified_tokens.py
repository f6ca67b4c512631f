"""Our own tokens are remembered once verified, and only until they expire."""

from __future__ import annotations

import jwt
import pytest

from api.authentication import VerifiedTokens
from api.tokens import InvalidTokenError, issue_token

SECRET = "s" * 40


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_a_verified_token_is_remembered_until_its_expiry_then_refused_as_expired():
    token = issue_token(SECRET, "ada", "member", ttl_seconds=60)
    expiry = jwt.decode(token, SECRET, algorithms=["HS256"])["exp"]
    clock = Clock(expiry - 30)
    tokens = VerifiedTokens(SECRET, clock=clock)
    assert tokens.remembered(token) is None
    assert tokens.verify(token).name == "ada"
    assert tokens.remembered(token).name == "ada"
    clock.now = expiry
    assert tokens.remembered(token) is None  # forgotten at its expiry, not served from memory
    with pytest.raises(InvalidTokenError, match="expired"):
        tokens.verify(jwt.encode({"sub": "ada", "role": "member", "exp": 1}, SECRET,
                                 algorithm="HS256"))


def test_a_token_that_fails_verification_is_never_remembered():
    forged = issue_token("another-secret-of-sufficient-length!", "ada", "admin")
    tokens = VerifiedTokens(SECRET)
    with pytest.raises(InvalidTokenError):
        tokens.verify(forged)
    assert tokens.remembered(forged) is None


def test_the_oldest_token_is_dropped_when_the_limit_is_held():
    first, second, third = (issue_token(SECRET, name, "member") for name in ("a", "b", "c"))
    tokens = VerifiedTokens(SECRET, limit=2)
    for token in (first, second, third):
        tokens.verify(token)
    assert tokens.remembered(first) is None
    assert [tokens.remembered(t).name for t in (second, third)] == ["b", "c"]


def test_a_remembered_token_still_authenticates_each_request_over_http(api):
    token = issue_token(api.secret, "ada", "admin")
    for _ in range(2):
        assert api.client.get("/v1/cycles",
                              headers={"Authorization": f"Bearer {token}"}).status_code == 200
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert api.client.get("/v1/cycles",
                          headers={"Authorization": f"Bearer {forged}"}).status_code == 401
