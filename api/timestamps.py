"""Moments given by callers, made comparable with the events' UTC timestamps."""

from __future__ import annotations

from datetime import UTC, datetime


def aware(moment: datetime | None) -> datetime | None:
    """A naive moment is read as UTC, so comparing it with stored times never fails."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)
