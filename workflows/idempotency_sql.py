"""The idempotency records' table in SQL, once for SQLite and PostgreSQL.

Statements are written with `?` placeholders and a `{t}` table name, which each store's recorder
fills in (`workflows.ledger_stores`). Claiming is an insert that does nothing on a conflict,
then a compare-and-set update to take over an expired reservation or record: no lock is held
between two statements, and two requests can never both believe they hold one key.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any

from workflows.idempotency import Completion, IdempotencyRecord, IdempotencyRecords, micros

COLUMNS = ("key_id", "fingerprint", "claim", "reserved_until", "completed_at", "subject_id",
           "subject_version", "created_id", "position")
CREATE_TABLE = ("CREATE TABLE IF NOT EXISTS {t} (key_id TEXT PRIMARY KEY, "
                "fingerprint TEXT NOT NULL, claim TEXT NOT NULL, reserved_until BIGINT NOT NULL, "
                "completed_at BIGINT, subject_id TEXT, subject_version BIGINT, created_id TEXT, "
                "position BIGINT)")
INSERT_CLAIM = ("INSERT INTO {t} (key_id, fingerprint, claim, reserved_until) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (key_id) DO NOTHING")
SELECT_RECORD = f"SELECT {', '.join(COLUMNS)} FROM {{t}} WHERE key_id = ?"
TAKE_OVER = ("UPDATE {t} SET fingerprint = ?, claim = ?, reserved_until = ?, completed_at = NULL, "
             "subject_id = NULL, subject_version = NULL, created_id = NULL, position = NULL "
             "WHERE key_id = ? AND claim = ?")
COMPLETE = ("UPDATE {t} SET completed_at = ?, subject_id = ?, subject_version = ?, "
            "created_id = ?, position = ? WHERE key_id = ? AND claim = ? AND completed_at IS NULL")
SET_POSITION = "UPDATE {t} SET position = ? WHERE key_id = ?"
RELEASE = "DELETE FROM {t} WHERE key_id = ? AND claim = ? AND completed_at IS NULL"
PURGE = ("DELETE FROM {t} WHERE completed_at < ? OR (completed_at IS NULL AND reserved_until < ?)")
CLAIM_TRIES = 5
Row = Mapping[str, Any]


class SQLIdempotencyRecords(IdempotencyRecords):
    @abstractmethod
    def run_idempotency(self, statement: str, params: Sequence[object]) -> list[Row] | int:
        """Run `statement` (`?` placeholders, `{t}` the table) in a transaction of its own:
        the rows it selected, or how many it changed."""

    def claim_key(self, key_id: str, fingerprint: str, claim: str, now: float,
                  reserve_for: float, retain_for: float) -> IdempotencyRecord | None:
        until = micros(now + reserve_for)
        record = None
        for _ in range(CLAIM_TRIES):
            if self.run_idempotency(INSERT_CLAIM, (key_id, fingerprint, claim, until)) == 1:
                return None
            record = self._record(key_id)
            if record is None:
                continue
            if in_force(record, now, retain_for):
                return record
            if self.run_idempotency(TAKE_OVER, (fingerprint, claim, until, key_id,
                                                record.claim)) == 1:
                return None
        return record

    def release_key(self, key_id: str, claim: str) -> None:
        self.run_idempotency(RELEASE, (key_id, claim))

    def purge_keys(self, now: float, retain_for: float) -> int:
        cutoff = micros(now - retain_for)
        changed = self.run_idempotency(PURGE, (cutoff, cutoff))
        return changed if isinstance(changed, int) else 0

    def _record(self, key_id: str) -> IdempotencyRecord | None:
        rows = self.run_idempotency(SELECT_RECORD, (key_id,))
        if isinstance(rows, int) or not rows:
            return None
        return IdempotencyRecord(**{name: rows[0][name] for name in COLUMNS})


def in_force(record: IdempotencyRecord, now: float, retain_for: float) -> bool:
    """A record stands while complete and retained, or reserved and not yet expired."""
    if record.completed_at is not None:
        return record.completed_at >= micros(now - retain_for)
    return record.reserved_until > micros(now)


def completion_params(completion: Completion, completed_at: float,
                      position: int | None) -> tuple[object, ...]:
    """The parameters of `COMPLETE` for `completion`."""
    return (micros(completed_at), completion.subject_id, completion.subject_version,
            completion.created_id, position, completion.key_id, completion.claim)


def last_positions(stored_ids: Sequence[tuple[str, int]], notification_ids: Sequence[int],
                   completions: Sequence[Completion]) -> list[int | None]:
    """Each completion's log position: that of its save's last event, among those stored."""
    by_event = dict(zip(stored_ids, notification_ids, strict=False))
    return [by_event.get((str(c.last[0]), c.last[1])) for c in completions]
