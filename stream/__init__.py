"""The event stream for integrators: the one CloudEvents mapping and the published schemas, a
Kafka relay that publishes the event log, and an example consumer that builds a view from the
topic alone. It publishes events; it holds no read model of the ledger."""
