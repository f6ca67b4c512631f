"""How many events the relays of this process have had acknowledged by the brokers.

One counter for the process, not per relay: a process's relays are opened and closed as it
takes and leaves their leases, and `okr_relay_published_total` must only ever grow while it
runs. It belongs to no registry: each metrics registry that reports it adds it
(`api.metrics`), and under `okr serve --workers N` prometheus-client sums it over the workers.
"""

from __future__ import annotations

from prometheus_client import Counter

RELAY_PUBLISHED = Counter("okr_relay_published", "Events this process's relays have had "
                          "acknowledged by the brokers", registry=None)
