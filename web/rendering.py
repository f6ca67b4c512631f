"""Jinja2 templates and the filters the pages share (percentages, dates, state names).

`render` gives every page what the base layout needs: the session, its CSRF token (for
`csrf_field()` and htmx's header), the person's display name, the cycles for the nav, and
why writes are refused when an integrity alarm is open (a banner on every page, before anyone
fills a form; the gate reads the store at most once a second).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from web.backend import backend_of
from web.integrity_view import writes_refused
from web.security import CSRF_FIELD
from web.sessions import Session, csrf_token

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def percent(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100):d}%"


def day(value: datetime | str | None) -> str:
    """'14 Mar 2026': how the pages show a moment's date."""
    if value is None:
        return "–"
    moment = datetime.fromisoformat(value.replace("Z", "+00:00")) if isinstance(value, str) \
        else value
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def state_name(state: str) -> str:
    return state.replace("_", " ").capitalize()


TEMPLATES.env.filters.update(percent=percent, day=day, state_name=state_name)


def render(request: Request, template: str, context: dict[str, Any],
           session: Session | None = None, status_code: int = 200) -> HTMLResponse:
    backend = backend_of(request)
    page: dict[str, Any] = {"session": session, "person": None, "csrf": None,
                            "nav_cycles": [], "writes_refused": None}
    if session is not None:
        ledger = backend.ledger(request)
        token = csrf_token(backend.secret(request), session.session_id)
        person = ledger.find_person(session.subject)
        page.update(person=person.display_name if person else session.subject, csrf=token,
                    writes_refused=writes_refused(backend.integrity(request)),
                    nav_cycles=[(str(cycle.id), cycle.name) for cycle in ledger.list_cycles()],
                    csrf_field=lambda: Markup(
                        f'<input type="hidden" name="{CSRF_FIELD}" value="{escape(token)}">'))
    return TEMPLATES.TemplateResponse(request, template, {**page, **context},
                                      status_code=status_code)
