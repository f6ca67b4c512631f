"""Read models rebuilt from the event log alone: alignment trees, the adjustment audit,
check-in series and cycle summaries."""
