"""Liveness: the one route that needs no token."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str


@router.get("/healthz")
async def healthz() -> Health:
    """Whether the server is up; needs no token. On the event loop: a `def` route would cost a
    hop to a worker thread and back for nothing."""
    return Health(status="ok")
