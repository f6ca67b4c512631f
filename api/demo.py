"""A small demo organisation, so a new user has OKRs to look at on first start.

Its people (the CEO, a head of department, a team lead and a developer, each managed by the
one before, and the admin) go into the directory first. Then a company objective, a department
and a team objective aligned under it, an individual one aligned to the team that also supports
the department; check-ins; one approved and one rejected adjustment; and the individual
objective closed and scored. Loaded only into an empty ledger.
"""

from __future__ import annotations

from typing import Any

from workflows.actors import Actor
from workflows.ledger import OKRLedger
from workflows.people_import import PersonRow

ADMIN = Actor("ada", "admin")
CEO, HEAD, LEAD, DEV = (Actor(name, "member") for name in ("cheng", "dana", "bob", "erin"))
PEOPLE = [PersonRow("ada", "Ada Admin", "ada@acme.example"),
          PersonRow("cheng", "Cheng Wu", "cheng@acme.example"),
          PersonRow("dana", "Dana Reyes", "dana@acme.example", manager="cheng"),
          PersonRow("bob", "Bob Osei", "bob@acme.example", manager="dana"),
          PersonRow("erin", "Erin Novak", "erin@acme.example", manager="bob")]
ROLES = {"ada": ADMIN.role, **{actor.name: actor.role for actor in (CEO, HEAD, LEAD, DEV)}}
"""Each demo person's role, for the sign-in links `okr serve --demo` prints."""


def load_demo(ledger: OKRLedger) -> bool:
    """Fill an empty ledger with the demo organisation; leave any other ledger alone."""
    if ledger.list_cycles():
        return False
    ledger.import_people(ADMIN, PEOPLE)
    cycle = ledger.open_cycle(ADMIN, name="2026-Q4", starts_on="2026-10-01",
                              ends_on="2026-12-31").created_id
    ledger.start_cycle(ADMIN, cycle)
    company = _approved(ledger, cycle, CEO, ADMIN, "company", "Become the platform of choice",
                        [_metric("Gross merchandise value (M)", 120, 150, "stretch")])
    department = _approved(ledger, cycle, HEAD, CEO, "department", "Make delivery predictable",
                           [_metric("Releases per month", 4, 8, "committed")], parent=company)
    team = _approved(ledger, cycle, LEAD, HEAD, "team", "Ship faster with fewer incidents", [
        {"title": "Keep average delivery time around 20 days", "kind": "threshold",
         "target": 20, "direction": "below", "unit": "days"},
        {"title": "By end of November, ship self-service onboarding", "kind": "milestone",
         "due_on": "2026-11-30"}], parent=department, kind="non_business")
    personal = _approved(ledger, cycle, DEV, LEAD, "individual", "Automate the release train",
                         [_metric("Pipelines automated", 0, 10, "stretch")], parent=team,
                         supports=[department])
    _check_ins(ledger, company, department, team, personal)
    _adjustments(ledger, department, team)
    _close(ledger, personal)
    return True


def _metric(title: str, start: float, target: float, challenge: str) -> dict[str, Any]:
    return {"title": title, "kind": "metric", "start": start, "target": target,
            "challenge": challenge}


def _approved(ledger: OKRLedger, cycle: str, owner: Actor, reviewer: Actor, level: str,
              title: str, key_results: list[dict[str, Any]], parent: str | None = None,
              supports: list[str] | None = None, kind: str = "business") -> str:
    objective = ledger.draft_objective(
        owner, cycle_id=cycle, title=title, reviewer=reviewer.name, level=level, kind=kind,
        parent_id=parent, supports=supports or [], key_results=key_results).created_id
    ledger.submit(owner, objective)
    ledger.approve(reviewer, objective, "looks right")
    return objective


def _kr(ledger: OKRLedger, objective: str, index: int = 0) -> str:
    return list(ledger.objective(objective).key_results)[index]


def _check_ins(ledger: OKRLedger, company: str, department: str, team: str,
               personal: str) -> None:
    ledger.check_in(CEO, company, _kr(ledger, company), value=131, confidence=0.6,
                    note="holiday season ahead")
    ledger.check_in(HEAD, department, _kr(ledger, department), value=6, confidence=0.7)
    for days in (24, 19, 18):
        ledger.check_in(LEAD, team, _kr(ledger, team), value=days, confidence=0.8)
    ledger.check_in(LEAD, team, _kr(ledger, team, 1), done=True, confidence=1.0)
    ledger.check_in(DEV, personal, _kr(ledger, personal), value=7, confidence=0.9)


def _adjustments(ledger: OKRLedger, department: str, team: str) -> None:
    approved = ledger.propose_adjustment(
        LEAD, team, "the onboarding work moved to another team", [
            {"op": "remove_key_result", "key_result_id": _kr(ledger, team, 1)},
            {"op": "add_key_result", "title": "Production incidents per month",
             "kind": "threshold", "target": 2, "direction": "below"}]).created_id
    ledger.approve_adjustment(HEAD, team, approved, "agreed in the weekly stand-up")
    rejected = ledger.propose_adjustment(
        HEAD, department, "halve the release target", [
            {"op": "retarget_key_result", "key_result_id": _kr(ledger, department),
             "target": 6}]).created_id
    ledger.reject_adjustment(CEO, department, rejected, "keep the ambition; ask for help")


def _close(ledger: OKRLedger, objective: str) -> None:
    ledger.start_closing(DEV, objective)
    ledger.self_assess(DEV, objective, [{"key_result_id": _kr(ledger, objective), "score": 0.7,
                                         "note": "7 of 10, a stretch"}])
    ledger.finalize(LEAD, objective)
