"""Signing in with a token (from a pasted token, or the fragment of a printed link), and out.

The token never travels in a URL the server sees: a printed link carries it in the fragment
(`/sign-in#token=...`), which browsers do not send; `static/sign-in.js` posts it in the body.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from web.backend import backend_of
from web.rendering import render
from web.security import CsrfChecked, session_of
from web.sessions import (
    COOKIE,
    SIGN_IN_COOKIE,
    csrf_matches,
    csrf_token,
    encode_session,
    new_session,
    token_expiry,
)

router = APIRouter()
DEFAULT_SESSION = timedelta(hours=8)


def _safe_next(next_path: str | None) -> str:
    """Only a path on this site: never an open redirect."""
    if not next_path or not next_path.startswith("/") or next_path.startswith("//"):
        return "/"
    return next_path


def _form(request: Request, error: str | None = None, next_path: str = "/",
          status_code: int = 200) -> Response:
    nonce = secrets.token_urlsafe(16)
    secret = backend_of(request).secret(request)
    response = render(request, "sign_in.html", {"sign_in_csrf": csrf_token(secret, nonce),
                                                "error": error, "next": next_path},
                      status_code=status_code)
    response.set_cookie(SIGN_IN_COOKIE, nonce, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https", path="/sign-in")
    return response


@router.get("/sign-in")
async def sign_in_page(request: Request, next: str | None = None) -> Response:
    if session_of(request) is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return _form(request, next_path=_safe_next(next))


@router.post("/sign-in")
async def sign_in(request: Request, token: Annotated[str, Form(max_length=20000)] = "",
                  csrf_token: Annotated[str, Form(max_length=200)] = "",
                  next: Annotated[str, Form(max_length=2000)] = "/") -> Response:
    backend = backend_of(request)
    secret = backend.secret(request)
    nonce = request.cookies.get(SIGN_IN_COOKIE, "")
    if not csrf_matches(secret, nonce, csrf_token):
        return _form(request, "The sign-in form expired: try again.", _safe_next(next), 403)
    try:
        actor = await backend.actor_for_token(request, token.strip())
    except backend.token_error as error:
        return _form(request, f"That token was not accepted: {error}.", _safe_next(next), 401)
    expires = token_expiry(token.strip()) or datetime.now(UTC) + DEFAULT_SESSION
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(COOKIE, encode_session(secret, new_session(actor, expires)),
                        httponly=True, samesite="strict", secure=request.url.scheme == "https",
                        expires=expires, path="/")
    response.delete_cookie(SIGN_IN_COOKIE, path="/sign-in")
    return response


@router.post("/sign-out")
async def sign_out(request: Request, _: CsrfChecked) -> Response:
    response = RedirectResponse("/sign-in", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response
