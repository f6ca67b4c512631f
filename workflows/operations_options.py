"""The kinds of value the operations options take, and how each is checked.

`workflows.settings` declares the options; this module holds what their values may be (the
choices, the comma-separated lists) so that the one `Settings` stays a readable list of fields.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import StrEnum

from workflows.actors import Role

ROLE_NAMES = tuple(role.value for role in Role)
ORIGIN = re.compile(r"https?://[^\s/,]+")


class MetricsAccess(StrEnum):
    ADMIN = "admin"
    OPEN = "open"


class LogFormat(StrEnum):
    AUTO = "auto"
    JSON = "json"
    TEXT = "text"


class LogLevel(StrEnum):
    DEBUG = "debug"
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


def split_list(text: str) -> list[str]:
    """The entries of a comma-separated option, trimmed, empty ones dropped."""
    return [entry.strip() for entry in text.split(",") if entry.strip()]


def check_origins(origins: str) -> str:
    wrong = [origin for origin in split_list(origins) if not ORIGIN.fullmatch(origin)]
    if wrong:
        raise ValueError(f"each origin must look like https://host[:port]; not {wrong[0]!r}")
    return origins


def role_map(mapping: str) -> dict[str, str]:
    """`OKR_OIDC_ROLE_MAP` as {claim value: role}; ValueError naming an entry at fault."""
    pairs = [entry.partition("=") for entry in split_list(mapping)]
    wrong = [f"{value}{eq}{role}" for value, eq, role in pairs
             if not (eq and value.strip() and role.strip() in ROLE_NAMES)]
    if wrong:
        raise ValueError(f"each entry must be value=role with a role among "
                         f"{', '.join(ROLE_NAMES)}; not {wrong[0]!r}")
    return {value.strip(): role.strip() for value, _, role in pairs}


def check_oidc(issuer: str, audience: str, jwks_url: str, env_name: Callable[[str], str]) -> str:
    """The three OpenID Connect options come together or not at all; the key URL is http(s)."""
    given = [bool(issuer), bool(audience), bool(jwks_url)]
    if any(given) and not all(given):
        names = [env_name(name) for name in ("oidc_issuer", "oidc_audience", "oidc_jwks_url")]
        raise ValueError(f"{names[0]}, {names[1]} and {names[2]} are set together or not at all")
    if jwks_url and not jwks_url.startswith(("https://", "http://")):
        raise ValueError("must be an http(s) URL")
    return jwks_url
