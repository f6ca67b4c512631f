"""How big each row runs: the full sizes of the issue, and small ones for `make bench-quick`."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace


@dataclass(frozen=True)
class Sizes:
    checkins: int = 5000
    """Row 1: check-ins timed per run, for the ledger and for the baseline each."""
    objectives: int = 10
    """Row 1: objectives (and baseline aggregates) the check-ins are spread over, round robin."""
    history: int = 10_000
    """Row 4: check-ins the objective has before it is read."""
    reads: int = 1000
    """Row 4: reads timed, of the current state and at random past versions each."""
    block: int = 50
    """Row 1: check-ins one side does before the next side takes its turn."""
    seed: int = 6
    """Seed for the random past versions, so runs pick the same versions."""
    events: int = 300_000
    """Row 3: events the projections are rebuilt from (about 100 per objective). The issue
    says 1,000,000; that took 7.9 minutes for both stores on a 2-core machine, so the full
    run uses 300,000 and `--events 1000000` runs the issue's size."""
    tree_objectives: int = 50_000
    """Row 6: objectives in the cycle whose tree is read."""
    tree_reads: int = 200
    """Row 6: tree reads timed after the cold one (one in five after a check-in)."""
    relay_events: int = 100_000
    """Row 5: events in the log the relay publishes (about 100 per objective)."""
    relay_latency: int = 1000
    """Row 5: check-ins made while the relay runs, each one's append-to-consumed latency timed."""
    http_objectives: int = 1000
    """Row 2: objectives the HTTP check-ins are spread over."""
    http_seconds: int = 10
    """Row 2: seconds of wrk load per side and round (bare app, /healthz, check-ins)."""
    seal_events: int = 200_000
    """Row 7: events appended raw, then sealed into the Merkle tree."""

    verify_events: int = 1_000_000
    """Row 8: events sealed (untimed), then verified by `okr audit verify`: the issue's size."""

    def override(self, **given: int | None) -> Sizes:
        return replace(self, **{name: value for name, value in given.items() if value is not None})

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


FULL = Sizes()
QUICK = Sizes(checkins=300, objectives=5, history=600, reads=60, events=20_000,
              tree_objectives=2000, tree_reads=40,
              relay_events=5000, relay_latency=100,
              http_objectives=1000, http_seconds=3, seal_events=5000,
              verify_events=10_000)
