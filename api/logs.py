"""How the long-running commands log: one JSON object per line, or plain text on a terminal.

Every record carries the request id of the request it was written in (`asgi-correlation-id`'s
logging filter; null outside requests); the access log (`api.observing`) adds the subject,
role, method, route template, status and duration; an error adds its traceback. JSON lines are
`python-json-logger`'s, so a log shipper reads them as they are.
"""

from __future__ import annotations

import logging
import sys
from typing import TextIO

from asgi_correlation_id import CorrelationIdFilter
from pythonjsonlogger.json import JsonFormatter

from workflows.operations_options import LogFormat
from workflows.settings import Settings

JSON_FIELDS = ["levelname", "name", "message"]
RENAMED = {"levelname": "level", "name": "logger", "correlation_id": "request_id",
           "exc_info": "traceback"}
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(correlation_id)s] %(message)s"


def configure_logging(settings: Settings, stream: TextIO | None = None) -> None:
    """Send every logger's records to `stream` (stderr) in the format the settings ask for."""
    out = stream or sys.stderr
    handler = logging.StreamHandler(out)
    handler.addFilter(CorrelationIdFilter(default_value="-" if _as_text(settings, out) else None))
    handler.setFormatter(_formatter(settings, out))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(settings.log_level.upper())


def _as_text(settings: Settings, out: TextIO) -> bool:
    if settings.log_format is LogFormat.AUTO:
        return out.isatty()
    return settings.log_format is LogFormat.TEXT


def _formatter(settings: Settings, out: TextIO) -> logging.Formatter:
    if _as_text(settings, out):
        return logging.Formatter(TEXT_FORMAT)
    return JsonFormatter(JSON_FIELDS, rename_fields=RENAMED, timestamp="time")
