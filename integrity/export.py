"""`export_log`: the log as an auditor takes it away, for `tools/verify_okr_log.py log`.

Two files in a directory: `checkpoints.json`, a JSON list of every signed checkpoint note, and
`events.jsonl`, one JSON object per stored event in log order with exactly what its leaf is
made of (`position`, `originator_id`, `originator_version`, `topic`, and `state` in base64).
The checkpoints are read first, so every event they sign is in the export.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

from eventsourcing.persistence import ApplicationRecorder

from integrity.tables import SealTables
from integrity.verification import all_checkpoints, events_up_to

EVENTS_FILE = "events.jsonl"
CHECKPOINTS_FILE = "checkpoints.json"


def export_log(recorder: ApplicationRecorder, tables: SealTables, directory: Path
               ) -> tuple[int, int]:
    """Write the two files into `directory` (made if missing); how many events and
    checkpoints were written."""
    directory.mkdir(parents=True, exist_ok=True)
    notes = [checkpoint.note for checkpoint in all_checkpoints(tables)]
    count = 0
    with (directory / EVENTS_FILE).open("w", encoding="utf-8") as out:
        for event in events_up_to(recorder, recorder.max_notification_id() or 0):
            out.write(json.dumps({
                "position": event.id, "originator_id": str(event.originator_id),
                "originator_version": event.originator_version, "topic": event.topic,
                "state": base64.b64encode(event.state).decode()}) + "\n")
            count += 1
    (directory / CHECKPOINTS_FILE).write_text(json.dumps(notes, indent=1), encoding="utf-8")
    return count, len(notes)
