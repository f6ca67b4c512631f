"""The audit page's filters and downloads: the decision log and the adjustment audit, asked of
the views with the same queries the API's `/v1/audit/*` routes use, and written as CSV by the
same code as `okr export`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from projections.decision_view import DecisionFilter
from projections.decisions import DECISION_ACTIONS
from projections.exports import Exported, Format, render
from projections.service import ProjectionService

PAGE_SIZE = 200
FILTERS = ("cycle", "objective", "person", "action", "since", "until")
MAX_TEXT = 300


@dataclass(frozen=True)
class AuditFilters:
    """What the reader asked for; dates are whole days, `until` included."""

    cycle: str | None = None
    objective: str | None = None
    person: str | None = None
    action: str | None = None
    since: date | None = None
    until: date | None = None
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, query: Mapping[str, str]) -> AuditFilters:
        """The filters in a query string; each one at fault is named, and left out."""
        errors: dict[str, str] = {}
        texts = {name: _text(query, name, errors) for name in ("cycle", "objective", "person")}
        action = _text(query, "action", errors)
        if action is not None and action not in DECISION_ACTIONS:
            errors["action"] = f"must be one of {', '.join(DECISION_ACTIONS)}"
            action = None
        since, until = _day(query, "since", errors), _day(query, "until", errors)
        if since and until and until < since:
            errors["until"] = "must not be before the first day"
            until = None
        return cls(**texts, action=action, since=since, until=until, errors=errors)

    def decisions(self) -> DecisionFilter:
        return DecisionFilter(cycle_id=self.cycle, objective_id=self.objective,
                              actor=self.person, action=self.action, since=_start(self.since),
                              until=_start(self.until, 1))

    def adjustments(self) -> dict[str, Any]:
        """The adjustment audit's filters: the person is the objective's owner there."""
        return {"cycle_id": self.cycle, "objective_id": self.objective, "owner": self.person,
                "since": _start(self.since), "until": _start(self.until, 1)}

    def query(self) -> dict[str, str]:
        """The filters as they go back into a link (the CSV download, the next page)."""
        values = {name: getattr(self, name) for name in FILTERS}
        return {name: str(value) for name, value in values.items() if value is not None}


def _text(query: Mapping[str, str], name: str, errors: dict[str, str]) -> str | None:
    value = (query.get(name) or "").strip()
    if len(value) > MAX_TEXT:
        errors[name] = f"must be at most {MAX_TEXT} characters"
        return None
    return value or None


def _day(query: Mapping[str, str], name: str, errors: dict[str, str]) -> date | None:
    value = (query.get(name) or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors[name] = f"must be a date like 2026-11-28; got {value[:40]!r}"
        return None


def _start(day: date | None, later: int = 0) -> datetime | None:
    if day is None:
        return None
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(days=later)


def decision_page(views: ProjectionService, filters: AuditFilters,
                  after: int = 0) -> tuple[list[dict[str, Any]], int | None]:
    return views.decisions(filters.decisions(), after=after, limit=PAGE_SIZE)


def adjustment_records(views: ProjectionService, filters: AuditFilters) -> list[dict[str, Any]]:
    return views.adjustments_page(**filters.adjustments(), limit=PAGE_SIZE).items


def decisions_csv(views: ProjectionService, filters: AuditFilters) -> str:
    """Every matching decision (not one page), as `okr export decisions --format csv`."""
    entries, _ = views.decisions(filters.decisions())
    return render(Exported.DECISIONS, entries, Format.CSV)


def adjustments_csv(views: ProjectionService, filters: AuditFilters) -> str:
    return render(Exported.AUDIT, views.adjustments(**filters.adjustments()), Format.CSV)
