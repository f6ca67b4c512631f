"""How the long-running commands log: one JSON object per line, or plain text on a terminal.

Every record carries the request id of the request it was written in (`asgi-correlation-id`'s
logging filter; null outside requests); the access log (`api.observing`) adds the subject,
role, method, route template, status and duration; an error adds its traceback. JSON lines are
`python-json-logger`'s, so a log shipper reads them as they are. The configuration is a
`logging.config` dictionary so that uvicorn applies the same one in each of its worker
processes (`okr serve --workers N`); whether stderr is a terminal is decided once, here.
"""

from __future__ import annotations

import logging.config
import sys
from typing import Any, TextIO

from pythonjsonlogger.core import RESERVED_ATTRS

from workflows.operations_options import LogFormat
from workflows.settings import Settings

JSON_FIELDS = ["levelname", "name", "process", "message"]
RENAMED = {"levelname": "level", "name": "logger", "correlation_id": "request_id",
           "exc_info": "traceback"}
LEFT_OUT = [*RESERVED_ATTRS, "color_message"]  # uvicorn's copy of its message, with colours
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(correlation_id)s] %(message)s"


def configure_logging(settings: Settings, stream: TextIO | None = None) -> None:
    """Send every logger's records to `stream` (stderr) in the format the settings ask for."""
    logging.config.dictConfig(logging_config(settings, stream))


def logging_config(settings: Settings, stream: TextIO | None = None) -> dict[str, Any]:
    """The `logging.config.dictConfig` of a process: one handler on the root logger."""
    out = stream or sys.stderr
    text = _as_text(settings, out)
    formatter = ({"format": TEXT_FORMAT} if text else
                 {"()": "pythonjsonlogger.json.JsonFormatter", "fmt": JSON_FIELDS,
                  "rename_fields": RENAMED, "timestamp": "time", "reserved_attrs": LEFT_OUT})
    return {
        "version": 1, "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "asgi_correlation_id.CorrelationIdFilter",
                                   "default_value": "-" if text else None}},
        "formatters": {"okr": formatter},
        "handlers": {"okr": {"class": "logging.StreamHandler", "formatter": "okr",
                             "filters": ["request_id"],
                             "stream": "ext://sys.stderr" if stream is None else stream}},
        "root": {"handlers": ["okr"], "level": settings.log_level.upper()},
    }


def _as_text(settings: Settings, out: TextIO) -> bool:
    if settings.log_format is LogFormat.AUTO:
        return out.isatty()
    return settings.log_format is LogFormat.TEXT
