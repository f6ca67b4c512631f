"""Dependencies every page declares: who is signed in, and a CSRF check for every write.

For the pages that write (the webpages' action forms too):

    @router.post("/objectives/{objective_id}/check-ins")
    async def check_in(session: CsrfChecked, ...): ...

`CsrfChecked` admits a request only when it carries the session's CSRF token, in the form
field `csrf_token` (`{{ csrf_field() }}` in a template) or the `X-CSRF-Token` header (htmx
sends it on every request: the base layout sets `hx-headers`). Otherwise it answers 403 and
nothing is written. `SignedIn` sends a person who is not signed in to the sign-in page.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.backend import backend_of
from web.sessions import COOKIE, Session, csrf_matches, decode_session

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


class SignInRequired(Exception):
    """No valid session: the person is sent to sign in, and back here afterwards."""

    def __init__(self, next_path: str) -> None:
        self.next_path = next_path
        super().__init__("sign in first")


class CsrfRefused(Exception):
    """A write without the session's CSRF token: refused before anything is done."""


def session_of(request: Request) -> Session | None:
    return decode_session(backend_of(request).secret(request), request.cookies.get(COOKIE))


async def current_session(request: Request) -> Session:
    session = session_of(request)
    if session is None:
        raise SignInRequired(request.url.path)
    return session


async def checked_csrf(request: Request,
                       session: Annotated[Session, Depends(current_session)]) -> Session:
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        field = (await request.form()).get(CSRF_FIELD)
        given = field if isinstance(field, str) else None
    if not csrf_matches(backend_of(request).secret(request), session.session_id, given):
        raise CsrfRefused()
    return session


SignedIn = Annotated[Session, Depends(current_session)]
CsrfChecked = Annotated[Session, Depends(checked_csrf)]


def send_to_sign_in(request: Request, error: Exception) -> Response:
    next_path = error.next_path if isinstance(error, SignInRequired) else "/"
    target = "/sign-in" + (f"?next={quote(next_path)}" if next_path != "/" else "")
    if request.headers.get("HX-Request"):
        return Response(status_code=401, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


def refuse_without_csrf(request: Request, error: Exception) -> Response:
    return HTMLResponse("<p role=\"alert\">This form has expired or did not come from this "
                        "site: reload the page and try again. Nothing was changed.</p>",
                        status_code=403)
