"""The people directory: admins add and change people; everyone reads it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from api.deps import Admin, ExpectedVersion, HistoryReader, Ledger, Reader, Views
from api.models.objectives import HistoryEntry
from api.models.people import Assignment, PersonCreate, PersonPublic, PersonResult, PersonUpdate
from api.presenters import assignments, person_public
from domain.person import Person
from projections.service import ProjectionService
from workflows.ledger_base import CommandResult

router = APIRouter(prefix="/v1/people", tags=["people"])
MOST_PER_PAGE = 1000


@router.post("", status_code=status.HTTP_201_CREATED)
def register_person(body: PersonCreate, actor: Admin, ledger: Ledger,
                    response: Response) -> PersonResult:
    """Add a person to the directory (admins)."""
    result = ledger.register_person(actor, **body.fields())
    response.headers["Location"] = f"/v1/people/{result.created_id}"
    return _result(result, None, response)


@router.get("")
def list_people(_: Reader, ledger: Ledger, request: Request, response: Response,
                after: Annotated[str | None, Query(max_length=200, description=(
                    "The subject the previous page ended with."))] = None,
                limit: Annotated[int, Query(ge=1, le=MOST_PER_PAGE)] = 500,
                active: bool | None = None) -> list[PersonPublic]:
    """People in the order they were added, a page at a time (`Link: rel="next"`)."""
    page = ledger.people(after=after, limit=limit)
    if len(page) == limit:
        following = request.url.include_query_params(after=page[-1].subject)
        response.headers["Link"] = f'<{following}>; rel="next"'
    return [person_public(person) for person in page if active in (None, person.active)]


@router.get("/{subject}")
def get_person(subject: str, _: Reader, ledger: Ledger, response: Response) -> PersonPublic:
    """One person."""
    person = ledger.person(subject)
    response.headers["ETag"] = f'"{person.version}"'
    return person_public(person)


@router.patch("/{subject}")
def edit_person(subject: str, body: PersonUpdate, actor: Admin, ledger: Ledger, views: Views,
                expected: ExpectedVersion, request: Request, response: Response
                ) -> PersonResult:
    """Change a person (admins); `active: false` deactivates them and lists what they own or
    review, to give to someone else."""
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
def person_history(subject: str, _: HistoryReader, ledger: Ledger) -> list[HistoryEntry]:
    """Every change to the person, oldest first: who made it and when."""
    return [HistoryEntry(**entry) for entry in ledger.person_history(subject)]


def _result(result: CommandResult[Person], views: ProjectionService | None,
            response: Response) -> PersonResult:
    person = result.subject
    response.headers["ETag"] = f'"{person.version}"'
    to_reassign = ([] if person.active or views is None
                   else assignments(person.subject, views.objectives()))
    return PersonResult(**person_public(person).model_dump(), position=result.position,
                        to_reassign=to_reassign)
