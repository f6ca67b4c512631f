"""Making a store ready before the processes that share it start."""

from __future__ import annotations

from api.demo import load_demo
from projections.service import ProjectionService
from workflows.ledger import OKRLedger
from workflows.settings import Settings
from workflows.startup import opened


def prepare_store(settings: Settings) -> bool:
    """Create every table (events with the idempotency keys, views) and load the demo if asked,
    once:
    `okr serve --workers N` starts N processes at the same moment, and an empty ledger would
    otherwise get the demo from each of them. Whether the demo was loaded (into an empty
    store)."""
    env = settings.persistence_env()
    ledger = opened(lambda: OKRLedger(env, rules=settings.rules()), "ledger")
    try:
        opened(lambda: ProjectionService(env, ledger=ledger), "views").close()
        return settings.demo and load_demo(ledger)
    finally:
        ledger.close()
