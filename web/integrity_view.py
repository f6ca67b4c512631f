"""What the web app says of the log's tamper evidence (`integrity/`, docs/integrity.md): how
far the log is sealed into the Merkle tree, the last signed checkpoint, and any alarm an
integrity check raised (then every process refuses writes until an admin acknowledges it).

The same facts `/readyz` (sealer and integrity parts) and `GET /v1/audit/integrity` (its
alarms) give, read from the server's `IntegrityService` through the web's `Backend`: a few
small queries, no verification (that re-hashes the whole log: `okr audit verify`).
"""

from __future__ import annotations

from typing import Any

from integrity.service import IntegrityService

SHOWN_FAULTS = 5
"""The first faults of an alarm listed on the page (the rest are counted)."""


def integrity_status(integrity: IntegrityService, head: int) -> dict[str, Any]:
    """`head`: the log's last position, to say how much is sealed."""
    sealed, latest = integrity.status(), integrity.tables.latest_checkpoint()
    alarms = integrity.gate.status()["alarms"]
    return {"head": head, "position": sealed["position"], "tree_size": sealed["tree_size"],
            "sealer_error": sealed["last_error"],
            "checkpoint": None if latest is None else {
                "tree_size": latest.tree_size, "signed_at": latest.created_at},
            "alarms": [{**alarm, "shown": alarm["faults"][:SHOWN_FAULTS],
                        "more": max(0, len(alarm["faults"]) - SHOWN_FAULTS)}
                       for alarm in alarms]}


def writes_refused(integrity: IntegrityService) -> dict[str, Any] | None:
    """While an alarm is open: how many faults it holds and the first, for the banner every
    page shows. The gate's answer is cached for a second; the alarm is read only when open."""
    if integrity.gate.refusal() is None:
        return None
    alarms = integrity.gate.status()["alarms"]
    if not alarms:  # acknowledged since the gate last read the store
        return None
    return {"faults": len(alarms[0]["faults"]), "first": alarms[0]["faults"][0]}
