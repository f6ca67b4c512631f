"""The event feed: CloudEvents 1.0 documents, as published to Kafka too."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class CloudEvent(BaseModel):
    specversion: str
    id: str = Field(description="Stable: the same event always has the same id.")
    source: str
    type: str = Field(examples=["okr.objective.checked_in"])
    subject: str
    time: str
    datacontenttype: str
    data: dict[str, Any]
    position: int = Field(description="The event's place in the global, ordered log.")
    actor: str | None
    commandid: str | None = Field(description=(
        "The command that recorded the event: every event one command recorded shares it (and "
        "its time). A page of the feed never ends inside a command. Null for events recorded "
        "before commands had ids."))


class EventsPage(BaseModel):
    events: list[CloudEvent]
    next_after: int = Field(description="Pass as `after` to read on from here.")
