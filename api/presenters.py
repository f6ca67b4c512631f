"""Aggregates as response models: the one place that turns ledger objects into API shapes."""

from __future__ import annotations

from typing import Any

from fastapi import Response

from api.etags import tag
from api.models.cycles import CyclePublic, CycleResult
from api.models.key_results import KeyResultCreated, KeyResultPublic
from api.models.objectives import ObjectivePublic, ObjectiveResult
from api.models.people import Assignment, PersonPublic
from api.models.status import PartPublic, Readiness, ViewReadiness
from api.readiness import Readiness as Assessed
from domain.cycle import Cycle
from domain.errors import NotFoundError
from domain.objective import Objective
from domain.person import Person
from workflows.actors import Actor
from workflows.ledger import OKRLedger
from workflows.ledger_base import CommandResult
from workflows.objective_state import key_result_state, objective_state
from workflows.timestamps import rfc3339

CLOSED_STATES = ("closed", "cancelled")


def objective_public(ledger: OKRLedger, objective: Objective, actor: Actor) -> ObjectivePublic:
    return ObjectivePublic(**objective_state(objective),
                           allowed_actions=ledger.allowed_actions(objective, actor))


def objective_result(ledger: OKRLedger, result: CommandResult, actor: Actor,
                     response: Response) -> ObjectiveResult:
    """The objective a command left, tagged with its version (send it back as If-Match).
    Built from the objective's state in one go: every command answers with it, and building an
    `ObjectivePublic` first only to copy it cost a second validation of the whole objective."""
    objective: Objective = result.subject
    tag(response, objective)
    return ObjectiveResult(**objective_state(objective),
                           allowed_actions=ledger.allowed_actions(objective, actor),
                           position=result.position)


def cycle_public(cycle: Cycle) -> CyclePublic:
    return CyclePublic(id=str(cycle.id), name=cycle.name, starts_on=cycle.starts_on,
                       ends_on=cycle.ends_on, scoring_policy=cycle.scoring_policy,
                       state=cycle.state, version=cycle.version)


def cycle_result(result: CommandResult, response: Response) -> CycleResult:
    tag(response, result.subject)
    return CycleResult(**cycle_public(result.subject).model_dump(), position=result.position)


def key_result_created(result: CommandResult) -> KeyResultCreated:
    objective: Objective = result.subject
    kr = objective.key_results[str(result.created_id)]
    return KeyResultCreated(**key_result_state(kr, objective.scoring_policy),
                            objective_id=str(objective.id), objective_version=objective.version,
                            position=result.position)


def person_public(person: Person) -> PersonPublic:
    return PersonPublic(subject=person.subject, display_name=person.display_name,
                        email=person.email, manager=person.manager, active=person.active,
                        version=person.version, created_at=rfc3339(person.created_on),
                        modified_at=rfc3339(person.modified_on))


def assignments(subject: str, objectives: list[dict[str, Any]]) -> list[Assignment]:
    """Of `objectives` (as the views list them), the open ones `subject` owns or reviews."""
    return [Assignment(objective_id=node["id"], title=node["title"], cycle_id=node["cycle_id"],
                       state=node["state"], relation=relation)
            for node in objectives if node["state"] not in CLOSED_STATES
            for relation in ("owner", "reviewer") if node[relation] == subject]


def adjustment_public(objective: Objective, adjustment_id: str) -> dict[str, Any]:
    """One adjustment of `objective`, as the API shows it (404 for an unknown id)."""
    adjustment = objective.adjustments.get(adjustment_id)
    if adjustment is None:
        raise NotFoundError("adjustment", adjustment_id)
    return {"adjustment_id": adjustment.id, "objective_id": str(objective.id),
            "objective_version": objective.version, "status": adjustment.status,
            "reason": adjustment.reason, "proposed_by": adjustment.proposed_by,
            "changes": adjustment.changes, "decided_by": adjustment.decided_by,
            "comment": adjustment.comment}


def key_result_public(objective: Objective, key_result_id: str) -> KeyResultPublic:
    """One key result of `objective`, removed ones included (404 for an unknown id)."""
    kr = objective.key_results.get(key_result_id)
    if kr is None:
        raise NotFoundError("key result", key_result_id)
    return KeyResultPublic(**key_result_state(kr, objective.scoring_policy))


def readiness_public(assessed: Assessed) -> Readiness:
    store = next(part for part in assessed.parts if part.kind == "store")
    views = {part.name: ViewReadiness.model_validate(
                 {"position": part.position or 0, "lag": part.lag or 0,
                  "state": part.follower or "idle"})
             for part in assessed.parts if part.kind == "view"}
    return Readiness(status=assessed.overall.value, head=assessed.head, views=views,
                     store="reachable" if store.ok else f"unreachable: {store.problem}",
                     problems=assessed.problems(),
                     parts=[PartPublic.model_validate(part.public()) for part in assessed.parts])
