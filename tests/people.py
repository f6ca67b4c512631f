"""The people of the tests' little organisation, registered in the directory as a deployment's
would be (owners and reviewers must be known, active people)."""

from __future__ import annotations

from workflows.actors import Actor
from workflows.ledger import OKRLedger
from workflows.people_import import PersonRow

PEOPLE = ("ada", "bob", "rita", "sam", "audrey", "ivan", "erin", "dana", "cheng", "ceo", "dan",
          "cleo", "eve", "di", "cy", "carol", "ann")


def register_people(ledger: OKRLedger, subjects: tuple[str, ...] = PEOPLE) -> int:
    """Add `subjects` to the directory in one command; the log position it reached."""
    rows = [PersonRow(subject, subject.title()) for subject in subjects]
    return ledger.import_people(Actor("ada", "admin"), rows).position


def with_people(env: dict[str, str]) -> dict[str, str]:
    """The store `env` names, with the tests' people registered in it."""
    with OKRLedger(env) as ledger:
        register_people(ledger)
    return env
