"""One way to write a moment: RFC 3339 in UTC, to the microsecond, with `Z`.

Every time the ledger shows (objective fields, history, CloudEvents, read models, CSV and JSON
exports) is written by `rfc3339`, so a client parses one format and compares times as text.
"""

from __future__ import annotations

from datetime import UTC, datetime


def rfc3339(moment: datetime) -> str:
    """`2026-11-28T09:15:02.123456Z`; a moment without a zone is taken as UTC."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def rfc3339_or_none(moment: datetime | None) -> str | None:
    return None if moment is None else rfc3339(moment)
