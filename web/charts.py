"""A key result's chart as inline SVG drawn on the server: every check-in's value over time
against the target line, a marker where an approved adjustment retargeted the KR, and each
check-in's confidence in a strip below.

Drawn by hand rather than with a chart library: the chart is one fixed shape, inline SVG needs
no JavaScript and nothing from a CDN, and its parts (one `check-in` circle per check-in, the
`target-line`, a `retarget` marker per approved retarget) carry classes and data attributes
that tests and assistive technology can read. `render_chart` is pure: plain data in, markup out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape

from web.chart_scale import DAY, Linear, date_ticks, nice_ticks, number, padded, seconds, time_span

WIDTH, HEIGHT = 640, 270
LEFT, RIGHT, TOP = 64, 96, 14
PLOT_BOTTOM = 180
STRIP_TOP, STRIP_BOTTOM = 200, 236
AXIS_LABELS = 256
INK, GRID = "#374151", "#d1d5db"
VALUE, TARGET, RETARGET, CONFIDENCE = "#1d4ed8", "#b45309", "#7c3aed", "#047857"


@dataclass(frozen=True)
class CheckInPoint:
    """One check-in: when, the value reported (a milestone: 1 done, 0 not yet), how sure."""

    time: datetime
    value: float
    confidence: float | None = None
    actor: str = ""
    note: str = ""
    corrected_from: float | None = None
    """What was first reported, when a correction replaced it."""


@dataclass(frozen=True)
class Retarget:
    """An approved adjustment that moved the KR's target: when it was approved, from what to
    what, and by whom."""

    time: datetime
    before: float
    after: float
    decided_by: str = ""
    reason: str = ""


@dataclass(frozen=True)
class ChartData:
    """What one KR's chart shows. `target` is the target before any retarget; `begins` and
    `ends` (the cycle's dates) widen the time axis when given."""

    title: str
    kind: str
    target: float | None
    points: Sequence[CheckInPoint]
    retargets: Sequence[Retarget] = field(default_factory=tuple)
    unit: str = ""
    direction: str | None = None
    begins: datetime | None = None
    ends: datetime | None = None


def render_chart(chart: ChartData, chart_id: str) -> str:
    """The chart as an `<svg>` element; `chart_id` keeps its title and description ids unique
    in the page."""
    frame = _Frame.of(chart)
    parts = [_open(chart, chart_id), *_grid(chart, frame), *_target(chart, frame),
             *_retargets(chart, frame), *_series(chart, frame), *_confidence(chart, frame),
             *_dates(frame), "</svg>"]
    return "".join(parts)


@dataclass(frozen=True)
class _Frame:
    x: Linear
    y: Linear
    strip: Linear
    ticks: list[float]
    dates: list[datetime]

    @classmethod
    def of(cls, chart: ChartData) -> _Frame:
        moments = [p.time for p in chart.points] + [r.time for r in chart.retargets]
        moments += [m for m in (chart.begins, chart.ends) if m is not None]
        lo_t, hi_t = time_span(moments) if moments else _no_time()
        x = Linear(seconds(lo_t), seconds(hi_t), LEFT, WIDTH - RIGHT)
        if chart.kind == "milestone":
            lo, hi, ticks = -0.1, 1.1, [0.0, 1.0]
        else:
            lo, hi = padded(_values(chart))
            ticks = nice_ticks(lo, hi)
        return cls(x, Linear(lo, hi, PLOT_BOTTOM, TOP), Linear(0, 1, STRIP_BOTTOM, STRIP_TOP),
                   ticks, date_ticks(lo_t, hi_t))

    def at(self, moment: datetime) -> float:
        return self.x(seconds(moment))


def _no_time() -> tuple[datetime, datetime]:
    """A chart of nothing in time (no check-in, no cycle dates): the last day."""
    now = datetime.now(UTC)
    return now - DAY, now


def _values(chart: ChartData) -> list[float]:
    values = [p.value for p in chart.points]
    values += [v for r in chart.retargets for v in (r.before, r.after)]
    if chart.target is not None:
        values.append(chart.target)
    return values or [0.0]


def _open(chart: ChartData, chart_id: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="kr-chart" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" font-size="12" fill="{INK}" '
            f'font-family="system-ui, sans-serif" '
            f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
            f'data-check-ins="{len(chart.points)}" data-retargets="{len(chart.retargets)}">'
            f'<title id="{chart_id}-title">{escape(_title(chart))}</title>'
            f'<desc id="{chart_id}-desc">{escape(describe(chart))}</desc>')


def _title(chart: ChartData) -> str:
    return f"Check-ins of \u201c{chart.title}\u201d against its target"


def describe(chart: ChartData) -> str:
    """The chart in words, for a screen reader and for anyone who cannot see the lines."""
    count = len(chart.points)
    words = [f"{count} check-in{'' if count == 1 else 's'}"]
    if chart.points:
        last = chart.points[-1]
        sure = "" if last.confidence is None else f", confidence {number(last.confidence)}"
        words.append(f"latest {_value(chart, last.value)} on {day(last.time)}{sure}")
    target = current_target(chart)
    if target is not None and chart.kind != "milestone":
        words.append(f"target {number(target)}{_unit(chart)}")
    for r in chart.retargets:
        words.append(f"retargeted from {number(r.before)} to {number(r.after)} on {day(r.time)}")
    return "; ".join(words) + "."


def current_target(chart: ChartData) -> float | None:
    return chart.retargets[-1].after if chart.retargets else chart.target


def _grid(chart: ChartData, frame: _Frame) -> list[str]:
    parts = [f'<g class="grid" aria-hidden="true" stroke="{GRID}">']
    for tick in frame.ticks:
        y = frame.y(tick)
        label = ("done" if tick else "not done") if chart.kind == "milestone" else number(tick)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
                     f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" stroke="none">'
                     f'{label}</text>')
    parts.append("</g>")
    return parts


