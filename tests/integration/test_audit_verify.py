"""`okr audit verify` finds every kind of tampering done straight in the database, and names
its position, on SQLite and PostgreSQL; an untouched log always verifies."""

import json
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from uuid import uuid4

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.cli import main
from domain.rules import MethodologyRules
from integrity.notes import Checkpoint, sign_note
from integrity.sealer import TRACKING_NAME
from integrity.service import IntegrityService
from integrity.verification import verify_store
from tests.api.conftest import SECRET, serving
from tests.api.http import ok
from tests.builders import active, first_kr, open_cycle
from tests.command_sequences import random_history
from tests.conftest import OWNER
from tests.people import with_people
from tests.stores import postgres_database
from tests.tampering import execute, stored_id
from workflows.ledger import OKRLedger
from workflows.settings import Settings

CHECKPOINT_EVERY = 8
TOOL = Path(__file__).resolve().parents[2] / "tools" / "verify_okr_log.py"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    if request.param == "sqlite":
        yield Settings(data_dir=tmp_path, database_url="", checkpoint_every=CHECKPOINT_EVERY)
    else:
        with postgres_database() as url:
            yield Settings(data_dir=tmp_path, database_url=url,
                           checkpoint_every=CHECKPOINT_EVERY)


class Store:
    """A sealed and signed little history, and ways to look at it and verify it."""

    def __init__(self, settings: Settings) -> None:
        self.settings, self.env = settings, with_people(settings.persistence_env())
        self.gap = 0
        with self.opened() as (ledger, integrity):
            cycle_id = open_cycle(ledger)
            self.objectives = [active(ledger, cycle_id, title=f"O{n}") for n in range(2)]
            self.gap = self.burn_a_position()
            for value in (20, 40, 60):
                for objective_id in self.objectives:
                    ledger.check_in(OWNER, objective_id, first_kr(ledger, objective_id),
                                    value=value, confidence=0.5)
            execute(self.env, "DELETE FROM {events} WHERE {position} = %s", (self.gap,))
            integrity.checkpoint_now()
            self.last = ledger.recorder.max_notification_id() or 0

    @contextmanager
    def opened(self) -> Iterator[tuple[OKRLedger, IntegrityService]]:
        with OKRLedger(self.env, rules=MethodologyRules()) as ledger, \
                IntegrityService(self.settings, ledger.recorder) as integrity:
            yield ledger, integrity

    def burn_a_position(self) -> int:
        """A log position no event will keep (as a rolled-back write leaves on PostgreSQL)."""
        [(position,)] = execute(self.env, "INSERT INTO {events} (originator_id, "
                                "originator_version, topic, state) VALUES (%s, 1, 'x', %s) "
                                "RETURNING {position}", (stored_id(self.env, str(uuid4())), b""))
        return int(position)

    def positions(self, objective_id: str) -> dict[int, int]:
        rows = execute(self.env, "SELECT originator_version, {position} FROM {events} "
                                 "WHERE originator_id = %s", (stored_id(self.env, objective_id),))
        return {int(version): int(position) for version, position in rows}

    def verify(self):
        with self.opened() as (ledger, integrity):
            return verify_store(ledger.recorder, ledger.moments, integrity.tables,
                                integrity.signer.vkey())


def faults(report) -> set[tuple[str, int]]:
    return {(fault.kind, fault.position) for fault in report.faults}


@pytest.fixture
def store(store_settings) -> Store:
    return Store(store_settings)


def test_an_untouched_log_verifies(store):
    report = store.verify()
    assert report.ok, report.faults
    assert report.sealed == report.events and report.verified_size == report.sealed
    assert report.checkpoints >= 2


