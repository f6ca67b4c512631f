"""The HTTP API (FastAPI) and the `okr` command line: thin layers over the ledger."""