def _target(chart: ChartData, frame: _Frame) -> list[str]:
    """The target as a step line: level until each retarget, then at its new value."""
    first = chart.retargets[0].before if chart.retargets else chart.target
    if first is None:
        return []
    level = frame.y(1.0 if chart.kind == "milestone" else first)
    path = [f"M{LEFT} {level:.1f}"]
    for r in chart.retargets:
        path.append(f"H{frame.at(r.time):.1f} V{frame.y(r.after):.1f}")
    path.append(f"H{WIDTH - RIGHT}")
    target = current_target(chart)
    label = "done" if chart.kind == "milestone" else f"target {_bound(chart)}{number(target or 0)}"
    end = frame.y(1.0 if chart.kind == "milestone" else target or 0)
    return [f'<path class="target-line" d="{" ".join(path)}" data-target="{number(target or 0)}" '
            f'fill="none" stroke="{TARGET}" stroke-width="2" stroke-dasharray="6 4">'
            f'<title>{escape(label + _unit(chart))}</title></path>'
            f'<text class="target-label" x="{WIDTH - RIGHT + 6}" y="{end + 4:.1f}" fill="{TARGET}">'
            f'{escape(label)}</text>']


def _bound(chart: ChartData) -> str:
    """A threshold's sense: at most (below) or at least (above)."""
    if chart.kind != "threshold":
        return ""
    return "\u2264 " if chart.direction == "below" else "\u2265 "


def _retargets(chart: ChartData, frame: _Frame) -> list[str]:
    parts = []
    for r in chart.retargets:
        x, y = frame.at(r.time), frame.y(r.after)
        who = f", approved by {r.decided_by}" if r.decided_by else ""
        words = (f"Retargeted on {day(r.time)}: {number(r.before)} \u2192 {number(r.after)}"
                 f"{_unit(chart)}{who}" + (f" ({r.reason})" if r.reason else ""))
        parts.append(
            f'<g class="retarget" data-time="{r.time.isoformat()}" '
            f'data-before="{number(r.before)}" data-after="{number(r.after)}" '
            f'stroke="{RETARGET}" fill="{RETARGET}">'
            f'<title>{escape(words)}</title>'
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{PLOT_BOTTOM}" stroke-dasharray="2 3"/>'
            f'<path d="M{x:.1f} {y - 6:.1f} l6 6 l-6 6 l-6 -6 z"/>'
            f'<text x="{x + 4:.1f}" y="{TOP + 10}" stroke="none">retarget</text></g>')
    return parts


