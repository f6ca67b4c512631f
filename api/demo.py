"""A small demo organisation, so a new user has OKRs to look at on first start.

Its people (the CEO, a head of department, a team lead and a developer, each managed by the
one before, and the admin) go into the directory first. Then a company objective, a department
and a team objective aligned under it, an individual one aligned to the team that also supports
the department; check-ins; one approved and one rejected adjustment; and the individual
objective closed and scored. Two things are left waiting, so a reviewer's inbox is not empty:
the developer's second objective, in review for the team lead, and an adjustment of the
department's objective, pending for the CEO. Loaded only into an empty ledger.

The history is spread over the eight weeks before today (`DemoCalendar`): each command is
recorded through the ledger on the day it stands for, so the charts show check-ins over time
and the replay slider steps through weeks, not through one second.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from domain.commands import recorded_by
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
WAITING = {"bob": "an objective to approve", "cheng": "an adjustment to decide"}
"""What the demo leaves in each reviewer's inbox (`okr serve --demo` says so by their link)."""
IN_REVIEW = "Halve the flaky test failures"
DAYS = 56


class DemoCalendar:
    """The time of each demo command: `DAYS` days ago at midnight UTC is day 0; `on(day)`
    moves to a later day, and each command that day comes a minute after the one before,
    from 09:00 (so no two commands share a time and no time is in the future)."""

    def __init__(self, today: datetime) -> None:
        midnight = today.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        self.start, self.day, self.minutes = midnight - timedelta(days=DAYS), 0, 0

    def on(self, day: int) -> DemoCalendar:
        if not self.day <= day < DAYS:
            raise ValueError(f"demo day {day} is not from {self.day} to {DAYS - 1}")
        self.day, self.minutes = day, 0
        return self

    def __call__(self) -> datetime:
        self.minutes += 1
        return self.start + timedelta(days=self.day, hours=9, minutes=self.minutes)


def load_demo(ledger: OKRLedger, today: datetime | None = None) -> bool:
    """Fill an empty ledger with the demo organisation; leave any other ledger alone."""
    if ledger.list_cycles():
        return False
    when = DemoCalendar(today or datetime.now(UTC))
    with recorded_by(when):
        _organisation(ledger, when)
    return True


def _organisation(ledger: OKRLedger, when: DemoCalendar) -> None:
    ledger.import_people(ADMIN, PEOPLE)
    cycle = ledger.open_cycle(ADMIN, name="2026-Q4", starts_on="2026-10-01",
                              ends_on="2026-12-31").created_id
    ledger.start_cycle(ADMIN, cycle)
    when.on(1)
    company = _approved(ledger, cycle, CEO, ADMIN, "company",
                        "Become the platform of choice",
                        [_metric("Gross merchandise value (M)", 120, 150, "stretch")])
    when.on(3)
    department = _approved(ledger, cycle, HEAD, CEO, "department",
                           "Make delivery predictable",
                           [_metric("Releases per month", 4, 8, "committed")], parent=company)
    when.on(5)
    team = _approved(ledger, cycle, LEAD, HEAD, "team",
                     "Ship faster with fewer incidents", [
                         {"title": "Keep average delivery time around 20 days",
                          "kind": "threshold", "target": 20, "direction": "below",
                          "unit": "days"},
                         {"title": "By end of November, ship self-service onboarding",
                          "kind": "milestone", "due_on": "2026-11-30"}],
                     parent=department, kind="non_business")
    when.on(7)
    personal = _approved(ledger, cycle, DEV, LEAD, "individual",
                         "Automate the release train",
                         [_metric("Pipelines automated", 0, 10, "stretch")], parent=team,
                         supports=[department])
    _first_weeks(ledger, when, company, department, team, personal)
    _adjustments(ledger, when, department, team)
    _last_weeks(ledger, when, company, team, personal)
    when.on(50)
    _close(ledger, when, personal)
    _waiting(ledger, when, cycle, department, team)


def _metric(title: str, start: float, target: float, challenge: str) -> dict[str, Any]:
    return {"title": title, "kind": "metric", "start": start, "target": target,
            "challenge": challenge}


def _drafted(ledger: OKRLedger, cycle: str, owner: Actor, reviewer: Actor, level: str,
             title: str, key_results: list[dict[str, Any]], parent: str | None = None,
             supports: list[str] | None = None, kind: str = "business") -> str:
    objective = ledger.draft_objective(
        owner, cycle_id=cycle, title=title, reviewer=reviewer.name, level=level, kind=kind,
        parent_id=parent, supports=supports or [], key_results=key_results).created_id
    ledger.submit(owner, objective)
    return str(objective)


