"""What every event records beside its data: the command that wrote it and where it came from.

The API sets the request id (and the W3C trace id, when the caller sent a `traceparent`) for
the length of each request with `recording_origin`; the ledger stamps them onto every event it
saves, as the event's `metadata`, so an auditor can tie an event to the API call, and to the
log lines, that wrote it. Commands run from the command line or the demo record none. Beside
them every event records its command (`domain.commands`): the command's id, which all the
events one command recorded share, and the role its actor acted in (owner, reviewer, admin).
This is the one place a command's context reaches its events.

The metadata is an attribute of the stored event, outside its data: the library's mapper
stores every attribute, and an `@event` method is only ever called with the ones it names, so
old events (which have none) and new ones load alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from types import MappingProxyType
from typing import Any

from domain.commands import command_metadata

METADATA = "metadata"
ENVELOPE_FIELDS = ("originator_id", "originator_version", "timestamp", "originator_topic",
                   "actor", METADATA)
"""An event's attributes that are not its data: the library's, who acted, and the metadata."""

_NONE: Mapping[str, str] = MappingProxyType({})
_origin: ContextVar[Mapping[str, str]] = ContextVar("okr_command_origin", default=_NONE)


@contextmanager
def recording_origin(**origin: str | None) -> Iterator[None]:
    """Within this block (and the threads it hands work to), saved events record `origin`;
    entries given as None are left out."""
    token = _origin.set(MappingProxyType({k: v for k, v in origin.items() if v is not None}))
    try:
        yield
    finally:
        _origin.reset(token)


def stamp(events: Iterable[object]) -> None:
    """Record the current origin and command on each event about to be saved (events are
    frozen dataclasses, hence `object.__setattr__`, as the library's own mapper restores
    them)."""
    metadata = {**_origin.get(), **command_metadata()}
    if metadata:
        for event in events:
            object.__setattr__(event, METADATA, dict(metadata))


def metadata_of(event: object) -> dict[str, str]:
    """The metadata an event recorded (empty for events written without any)."""
    recorded: Any = getattr(event, METADATA, None)
    return dict(recorded) if isinstance(recorded, dict) else {}