def test_a_command_stored_while_the_log_is_verified_is_no_fault(store):
    """The periodic check runs while commands are written: one stored after the check read
    where the log ends is past what it verifies, not a version deleted (it was raised as one,
    which refuses every write until an admin acknowledges it)."""
    with store.opened() as (ledger, integrity):
        objective_id = store.objectives[0]

        class StoringOnceTheEndIsRead:
            """The store, with a command stored just after the check reads the log's end: the
            race, made to happen every time."""

            def __init__(self) -> None:
                self.stored = False

            def __getattr__(self, name: str) -> object:
                return getattr(ledger.recorder, name)

            def max_notification_id(self) -> int | None:
                end = ledger.recorder.max_notification_id()
                if not self.stored:
                    self.stored = True
                    ledger.check_in(OWNER, objective_id, first_kr(ledger, objective_id),
                                    value=80, confidence=0.5)
                return end

        recorder = StoringOnceTheEndIsRead()
        report = verify_store(recorder, ledger.moments, integrity.tables,
                              integrity.signer.vkey())
        assert recorder.stored
    assert report.ok, report.faults


def edit(store: Store) -> int:
    position = store.positions(store.objectives[0])[6]  # the check-in of 20
    [(state,)] = execute(store.env, "SELECT state FROM {events} WHERE {position} = %s",
                         (position,))
    changed = bytes(state).replace(b"20", b"99")
    assert changed != bytes(state)
    execute(store.env, "UPDATE {events} SET state = %s WHERE {position} = %s",
            (changed, position))
    return position


def delete(store: Store) -> int:
    position = store.positions(store.objectives[1])[6]
    execute(store.env, "DELETE FROM {events} WHERE {position} = %s", (position,))
    return position


def insert(store: Store) -> int:
    execute(store.env, "INSERT INTO {events} ({position}, originator_id, originator_version, "
                       "topic, state) SELECT %s, %s, 1, topic, state FROM {events} "
                       "WHERE {position} = %s",
            (store.gap, stored_id(store.env, str(uuid4())), store.positions(store.objectives[0])[1]))
    return store.gap


def reorder(store: Store) -> int:
    first, second = store.positions(store.objectives[0])[7], store.positions(store.objectives[1])[7]
    for old, new in ((first, -1), (second, first), (-1, second)):
        execute(store.env, "UPDATE {events} SET {position} = %s WHERE {position} = %s", (new, old))
    return first


def truncate(store: Store) -> int:
    execute(store.env, "DELETE FROM {events} WHERE {position} > %s", (store.last - 2,))
    return store.last - 2


TAMPERING: dict[str, Callable[[Store], int]] = {
    "edited": edit, "deleted": delete, "inserted": insert, "reordered": reorder,
    "truncated": truncate}


@pytest.mark.parametrize("kind", TAMPERING)
def test_tampering_with_sql_is_found_and_named_by_position(store, kind):
    position = TAMPERING[kind](store)
    report = store.verify()
    assert (kind, position) in faults(report), report.faults


def test_a_history_rewritten_and_signed_again_is_a_fork_of_the_first_checkpoint(store):
    execute(store.env, "UPDATE {events} SET state = %s WHERE {position} = 1",  # a person
            (b'{"tampered": true}',))
    with store.opened() as (_, integrity):
        first = integrity.checkpoints(0, 1)[0]
        with integrity.tables.transaction(commit=True) as cursor:
            for statement in ("DELETE FROM {p}integrity_leaves", "DELETE FROM {p}integrity_nodes",
                              "DELETE FROM {p}integrity_checkpoints WHERE tree_size > ?"):
                cursor.execute(integrity.tables.sql(statement),
                               [first.tree_size] if "?" in statement else [])
            cursor.execute(integrity.tables.sql(
                f"UPDATE {integrity.tables.tracking_table()} SET notification_id = 0 "
                "WHERE application_name = ?"), [TRACKING_NAME])
    with store.opened() as (_, integrity):  # the stolen key re-seals the edited history
        integrity.checkpoint_now()
    report = store.verify()
    assert {fault.kind for fault in report.faults} == {"forked"}, report.faults
    assert report.faults[0].leaf_index == first.tree_size - 1


def test_a_checkpoint_signed_by_another_key_is_refused(store):
    with store.opened() as (_, integrity):
        first = integrity.checkpoints(0, 1)[0]
        other = sign_note(Checkpoint(store.settings.log_origin, first.tree_size,
                                     first.root_hash).body(), store.settings.log_origin,
                          Ed25519PrivateKey.generate())
        with integrity.tables.transaction(commit=True) as cursor:
            cursor.execute(integrity.tables.sql(
                "UPDATE {p}integrity_checkpoints SET note = ? WHERE tree_size = ?"),
                [other, first.tree_size])
    assert {fault.kind for fault in store.verify().faults} == {"forged"}


