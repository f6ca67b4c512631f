"""`install_web(app, backend)`: the pages, their static files and their error handling."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from web.backend import Backend
from web.pages import cycles, home, sign_in
from web.security import CsrfRefused, SignInRequired, refuse_without_csrf, send_to_sign_in

STATIC = Path(__file__).parent / "static"
PAGES = (sign_in, home, cycles)


def install_web(app: FastAPI, backend: Backend) -> None:
    """Serve the web app from `app`, at `/`, beside the API's `/v1`."""
    app.state.web_backend = backend
    for page in PAGES:
        app.include_router(page.router, include_in_schema=False)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_exception_handler(SignInRequired, send_to_sign_in)
    app.add_exception_handler(CsrfRefused, refuse_without_csrf)
