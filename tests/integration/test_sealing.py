"""The sealer on real stores: every event sealed once, in log order, checkpoints where due, and
exactly resumed after `kill -9`."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import uuid

import pytest
from eventsourcing.persistence import StoredEvent

from devtools.network import wait_for
from integrity.leaves import notification_leaf
from integrity.merkle import verify_consistency
from integrity.proofs import ProofReader
from integrity.sealer import SigningRefusedError
from integrity.service import IntegrityService
from integrity.tables import open_tables
from workflows.ledger import OKRLedger
from workflows.settings import Settings

SEALING = """
import json, sys
from workflows.ledger import OKRLedger
from workflows.settings import Settings
from integrity.sealer import SigningRefusedError
from integrity.service import IntegrityService
env, data_dir = json.loads(sys.argv[1]), sys.argv[2]
ledger = OKRLedger(env)
IntegrityService(Settings(data_dir=data_dir, checkpoint_every=7), ledger.recorder, env,
                 batch_size=int(sys.argv[3])).catch_up()
"""


def append(ledger: OKRLedger, count: int) -> None:
    for start in range(0, count, 500):
        ledger.recorder.insert_events([
            StoredEvent(uuid.uuid4(), 1, "tests:Raw", os.urandom(40 + i % 50))
            for i in range(min(500, count - start))])


def expected_leaves(ledger: OKRLedger) -> list[tuple[int, int, bytes]]:
    events = ledger.recorder.select_notifications(start=1, limit=10**9)
    return [(index, event.id, notification_leaf(event)) for index, event in enumerate(events)]


@pytest.fixture
def sealed_store(store_env, tmp_path):
    ledger = OKRLedger(store_env)
    ledger.store_env = store_env
    yield ledger, Settings(data_dir=tmp_path, checkpoint_every=100, checkpoint_seconds=3600)
    ledger.close()


def test_every_event_is_sealed_once_in_order_with_checkpoints_every_n(sealed_store):
    ledger, settings = sealed_store
    before = len(expected_leaves(ledger))  # the people the fixture registered
    append(ledger, 250 - before)
    with IntegrityService(settings, ledger.recorder, store_env_of(ledger),
                          batch_size=64) as integrity:
        assert integrity.catch_up() == 250
    append(ledger, 160)
    with IntegrityService(settings, ledger.recorder, store_env_of(ledger),
                          batch_size=64) as integrity:
        assert integrity.catch_up() == 410
        assert integrity.tables.leaves(-1, 10**6) == expected_leaves(ledger)
        sizes = [checkpoint.tree_size for checkpoint in integrity.checkpoints(0, 100)]
        assert sizes == [100, 200, 300, 400]
        assert integrity.checkpoint_now().tree_size == 410
        reader = ProofReader(integrity.tables)
        roots = {size: integrity.tables.checkpoint_at(size).root_hash for size in (200, 410)}
        assert verify_consistency(200, 410, roots[200], roots[410],
                                  reader.consistency(200, 410))


def test_a_sealer_killed_mid_way_resumes_with_no_leaf_missing_or_doubled(sealed_store):
    ledger, settings = sealed_store
    append(ledger, 6000)
    total = len(expected_leaves(ledger))
    process = subprocess.Popen([sys.executable, "-c", SEALING, json.dumps(store_env_of(ledger)),
                                str(settings.data_dir), "5"])
    tables = open_tables(store_env_of(ledger))
    try:
        wait_for(lambda: tables.sealed("OKRLedger")[1] > 0 or process.poll() is not None, 30,
                 "the sealer to seal something")
        process.send_signal(signal.SIGKILL)
        process.wait()
        position, size = tables.sealed("OKRLedger")
        assert 0 < size < total, "killed mid-way"
        assert position == tables.leaves(size - 2, 1)[0][1]
    finally:
        tables.close()
    subprocess.run([sys.executable, "-c", SEALING, json.dumps(store_env_of(ledger)),
                    str(settings.data_dir), "1000"], check=True, timeout=120)
    with IntegrityService(settings, ledger.recorder, store_env_of(ledger)) as integrity:
        assert integrity.tables.leaves(-1, 10**6) == expected_leaves(ledger)
        assert integrity.sealer.frontier.root() == ProofReader(integrity.tables).root(total)


def store_env_of(ledger: OKRLedger) -> dict[str, str]:
    return ledger.store_env  # type: ignore[attr-defined]


def test_a_few_events_get_a_checkpoint_once_the_interval_has_passed(sealed_store):
    ledger, settings = sealed_store
    append(ledger, 5)
    now = [0.0]
    with IntegrityService(settings, ledger.recorder, store_env_of(ledger)) as integrity:
        integrity.sealer.clock = lambda: now[0]
        integrity.sealer._signed_at = 0.0
        size = integrity.catch_up()
        assert integrity.sealer.checkpoint_if_due() is None
        now[0] = settings.checkpoint_seconds + 1
        assert integrity.sealer.checkpoint_if_due().tree_size == size
        assert integrity.sealer.checkpoint_if_due() is None, "nothing new to sign"


def test_a_process_with_another_key_seals_but_never_signs(sealed_store, tmp_path):
    ledger, settings = sealed_store
    append(ledger, 5)
    with IntegrityService(settings, ledger.recorder, store_env_of(ledger)) as first:
        first.checkpoint_now()
        log_key = first.public_key()["vkey"]
    append(ledger, 5)
    elsewhere = settings.model_copy(update={"data_dir": tmp_path / "elsewhere"})
    with IntegrityService(elsewhere, ledger.recorder, store_env_of(ledger)) as other:
        assert other.public_key()["vkey"] == log_key != other.signer.vkey()
        with pytest.raises(SigningRefusedError, match="not the one the log is signed with"):
            other.checkpoint_now()
        assert other.sealer.size == len(expected_leaves(ledger))
        assert other.status()["state"] == "failing"