def _series(chart: ChartData, frame: _Frame) -> list[str]:
    if not chart.points:
        return [f'<text class="empty" x="{(LEFT + WIDTH - RIGHT) / 2}" y="{PLOT_BOTTOM / 2}" '
                f'text-anchor="middle">No check-ins yet</text>']
    coords = [(frame.at(p.time), frame.y(p.value)) for p in chart.points]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    parts = [f'<polyline class="value-line" points="{line}" fill="none" stroke="{VALUE}" '
             f'stroke-width="2"/>', f'<g class="check-ins" fill="{VALUE}">']
    for point, (x, y) in zip(chart.points, coords, strict=True):
        hollow = ' fill="#fff" stroke-width="2"' if point.corrected_from is not None else ""
        parts.append(f'<circle class="check-in" cx="{x:.1f}" cy="{y:.1f}" r="3.5" '
                     f'data-value="{number(point.value)}"{hollow} stroke="{VALUE}">'
                     f'<title>{escape(_point_words(chart, point))}</title></circle>')
    parts.append("</g>")
    return parts


def _point_words(chart: ChartData, point: CheckInPoint) -> str:
    words = f"{day(point.time)}: {_value(chart, point.value)}"
    if point.confidence is not None:
        words += f", confidence {number(point.confidence)}"
    if point.actor:
        words += f", by {point.actor}"
    if point.corrected_from is not None:
        words += f" (corrected; first reported {_value(chart, point.corrected_from)})"
    return words + (f" \u2014 {point.note}" if point.note else "")


def _confidence(chart: ChartData, frame: _Frame) -> list[str]:
    sure = [p for p in chart.points if p.confidence is not None]
    parts = [f'<g class="confidence"><text x="{LEFT - 6}" y="{STRIP_TOP + 4}" '
             f'text-anchor="end">1</text><text x="{LEFT - 6}" y="{STRIP_BOTTOM + 4}" '
             f'text-anchor="end">0</text>'
             f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{STRIP_BOTTOM}" y2="{STRIP_BOTTOM}" '
             f'stroke="{GRID}"/>'
             f'<text x="{WIDTH - RIGHT + 6}" y="{(STRIP_TOP + STRIP_BOTTOM) / 2 + 4}" '
             f'fill="{CONFIDENCE}">'
             f'confidence</text>']
    if sure:
        line = " ".join(f"{frame.at(p.time):.1f},{frame.strip(p.confidence or 0):.1f}"
                        for p in sure)
        parts.append(f'<polyline class="confidence-line" points="{line}" fill="none" '
                     f'stroke="{CONFIDENCE}" stroke-width="1.5"/>')
    parts.append("</g>")
    return parts


def _dates(frame: _Frame) -> list[str]:
    parts = ['<g class="dates" aria-hidden="true">']
    for moment in frame.dates:
        parts.append(f'<text x="{frame.at(moment):.1f}" y="{AXIS_LABELS}" '
                     f'text-anchor="middle">{moment.day} {moment:%b}</text>')
    parts.append("</g>")
    return parts


def _value(chart: ChartData, value: float) -> str:
    if chart.kind == "milestone":
        return "done" if value else "not done"
    return f"{number(value)}{_unit(chart)}"


def _unit(chart: ChartData) -> str:
    return f" {chart.unit}" if chart.unit else ""


def day(moment: datetime) -> str:
    """`14 Nov 2026`: a date as the pages show it."""
    return f"{moment.day} {moment:%b %Y}"
