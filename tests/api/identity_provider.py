"""A stand-in identity provider for tests: keys it makes, a JWKS it serves on a free port, and
the access tokens it signs. The HTTP server is the standard library's, on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

ISSUER = "https://login.example.com/realms/acme"
AUDIENCE = "okr-ledger"


@dataclass
class SigningKey:
    kid: str
    algorithm: str
    private: Any

    @classmethod
    def rsa(cls, kid: str) -> SigningKey:
        return cls(kid, "RS256", rsa.generate_private_key(public_exponent=65537, key_size=2048))

    @classmethod
    def ec(cls, kid: str) -> SigningKey:
        return cls(kid, "ES256", ec.generate_private_key(ec.SECP256R1()))

    def jwk(self) -> dict[str, Any]:
        algorithm = RSAAlgorithm if self.algorithm == "RS256" else ECAlgorithm
        public = algorithm.to_jwk(self.private.public_key(), as_dict=True)
        return {**public, "kid": self.kid, "use": "sig", "alg": self.algorithm}


@dataclass
class IdentityProvider:
    url: str
    published: list[SigningKey] = field(default_factory=list)
    fetches: int = 0
    available: bool = True

    def token(self, key: SigningKey | None = None, *, ttl: float = 300, kid: str | None = None,
              **claims: Any) -> str:
        """An access token signed with `key` (the first published by default)."""
        key = key or self.published[0]
        now = datetime.now(UTC)
        body = {"iss": ISSUER, "aud": AUDIENCE, "sub": "bob", "roles": ["member"], "iat": now,
                "exp": now + timedelta(seconds=ttl), **claims}
        return jwt.encode({k: v for k, v in body.items() if v is not None}, key.private,
                          algorithm=key.algorithm, headers={"kid": kid or key.kid})

    def jwks(self) -> bytes:
        return json.dumps({"keys": [key.jwk() for key in self.published]}).encode()


@contextmanager
def identity_provider(*keys: SigningKey) -> Iterator[IdentityProvider]:
    """Serve the JWKS of `keys` (changeable through `published`) until the block ends."""
    provider = IdentityProvider("", list(keys))

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the standard library's name
            if not provider.available:
                self.send_error(503)
                return
            provider.fetches += 1
            body = provider.jwks()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    provider.url = f"http://127.0.0.1:{server.server_address[1]}/protocol/openid-connect/certs"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
