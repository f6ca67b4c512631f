"""How the entities inside an aggregate are written into snapshots.

Events hold only JSON values; snapshots hold the aggregate's whole state, including the
KeyResult and Adjustment entities, so those need a named transcoding each.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from eventsourcing.persistence import JSONTranscoder, Transcoding

from domain.adjustment import Adjustment
from domain.key_result import KeyResult


class KeyResultAsDict(Transcoding):
    type = KeyResult
    name = "okr_key_result"

    def encode(self, obj: KeyResult) -> dict[str, Any]:
        return asdict(obj)

    def decode(self, data: dict[str, Any]) -> KeyResult:
        return KeyResult(**data)


class AdjustmentAsDict(Transcoding):
    """Snapshots taken before issue 9 also hold `extra`, a field that was always empty and is
    gone: decoding drops it, so those snapshots still load."""

    type = Adjustment
    name = "okr_adjustment"

    def encode(self, obj: Adjustment) -> dict[str, Any]:
        return asdict(obj)

    def decode(self, data: dict[str, Any]) -> Adjustment:
        return Adjustment(**{name: value for name, value in data.items() if name != "extra"})


def register_entity_transcodings(transcoder: JSONTranscoder) -> None:
    transcoder.register(KeyResultAsDict())
    transcoder.register(AdjustmentAsDict())
