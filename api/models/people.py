"""The people directory: what callers send to add or change a person, and how one reads back."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from api.models.common import Body, Positioned, Text, Title
from api.pagination import ItemsPage
from domain.person import EMAIL_LENGTH

Subject = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[^\s/\x00-\x1f\x7f-\x9f]+$",
                               description="As the person's sign-in names them (its `sub`, or "
                                           "the claim OKR_OIDC_SUBJECT_CLAIM names).")]
Email = Annotated[str, Field(max_length=EMAIL_LENGTH, json_schema_extra={
    "pattern": r"^([^@\s\x00-\x1f\x7f-\x9f]+@[^@\s\x00-\x1f\x7f-\x9f]+\.[^@\s\x00-\x1f\x7f-\x9f]+)?$"},
                                description="An address like bob@example.com, or empty.")]


class PersonUpdate(Body):
    display_name: Title | None = None
    email: Email | None = None
    manager: Subject | None = Field(default=None, description="null: no manager.")
    active: bool | None = Field(default=None, description="false deactivates the person; "
                                                          "true brings them back.")
    reason: Text | None = Field(default=None, description="Why, recorded with a (de)activation.")


class PersonCreate(Body):
    subject: Subject
    display_name: Title
    email: Email = ""
    manager: Subject | None = None


class PersonPublic(BaseModel):
    subject: str
    display_name: str
    email: str
    manager: str | None
    active: bool
    version: int
    created_at: str
    modified_at: str


class PeoplePage(ItemsPage[PersonPublic]):
    pass


class Assignment(BaseModel):
    """An open objective the person owns or reviews."""

    objective_id: str
    title: str
    cycle_id: str
    state: str
    relation: Literal["owner", "reviewer"]


class PersonResult(PersonPublic, Positioned):
    to_reassign: list[Assignment] = Field(description=(
        "When the person is inactive: the open objectives they own or review, for an admin to "
        "give to someone else (`POST /v1/objectives/{id}/reassign` for an owner, "
        "`/hand-over` for a reviewer)."))
