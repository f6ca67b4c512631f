"""The published JSON Schemas of every CloudEvent's `data`, one file per event type.

The files in `stream/schemas/` are the contract integrators code against (served at
`GET /v1/events/schemas`, referenced by `docs/asyncapi.yaml`); they are written by hand and the
tests check them against the domain's events, so an event type cannot change unnoticed.
"""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

SCHEMA_SUFFIX = ".json"


def load_schemas() -> dict[str, dict[str, Any]]:
    """CloudEvent type -> JSON Schema (2020-12) of that event's `data`."""
    folder = files("stream").joinpath("schemas")
    return {entry.name.removesuffix(SCHEMA_SUFFIX): json.loads(entry.read_text("utf-8"))
            for entry in sorted(folder.iterdir(), key=lambda e: e.name)
            if entry.name.endswith(SCHEMA_SUFFIX)}
