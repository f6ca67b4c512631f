"""How an objective evolved: every event in order, and the difference between two versions."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import HistoryReader, Ledger
from api.models.common import Instant
from api.models.objectives import FieldChange, HistoryEntry, HistoryPage, ObjectiveDiff
from api.models.timeline import Timeline, TimelineEntry
from api.pagination import Paging
from api.timestamps import aware
from domain.errors import ValidationError
from workflows.ledger import OKRLedger

router = APIRouter(prefix="/v1/objectives/{objective_id}", tags=["history"])


@router.get("/history")
def history(objective_id: str, _: HistoryReader, ledger: Ledger,
            paging: Paging) -> HistoryPage:
    """Every event of the objective, oldest first, with who did it and when."""
    found = ledger.history_page(objective_id, after=paging.after_position(), limit=paging.limit)
    return HistoryPage(**paging.respond(found, HistoryEntry))


VersionEnd = Annotated[int | None, Query(ge=1, le=2**31)]
MomentEnd = Annotated[Instant | None, Query(description="A moment, RFC 3339.")]


@router.get("/diff")
def diff(objective_id: str, _: HistoryReader, ledger: Ledger,
         from_version: Annotated[int | None, Query(alias="from", ge=1, le=2**31)] = None,
         to_version: Annotated[int | None, Query(alias="to", ge=1, le=2**31)] = None,
         from_time: MomentEnd = None, to_time: MomentEnd = None) -> ObjectiveDiff:
    """Each field that differs between version `from` (or the moment `from_time`) and version
    `to` (or `to_time`; neither: now), with the commands that changed it: who, in which role,
    when, where in the log and why."""
    from_version = _end(ledger, objective_id, "from", from_version, from_time, required=True)
    to_version = _end(ledger, objective_id, "to", to_version, to_time, required=False)
    changes = ledger.diff(objective_id, from_version, to_version)
    return ObjectiveDiff(objective_id=objective_id, from_version=from_version,
                         to_version=to_version, changes=[FieldChange(**c) for c in changes])


@router.get("/timeline")
def timeline(objective_id: str, _: HistoryReader, ledger: Ledger) -> Timeline:
    """One entry per command, oldest first: what happened in words, who (in which role), when,
    where in the log, why, each field changed with before and after; an adjustment's proposal
    and decision joined."""
    entries = ledger.timeline(objective_id)
    return Timeline(objective_id=objective_id,
                    entries=[TimelineEntry(**entry) for entry in entries])


def _end(ledger: OKRLedger, objective_id: str, name: str, version: int | None,
         moment: datetime | None, *, required: bool) -> int:
    """A diff's end as a version: given, or reached at a moment (both: a 422 naming both)."""
    if version is not None and moment is not None:
        raise ValidationError([(field, f"give {name} or {name}_time, not both")
                               for field in (name, f"{name}_time")])
    if required and version is None and moment is None:
        raise ValidationError([(name, f"give {name} (a version) or {name}_time (a moment)")])
    return ledger.version_at(objective_id, version=version, as_of=aware(moment))