def _approved(ledger: OKRLedger, cycle: str, owner: Actor, reviewer: Actor, level: str,
              title: str, key_results: list[dict[str, Any]], parent: str | None = None,
              supports: list[str] | None = None, kind: str = "business") -> str:
    objective = _drafted(ledger, cycle, owner, reviewer, level, title, key_results, parent,
                         supports, kind)
    ledger.approve(reviewer, objective, "looks right")
    return objective


def _kr(ledger: OKRLedger, objective: str, index: int = 0) -> str:
    return list(ledger.objective(objective).key_results)[index]


def _first_weeks(ledger: OKRLedger, when: DemoCalendar, company: str, department: str,
                 team: str, personal: str) -> None:
    when.on(12)
    ledger.check_in(LEAD, team, _kr(ledger, team), value=24, confidence=0.7)
    when.on(14)
    ledger.check_in(CEO, company, _kr(ledger, company), value=124, confidence=0.7)
    ledger.check_in(HEAD, department, _kr(ledger, department), value=5, confidence=0.6)
    when.on(20)
    ledger.check_in(DEV, personal, _kr(ledger, personal), value=3, confidence=0.8)
    when.on(26)
    ledger.check_in(LEAD, team, _kr(ledger, team), value=19, confidence=0.8)
    ledger.check_in(LEAD, team, _kr(ledger, team, 1), done=True, confidence=1.0)
    when.on(34)
    ledger.check_in(DEV, personal, _kr(ledger, personal), value=5, confidence=0.8)
    when.on(38)
    ledger.check_in(HEAD, department, _kr(ledger, department), value=6, confidence=0.7)


def _adjustments(ledger: OKRLedger, when: DemoCalendar, department: str, team: str) -> None:
    approved = ledger.propose_adjustment(
        LEAD, team, "the onboarding work moved to another team", [
            {"op": "remove_key_result", "key_result_id": _kr(ledger, team, 1)},
            {"op": "add_key_result", "title": "Production incidents per month",
             "kind": "threshold", "target": 2, "direction": "below"}]).created_id
    when.on(39)
    ledger.approve_adjustment(HEAD, team, approved, "agreed in the weekly stand-up")
    rejected = ledger.propose_adjustment(
        HEAD, department, "halve the release target", [
            {"op": "retarget_key_result", "key_result_id": _kr(ledger, department),
             "target": 6}]).created_id
    when.on(40)
    ledger.reject_adjustment(CEO, department, rejected, "keep the ambition; ask for help")


def _last_weeks(ledger: OKRLedger, when: DemoCalendar, company: str, team: str,
                personal: str) -> None:
    when.on(44)
    ledger.check_in(CEO, company, _kr(ledger, company), value=131, confidence=0.6,
                    note="holiday season ahead")
    when.on(47)
    ledger.check_in(LEAD, team, _kr(ledger, team), value=18, confidence=0.8)
    ledger.check_in(LEAD, team, _kr(ledger, team, 2), value=3, confidence=0.6,
                    note="two of them in the release train")  # the KR the adjustment added
    ledger.check_in(DEV, personal, _kr(ledger, personal), value=7, confidence=0.9)


def _close(ledger: OKRLedger, when: DemoCalendar, objective: str) -> None:
    ledger.start_closing(DEV, objective)
    ledger.self_assess(DEV, objective, [{"key_result_id": _kr(ledger, objective), "score": 0.7,
                                         "note": "7 of 10, a stretch"}])
    when.on(52)
    ledger.finalize(LEAD, objective)


def _waiting(ledger: OKRLedger, when: DemoCalendar, cycle: str, department: str,
             team: str) -> None:
    """What the demo leaves for reviewers (`WAITING`): an objective in review, an adjustment
    pending."""
    when.on(53)
    _drafted(ledger, cycle, DEV, LEAD, "individual", IN_REVIEW,
             [_metric("Flaky tests fixed", 0, 30, "committed")], parent=team)
    when.on(54)
    ledger.propose_adjustment(
        HEAD, department, "two engineers moved to the platform team", [
            {"op": "retarget_key_result", "key_result_id": _kr(ledger, department),
             "target": 7}])
