"""The Kafka event stream: a relay that publishes the event log as CloudEvents, and an example
consumer that builds a view from the topic alone."""
