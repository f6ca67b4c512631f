"""Integrity alarms: the faults verification found, kept in the integrity tables until an admin
acknowledges them, so every process on the store refuses writes meanwhile.

One row per distinct set of faults (its fingerprint: SHA-256 of the sorted faults), written
when a check finds it, and marked acknowledged (when, by whom, why) by
`okr audit acknowledge`, which also records the acknowledgement as an event in the log.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from integrity.audit import AuditReport
from integrity.tables import SealTables

DDL = ("CREATE TABLE IF NOT EXISTS {p}integrity_alarms (fingerprint TEXT PRIMARY KEY, "
       "found_at TEXT NOT NULL, faults TEXT NOT NULL, acknowledged_at TEXT, "
       "acknowledged_by TEXT, reason TEXT)")


@dataclass(frozen=True)
class Alarm:
    fingerprint: str
    found_at: str
    faults: list[dict[str, Any]]

    def summary(self) -> str:
        kinds = sorted({fault["kind"] for fault in self.faults})
        first = self.faults[0]
        return (f"{len(self.faults)} integrity faults ({', '.join(kinds)}) found at "
                f"{self.found_at}, first: {first['kind']} at position {first['position']}: "
                f"{first['detail']}")


def fingerprint(faults: list[dict[str, Any]]) -> str:
    return hashlib.sha256(json.dumps(faults, sort_keys=True).encode()).hexdigest()


class Alarms:
    def __init__(self, tables: SealTables) -> None:
        self.tables = tables
        with tables.transaction(commit=True) as cursor:
            cursor.execute(tables.sql(DDL))

    def raise_for(self, report: AuditReport) -> Alarm | None:
        """Record the report's faults as an alarm (once per distinct set); the alarm, if any."""
        if report.ok:
            return None
        faults = [fault.as_dict() for fault in sorted(report.faults)]
        alarm = Alarm(fingerprint(faults), datetime.now(UTC).isoformat(), faults)
        with self.tables.transaction(commit=True) as cursor:
            cursor.execute(self.tables.sql(
                "INSERT INTO {p}integrity_alarms (fingerprint, found_at, faults) "
                "VALUES (?, ?, ?) ON CONFLICT (fingerprint) DO NOTHING"),
                [alarm.fingerprint, alarm.found_at, json.dumps(faults)])
        return alarm

    def open(self) -> list[Alarm]:
        """The alarms no admin has acknowledged yet, oldest first."""
        rows = self.tables.select("SELECT fingerprint, found_at, faults FROM {p}integrity_alarms "
                                  "WHERE acknowledged_at IS NULL ORDER BY found_at")
        return [Alarm(row["fingerprint"], row["found_at"], json.loads(row["faults"]))
                for row in rows]

    def acknowledge(self, alarm: Alarm, by: str, reason: str) -> None:
        with self.tables.transaction(commit=True) as cursor:
            cursor.execute(self.tables.sql(
                "UPDATE {p}integrity_alarms SET acknowledged_at = ?, acknowledged_by = ?, "
                "reason = ? WHERE fingerprint = ?"),
                [datetime.now(UTC).isoformat(), by, reason, alarm.fingerprint])
