"""The people directory: admins add and change people; everyone reads it."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request, Response, status

from api.deps import Admin, ExpectedVersion, HistoryReader, Ledger, Reader, Views
from api.idempotency import IDEMPOTENT
from api.models.objectives import HistoryEntry, HistoryPage
from api.models.people import (
    Assignment,
    PeoplePage,
    PersonCreate,
    PersonPublic,
    PersonResult,
    PersonUpdate,
)
from api.pagination import Paging
from api.presenters import assignments, person_public, tag
from domain.person import Person
from projections.service import ProjectionService
from workflows.ledger_base import CommandResult
from workflows.pages import Page

router = APIRouter(prefix="/v1/people", tags=["people"])


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=[IDEMPOTENT])
def register_person(body: PersonCreate, actor: Admin, ledger: Ledger,
                    response: Response) -> PersonResult:
    """Add a person to the directory (admins)."""
    result = ledger.register_person(actor, **body.fields())
    # A subject may be any text but spaces and '/': percent-encoded, as a header must be ASCII
    response.headers["Location"] = f"/v1/people/{quote(result.created_id, safe='@')}"
    return _result(result, None, response)


@router.get("")
def list_people(_: Reader, ledger: Ledger, paging: Paging,
                active: bool | None = None) -> PeoplePage:
    """People in the order they were added, a page at a time; `active` filters."""
    found = ledger.people(after=paging.after_position(), limit=paging.limit, active=active)
    shown = Page([person_public(person).model_dump() for person in found.items],
                 found.next_key)
    return PeoplePage(**paging.respond(shown, PersonPublic))


@router.get("/{subject}")
def get_person(subject: str, _: Reader, ledger: Ledger, response: Response) -> PersonPublic:
    """One person."""
    person = ledger.person(subject)
    tag(response, person)
    return person_public(person)


@router.patch("/{subject}", dependencies=[IDEMPOTENT])
def edit_person(subject: str, body: PersonUpdate, actor: Admin, ledger: Ledger, views: Views,
                expected: ExpectedVersion, request: Request, response: Response
                ) -> PersonResult:
    """Change a person (admins); `active: false` deactivates them and lists the open
    objectives they own or review, to give to someone else."""
    result = ledger.edit_person(actor, subject, body.fields(), expected_version=expected)
    if not result.subject.active:  # the views list the objectives: let them see every write
        views.wait_for(ledger.recorder.max_notification_id() or 0,
                       request.app.state.settings.wait_timeout)
    return _result(result, views, response)


@router.get("/{subject}/objectives")
def open_objectives(subject: str, _: Reader, ledger: Ledger, views: Views) -> list[Assignment]:
    """The open objectives the person owns or reviews."""
    return assignments(ledger.person(subject).subject, views.objectives())


@router.get("/{subject}/history")
def person_history(subject: str, _: HistoryReader, ledger: Ledger,
                   paging: Paging) -> HistoryPage:
    """Every change to the person, oldest first: who made it, when and why."""
    found = ledger.person_history(subject, after=paging.after_position(), limit=paging.limit)
    return HistoryPage(**paging.respond(found, HistoryEntry))


def _result(result: CommandResult[Person], views: ProjectionService | None,
            response: Response) -> PersonResult:
    person = result.subject
    tag(response, person)
    to_reassign = ([] if person.active or views is None
                   else assignments(person.subject, views.objectives()))
    return PersonResult(**person_public(person).model_dump(), position=result.position,
                        to_reassign=to_reassign)
