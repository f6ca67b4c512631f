"""A person in the directory: who may own or review objectives, and who manages them.

People are named by the subject their sign-in gives (a token's `sub`, or the claim the
deployment chose), so the subject is the person's key and the aggregate's id is derived from
it: one subject can never be registered twice. The manager is another person in the
directory; the chain of managers never loops. A person who leaves is deactivated, never
deleted, so every event that names them still names someone the directory knows. Its events
are recorded like an objective's: at their command's one time, with who acted and, where a
change needs one, why.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.errors import ValidationError
from domain.events import CommandAggregate
from domain.validation import TITLE_LENGTH, text_faults

SUBJECT = re.compile(r"[^\s/\x00-\x1f\x7f-\x9f\ud800-\udfff]{1,200}")
"""What a sign-in may name a person: no spaces, '/' (it goes in URLs), control characters or
lone surrogates."""
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
EMAIL_LENGTH = 254
EDITABLE = ("display_name", "email", "manager")
MOST_MANAGERS = 1000
PersonLookup = Callable[[str], "Person | None"]
"""A person by subject, or None: how rules that name people look them up."""


class Person(CommandAggregate):
    @staticmethod
    def create_id(subject: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"okr-ledger:person:{subject}")

    @event("Registered")
    def __init__(self, *, subject: str, display_name: str, email: str, manager: str | None,
                 actor: str) -> None:
        self.subject, self.display_name, self.email = subject, display_name, email
        self.manager = manager
        self.active = True

    @classmethod
    def register(cls, *, subject: str, display_name: str, email: str = "",
                 manager: str | None = None, actor: str, lookup: PersonLookup) -> Person:
        """A new, active person; every fault of the fields is listed at once."""
        fields = {"display_name": display_name, "email": email or ""}
        _raise_if(subject_faults(subject) or
                  field_faults(fields) + manager_faults(subject, manager or None, lookup))
        return cls(subject=subject, display_name=display_name, email=email or "",
                   manager=manager or None, actor=actor)

    def edit(self, changes: Mapping[str, Any], actor: str, lookup: PersonLookup) -> None:
        """Change the display name, email or manager; a change to nothing records nothing."""
        faults = [(name, "is not an editable field") for name in changes if name not in EDITABLE]
        merged = {**{name: getattr(self, name) for name in EDITABLE}, **changes}
        merged["manager"] = merged["manager"] or None
        faults += field_faults(merged)
        if "manager" in changes and merged["manager"] != self.manager:
            faults += manager_faults(self.subject, merged["manager"], lookup)
        _raise_if(faults)
        changed = {name: merged[name] for name in changes if merged[name] != getattr(self, name)}
        if changed:
            self._edited(actor=actor, changes=changed)

    def deactivate(self, actor: str, reason: str = "") -> None:
        if self.active:
            self._deactivated(actor=actor, reason=reason)

    def reactivate(self, actor: str, reason: str = "") -> None:
        if not self.active:
            self._reactivated(actor=actor, reason=reason)

    @event("Edited")
    def _edited(self, actor: str, changes: dict[str, Any]) -> None:
        for name, value in changes.items():
            setattr(self, name, value)

    @event("Deactivated")
    def _deactivated(self, actor: str, reason: str) -> None:
        self.active = False

    @event("Reactivated")
    def _reactivated(self, actor: str, reason: str) -> None:
        self.active = True


def subject_faults(subject: object) -> list[tuple[str, str]]:
    if not isinstance(subject, str) or not SUBJECT.fullmatch(subject):
        return [("subject", "must be 1 to 200 characters without spaces or '/', as the sign-in "
                            "names the person (e.g. bob or bob@example.com)")]
    return []


def field_faults(fields: Mapping[str, Any]) -> list[tuple[str, str]]:
    faults = text_faults(fields, "display_name", required=True, max_length=TITLE_LENGTH)
    email = fields.get("email")
    if not isinstance(email, str) or (email and not (EMAIL.fullmatch(email)
                                                     and len(email) <= EMAIL_LENGTH)):
        faults.append(("email", "must be an address like bob@example.com, or empty"))
    return faults


def manager_faults(subject: str, manager: str | None, lookup: PersonLookup
                   ) -> list[tuple[str, str]]:
    """The manager is someone else, known and active, who is not managed by `subject`."""
    if manager is None:
        return []
    if manager == subject:
        return [("manager", "must be someone other than the person")]
    found = person_faults("manager", manager, lookup)
    if found:
        return found
    if subject in managers_above(manager, lookup):
        return [("manager", f"{manager!r} is managed by {subject!r}, directly or through "
                            "others: the chain of managers would loop")]
    return []


def person_faults(field: str, subject: str, lookup: PersonLookup) -> list[tuple[str, str]]:
    """Whether `subject` names a known, active person (for owners, reviewers, managers)."""
    person = lookup(subject)
    if person is None:
        return [(field, f"{subject!r} is not in the people directory; an admin adds people "
                        "first")]
    if not person.active:
        return [(field, f"{subject!r} is no longer active in the people directory; choose "
                        "someone active")]
    return []


def managers_above(subject: str, lookup: PersonLookup) -> list[str]:
    """`subject`'s manager, their manager, and so on up (bounded, should data ever loop)."""
    chain: list[str] = []
    person = lookup(subject)
    while person is not None and person.manager and len(chain) < MOST_MANAGERS:
        chain.append(person.manager)
        person = lookup(person.manager)
    return chain


def _raise_if(faults: list[tuple[str, str]]) -> None:
    if faults:
        raise ValidationError(faults)
