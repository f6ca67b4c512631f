"""One problem document (RFC 9457, application/problem+json), whatever went wrong."""

from __future__ import annotations

from typing import Any

from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

PROBLEM_TYPE = "https://okr-ledger.example/problems/"
MEDIA_TYPE = "application/problem+json"


def problem(status: int, title: str, detail: str, headers: dict[str, str] | None = None, *,
            instance: str | None = None, **extra: Any) -> JSONResponse:
    """`type` is named after the title; `instance` is the request's path; `extra` holds the
    problem's extension members (`errors`, `state`, `allowed_actions`, `current_version`)."""
    slug = title.lower().replace(" ", "-")
    body = {"type": PROBLEM_TYPE + slug, "title": title, "status": status, "detail": detail,
            **({} if instance is None else {"instance": instance}), **extra}
    return JSONResponse(jsonable_encoder(body), status_code=status, headers=headers,
                        media_type=MEDIA_TYPE)
