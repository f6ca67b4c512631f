"""What every event records beside its data: where the command that wrote it came from.

The API sets the request id (and the W3C trace id, when the caller sent a `traceparent`) for
the length of each request with `recording_origin`; the ledger stamps them onto every event it
saves, as the event's `metadata`, so an auditor can tie an event to the API call, and to the
log lines, that wrote it. Commands run from the command line or the demo record none. This is
the one place a command's context reaches its events: the per-command context of the
auditor's-ledger work (a command id, one recorded time per command) is meant to join it.

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
    """Record the current origin on each event about to be saved (events are frozen
    dataclasses, hence `object.__setattr__`, as the library's own mapper restores them)."""
    origin = _origin.get()
    if origin:
        for event in events:
            object.__setattr__(event, METADATA, dict(origin))


def metadata_of(event: object) -> dict[str, str]:
    """The metadata an event recorded (empty for events written without any)."""
    recorded: Any = getattr(event, METADATA, None)
    return dict(recorded) if isinstance(recorded, dict) else {}
