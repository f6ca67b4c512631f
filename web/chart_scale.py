"""Scales for the server-drawn charts: data values and moments onto SVG coordinates, and the
"nice" tick values a reader expects on an axis (1, 2, 5 times a power of ten)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

DAY = timedelta(days=1)


@dataclass(frozen=True)
class Linear:
    """`lo..hi` onto `out_lo..out_hi` (an SVG axis; y runs downwards, so out_lo > out_hi)."""

    lo: float
    hi: float
    out_lo: float
    out_hi: float

    def __call__(self, value: float) -> float:
        share = (value - self.lo) / (self.hi - self.lo)
        return self.out_lo + share * (self.out_hi - self.out_lo)


def padded(values: list[float]) -> tuple[float, float]:
    """A value range holding every one of `values`, widened by a tenth so nothing sits on the
    frame (and by 1 either side when they are all equal)."""
    lo, hi = min(values), max(values)
    if hi - lo < 1e-9 * max(1.0, abs(hi)):
        return lo - 1, hi + 1
    margin = (hi - lo) / 10
    return lo - margin, hi + margin


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """About `count` round values between `lo` and `hi`."""
    raw = (hi - lo) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(lo / step) * step
    ticks = []
    value = first
    while value <= hi + step * 1e-9:
        ticks.append(0.0 if abs(value) < step * 1e-9 else value)
        value += step
    return ticks


def time_span(moments: list[datetime]) -> tuple[datetime, datetime]:
    """The first and last of `moments`, a day apart at least so the scale has width."""
    lo, hi = min(moments), max(moments)
    if hi - lo < DAY:
        return lo - DAY / 2, hi + DAY / 2
    return lo, hi


def seconds(moment: datetime) -> float:
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.timestamp()


def date_ticks(lo: datetime, hi: datetime) -> list[datetime]:
    """Month starts between `lo` and `hi` when there are at least two, else four evenly
    spaced moments (a short cycle, or a chart of a few days)."""
    months = []
    month = datetime(lo.year, lo.month, 1, tzinfo=UTC)
    while month <= hi:
        if month >= lo:
            months.append(month)
        month = datetime(month.year + month.month // 12, month.month % 12 + 1, 1, tzinfo=UTC)
    if len(months) >= 2:
        return months
    return [lo + (hi - lo) * share for share in (0, 1 / 3, 2 / 3, 1)]


def number(value: float) -> str:
    """A value as a reader wants it on an axis or in a label: no needless decimals."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.6g}"
