"""Checking what readers ask for, so bad input gets a clear error rather than a crash."""

from __future__ import annotations

from datetime import datetime

from domain.errors import ValidationError


def check_datetimes(**moments: object) -> None:
    wrong = [(name, f"must be a date and time, e.g. 2026-11-28T09:00:00Z; got {value!r}")
             for name, value in moments.items()
             if value is not None and not isinstance(value, datetime)]
    if wrong:
        raise ValidationError(wrong)


def check_moment(as_of: datetime | None, at_position: int | None) -> None:
    check_datetimes(as_of=as_of)
    if as_of is not None and at_position is not None:
        raise ValidationError([("as_of", "give as_of or at_position, not both")])
    if at_position is not None and (isinstance(at_position, bool)
                                    or not isinstance(at_position, int) or at_position < 0):
        raise ValidationError([("at_position", f"must be a log position, 0 or more; "
                                               f"got {at_position!r}")])