@settings(max_examples=4, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_random_histories_sealed_as_they_come_always_verify(store, data):
    with store.opened() as (ledger, integrity):
        random_history(ledger, data, max_steps=12)
        integrity.catch_up()
    report = store.verify()
    assert report.ok, report.faults


def where(settings: Settings) -> list[str]:
    return ["--data-dir", str(settings.data_dir),
            *(["--database-url", settings.database_url] if settings.database_url else [])]


def test_okr_audit_verify_exits_non_zero_naming_each_fault(store, capsys):
    assert main(["audit", "verify", *where(store.settings)]) == 0
    assert capsys.readouterr().out.startswith("ok: ")

    position = delete(store)
    assert main(["audit", "verify", "--json", *where(store.settings)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    assert {"kind": "deleted", "position": position} in [
        {"kind": fault["kind"], "position": fault["position"]} for fault in report["faults"]]


def test_admins_and_auditors_read_the_integrity_report(store):
    with serving(store.settings.model_copy(update={"secret": SECRET})) as api:
        assert ok(api.auditor.get("/v1/audit/integrity"))["ok"] is True
        assert api.owner.get("/v1/audit/integrity").status_code == 403
        position = edit(store)
        report = ok(api.admin.get("/v1/audit/integrity"))
    assert report["ok"] is False
    assert [(f["kind"], f["position"]) for f in report["faults"]] == [("edited", position)]


def test_an_exported_log_verifies_with_the_standalone_tool_until_tampered_with(store, tmp_path):
    with store.opened() as (_, integrity):
        (tmp_path / "okr.vkey").write_text(integrity.signer.vkey())

    def exported_log_verifies() -> subprocess.CompletedProcess[str]:
        assert main(["export", "log", "--to", str(tmp_path / "log"),
                     *where(store.settings)]) == 0
        return subprocess.run(
            [sys.executable, str(TOOL), "log", "--key", str(tmp_path / "okr.vkey"),
             "--events", str(tmp_path / "log" / "events.jsonl"),
             "--checkpoints", str(tmp_path / "log" / "checkpoints.json")],
            capture_output=True, text=True, timeout=60)

    clean = exported_log_verifies()
    assert clean.returncode == 0, clean.stderr
    edit(store)
    tampered = exported_log_verifies()
    assert tampered.returncode == 1 and "NOT VERIFIED" in tampered.stderr


def test_a_snapshot_changed_in_the_database_is_found_by_verify_snapshots(store, capsys):
    with store.opened() as (ledger, _):
        objective_id = store.objectives[0]
        for value in range(5):  # past version 10: the ledger snapshots it
            ledger.check_in(OWNER, objective_id, first_kr(ledger, objective_id), value=value,
                            confidence=0.5)
    assert main(["audit", "verify", "--snapshots", *where(store.settings)]) == 0
    [(state,)] = execute(store.env, "SELECT state FROM {snapshots} WHERE originator_id = %s",
                         (stored_id(store.env, objective_id),))
    execute(store.env, "UPDATE {snapshots} SET state = %s",
            (bytes(state).replace(b"O0", b"O9"),))
    capsys.readouterr()

    assert main(["audit", "verify", "--snapshots", "--json", *where(store.settings)]) == 1
    [fault] = json.loads(capsys.readouterr().out)["faults"]
    assert fault["kind"] == "snapshot" and fault["position"] == store.positions(objective_id)[10]
    assert "title" in fault["detail"]


def view_execute(store: Store, view: str, sql: str, params: tuple = ()) -> list[tuple]:
    """SQL on a view's tables: in the ledger's database on PostgreSQL, in the view's own file
    beside the events on SQLite."""
    if store.settings.database_url:
        return execute(store.env, sql, params)
    events = Path(store.env["SQLITE_DBNAME"])
    with sqlite3.connect(events.with_name(f"{events.stem}.{view}{events.suffix}")) as db:
        return db.execute(sql.replace("%s", "?"), params).fetchall()


def test_a_view_row_changed_in_the_database_is_found_by_verify_views(store, capsys):
    assert main(["projections", "catch-up", *where(store.settings)]) == 0
    assert main(["audit", "verify", "--views", *where(store.settings)]) == 0
    assert "views ok: each equals its rebuild" in capsys.readouterr().out
    [(position, value)] = view_execute(store, "check_ins", "SELECT position, value FROM "
                                       "check_in_series ORDER BY position DESC LIMIT 1")
    view_execute(store, "check_ins", "UPDATE check_in_series SET value = 99 WHERE position = %s",
                 (position,))

    assert main(["audit", "verify", "--views", "--json", *where(store.settings)]) == 1
    checked = json.loads(capsys.readouterr().out)["views"]
    assert checked["ok"] is False and checked["count"] == 1
    [difference] = checked["differences"]
    assert (difference["view"], difference["table"], difference["key"]) == (
        "check_ins", "check_in_series", {"position": position})
    assert (difference["live"]["value"], difference["rebuilt"]["value"]) == (99, value)
    assert not view_execute(store, "check_ins", *scratch_tables(store))


def scratch_tables(store: Store) -> tuple[str]:
    """A query for tables a view check left behind."""
    if store.settings.database_url:
        return ("SELECT table_name FROM information_schema.tables "
                "WHERE table_name LIKE 'verify%%'",)
    return ("SELECT name FROM sqlite_master WHERE name LIKE 'verify%'",)


def test_the_integrity_report_compares_the_views_on_request(store):
    with serving(store.settings.model_copy(update={"secret": SECRET})) as api:
        clean = ok(api.auditor.get("/v1/audit/integrity?views=true"))
        assert clean["ok"] is True and clean["views"]["ok"] is True
        assert ok(api.auditor.get("/v1/audit/integrity"))["views"] is None
        view_execute(store, "tree", "UPDATE tree_nodes SET state = 'cancelled' "
                                    "WHERE objective_id = %s", (store.objectives[0],))
        report = ok(api.auditor.get("/v1/audit/integrity?views=true"))
    assert report["ok"] is False
    assert {(d["view"], d["key"]["objective_id"]) for d in report["views"]["differences"]} == {
        ("tree", store.objectives[0])}


def test_the_periodic_check_reads_only_what_came_after_the_tree_it_verified(store):
    with store.opened() as (ledger, integrity):
        whole = integrity.monitor.check()
        assert whole.ok and whole.checked_from == 0 and whole.events == store.verify().events
        verified = whole.verified_size
        assert verified == integrity.latest_checkpoint().tree_size
        objective_id = store.objectives[0]
        for value in (70, 80):
            ledger.check_in(OWNER, objective_id, first_kr(ledger, objective_id), value=value,
                            confidence=0.5)
        integrity.checkpoint_now()

        tail = integrity.monitor.check()
        assert tail.ok and (tail.checked_from, tail.events) == (verified, 2)
        assert tail.verified_size == integrity.latest_checkpoint().tree_size > verified

        ledger.check_in(OWNER, objective_id, first_kr(ledger, objective_id), value=90,
                        confidence=0.5)
        integrity.catch_up()  # sealed, not yet signed
        position = ledger.recorder.max_notification_id()
        [(state,)] = execute(store.env, "SELECT state FROM {events} WHERE {position} = %s",
                             (position,))
        execute(store.env, "UPDATE {events} SET state = %s WHERE {position} = %s",
                (bytes(state).replace(b"90", b"95"), position))
        found = integrity.monitor.check()
    assert found.checked_from == tail.verified_size and found.events == 1
    assert faults(found) == {("edited", position)}
    assert faults(store.verify()) == {("edited", position)}, "a whole check finds it too"


def test_a_check_from_a_size_never_signed_reads_the_whole_log(store):
    with store.opened() as (_, integrity):
        size = integrity.latest_checkpoint().tree_size
        assert integrity.verify(after_size=size).checked_from == size
        assert integrity.verify(after_size=size + 1).checked_from == 0
