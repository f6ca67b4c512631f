"""The canonical bytes of a stored event: what its Merkle leaf hashes.

Specified in `docs/integrity.md` so anyone can recompute them without this code:

    0x01                                  format version
    u64  position                         the event's place in the log (notification id)
    u32  length ‖ originator id           UTF-8 of the aggregate id (a UUID: lowercase, hyphens)
    u64  originator version               the aggregate's version after the event
    u32  length ‖ topic                   UTF-8 of the event's class topic
    u32  length ‖ state                   the stored state bytes, exactly as stored

Integers are unsigned big-endian. The state bytes hold the event's data, time and actor.
"""

from __future__ import annotations

import struct
from uuid import UUID

from eventsourcing.persistence import Notification

from integrity.merkle import leaf_hash

FORMAT_VERSION = b"\x01"
_U64 = struct.Struct(">Q")
_U32 = struct.Struct(">I")


def canonical_bytes(position: int, originator_id: UUID | str, originator_version: int,
                    topic: str, state: bytes) -> bytes:
    """The event's leaf data (see the module's docstring)."""
    ident = str(originator_id).lower().encode()
    name = topic.encode()
    return b"".join((FORMAT_VERSION, _U64.pack(position), _U32.pack(len(ident)), ident,
                     _U64.pack(originator_version), _U32.pack(len(name)), name,
                     _U32.pack(len(state)), bytes(state)))


def notification_leaf(notification: Notification) -> bytes:
    """The leaf hash of a stored event, read from the log."""
    return leaf_hash(canonical_bytes(notification.id, notification.originator_id,
                                     notification.originator_version, notification.topic,
                                     notification.state))
