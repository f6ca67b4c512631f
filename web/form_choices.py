"""What the objective page's newer forms offer to choose from, read only when the person has
that form: the objectives an adjustment may realign to, the check-ins a correction may fix,
the people a review may be handed over to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.objective import Objective
from projections.service import ProjectionService
from workflows.ledger import OKRLedger

ALIGNMENT_CHOICES = 300
"""Up to this many live objectives in the cycle, realigning picks from a list; above, by id."""
CORRECTABLE = 20
"""The latest check-ins a correction offers (older ones: through the API, by id)."""
PEOPLE_SHOWN = 200
"""People suggested for a hand-over (anyone in the directory may be typed)."""


@dataclass(frozen=True)
class CheckInChoice:
    """A check-in as the correction form lists it."""

    check_in_id: str
    key_result: str
    kind: str
    time: datetime
    value: Any
    done: bool | None
    confidence: float
    corrected: bool


def form_choices(ledger: OKRLedger, views: ProjectionService, objective: Objective,
                 forms: list[str], series: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Each choice list the person's forms need (and nothing for forms they do not have)."""
    return {
        "alignment": (alignment_choices(views, objective) if "propose_adjustment" in forms
                      else None),
        "check_in_choices": (correctable(objective, series) if "correct_check_in" in forms
                             else []),
        "people": people_choices(ledger, objective) if "hand_over_review" in forms else [],
    }


def alignment_choices(views: ProjectionService,
                      objective: Objective) -> list[dict[str, Any]] | None:
    """The cycle's live objectives but this one, company level first (None: too many to list,
    so the form asks for ids)."""
    nodes = [node for node in views.current_trees.nodes(objective.cycle_id)
             if node["id"] != str(objective.id) and node["state"] != "cancelled"]
    if len(nodes) > ALIGNMENT_CHOICES:
        return None
    order = {"company": 0, "department": 1, "team": 2}
    return sorted(({"id": node["id"], "title": node["title"], "level": node["level"]}
                   for node in nodes), key=lambda node: (order.get(node["level"], 3),
                                                         node["title"]))


def correctable(objective: Objective,
                series: dict[str, list[dict[str, Any]]]) -> list[CheckInChoice]:
    """The latest check-ins of the objective's active KRs, newest first."""
    found = [CheckInChoice(point["check_in_id"], kr.title, kr.kind, point["time"],
                           point["value"], point["done"], point["confidence"],
                           point["corrected"])
             for kr in objective.active_key_results
             for point in series.get(kr.id, [])[-CORRECTABLE:] if point.get("check_in_id")]
    return sorted(found, key=lambda choice: choice.time, reverse=True)[:CORRECTABLE]


def people_choices(ledger: OKRLedger, objective: Objective) -> list[tuple[str, str]]:
    """Active people who could review instead: (subject, display name), never the owner or
    the reviewer now."""
    return [(person.subject, person.display_name)
            for person in ledger.people(limit=PEOPLE_SHOWN, active=True).items
            if person.subject not in (objective.owner, objective.reviewer)]
