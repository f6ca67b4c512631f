"""CloudEvent ids come from the stored event itself: an event written at a version (and, on
SQLite, a log position) that a deleted event once had never takes that event's id, so
consumers that drop repeats by id never drop it."""

from domain.rules import MethodologyRules
from stream.cloudevents import read_feed
from tests.builders import active, first_kr, open_cycle
from tests.conftest import OWNER
from tests.tampering import erase_version
from workflows.ledger import OKRLedger


def feed(ledger: OKRLedger) -> list[dict]:
    return read_feed(ledger.recorder, ledger.mapper, after=0, limit=1000)[0]


def test_an_event_written_where_a_deleted_one_was_gets_an_id_of_its_own(store_env):
    with OKRLedger(store_env, rules=MethodologyRules()) as ledger:
        objective_id = active(ledger, open_cycle(ledger))
        ledger.check_in(OWNER, objective_id, first_kr(ledger, objective_id), value=20,
                        confidence=0.5)
        deleted = feed(ledger)[-1]
    erase_version(store_env, objective_id, deleted["data"]["version"])

    with OKRLedger(store_env, rules=MethodologyRules()) as restarted:
        restarted.check_in(OWNER, objective_id, first_kr(restarted, objective_id), value=20,
                           confidence=0.5)
        events = feed(restarted)

    written = events[-1]
    assert (written["subject"], written["data"]["version"]) == \
        (deleted["subject"], deleted["data"]["version"])
    assert written["id"] != deleted["id"]
    assert len({event["id"] for event in events}) == len(events)
