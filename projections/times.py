"""Event times as integer microseconds: exact, ordered and indexable on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)
FOREVER = 2**62
"""The upper bound of a version row that is still current (a position or a time)."""


def to_micros(moment: datetime) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - EPOCH) // MICROSECOND


def moment(micros: int) -> datetime:
    return EPOCH + micros * MICROSECOND


def from_micros(micros: int | None) -> datetime | None:
    return None if micros is None else moment(micros)
