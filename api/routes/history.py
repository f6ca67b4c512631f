"""How an objective evolved: every event in order, and the difference between two versions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import HistoryReader, Ledger
from api.models.objectives import FieldChange, HistoryEntry, HistoryPage, ObjectiveDiff
from api.models.timeline import Timeline, TimelineEntry
from api.pagination import Paging

router = APIRouter(prefix="/v1/objectives/{objective_id}", tags=["history"])


@router.get("/history")
def history(objective_id: str, _: HistoryReader, ledger: Ledger,
            paging: Paging) -> HistoryPage:
    """Every event of the objective, oldest first, with who did it and when."""
    found = ledger.history_page(objective_id, after=paging.after_position(), limit=paging.limit)
    return HistoryPage(**paging.respond(found, HistoryEntry))


@router.get("/diff")
def diff(objective_id: str, _: HistoryReader, ledger: Ledger,
         from_version: Annotated[int, Query(alias="from", ge=1, le=2**31)],
         to_version: Annotated[int, Query(alias="to", ge=1, le=2**31)]) -> ObjectiveDiff:
    """Each field that differs between version `from` and version `to`."""
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
