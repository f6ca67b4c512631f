"""The objective page's forms, turned into the ledger's own commands.

A form carries the version of the objective it was shown with; it runs as the command with
that version expected (the API's If-Match), so a page opened before someone else acted gets a
conflict, never a silent overwrite. Who may act is the workflow's table, asked the way the
ledger asks it (`may_take`), before anything else: a forged form from someone not allowed is
refused whatever else it says. Faults the ledger finds are mapped back to the form field that
holds them, so each is shown beside its field.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.errors import (
    ConcurrencyConflictError,
    NotFoundError,
    PermissionDeniedError,
    TransitionNotAllowedError,
    ValidationError,
)
from domain.objective import Objective
from web.action_specs import FORMS
from web.form_fields import Arguments, Form, FormError
from workflows.actors import Actor
from workflows.ledger import OKRLedger
from workflows.objective_workflow import OBJECTIVE_WORKFLOW, relations

NAMED_BY = {"check-in": "check_in_id", "adjustment": "adjustment_id"}
"""The form field that names each kind of thing a command may not find."""


@dataclass(frozen=True)
class Outcome:
    """What a submitted form did: written, refused with faults per field, or stale."""

    written: bool = False
    errors: dict[str, str] = field(default_factory=dict)
    conflict: str = ""
    version: int | None = None


def may_take(actor: Actor, objective: Objective, action: str) -> bool:
    """Whether the person stands to the objective as the workflow requires for `action`
    (owner, reviewer or admin), whatever its state: the ledger's own rule, asked early."""
    if not actor.may_write or action not in OBJECTIVE_WORKFLOW.who:
        return False
    who = relations(actor.name, actor.is_admin, objective.owner, objective.reviewer)
    return bool(who & OBJECTIVE_WORKFLOW.who[action])


def submit_form(ledger: OKRLedger, actor: Actor, objective_id: str, action: str,
                form: Form) -> Outcome:
    """Run `action` from `form`; raises `PermissionDeniedError` for a person who may not."""
    spec = FORMS.get(action)
    objective = ledger.objective(objective_id)
    if spec is None or not may_take(actor, objective, action):
        raise PermissionDeniedError(f"{actor.name} may not {action} on this objective")
    arguments: Arguments = {}
    try:
        shown = shown_version(form)
        if shown != objective.version:
            return stale(objective.version)
        arguments = spec.parse(form, objective)
        result = spec.run(ledger, actor, objective_id, shown, arguments)
    except FormError as error:
        return Outcome(errors=error.errors)
    except ConcurrencyConflictError as error:
        return stale(error.current_version)
    except TransitionNotAllowedError:
        return stale(ledger.objective(objective_id).version)
    except ValidationError as error:
        return Outcome(errors=spec.fields_of(error.violations, arguments))
    except NotFoundError as error:  # what the form named (a check-in, an adjustment) is not
        return Outcome(errors={NAMED_BY.get(error.kind, error.kind): str(error)})
    return Outcome(written=True, version=result.subject.version)


def stale(current: int) -> Outcome:
    return Outcome(conflict="This objective changed since you opened it: nothing was saved. "
                            "Reload it to see the change, then try again.", version=current)


def shown_version(form: Form) -> int:
    text = form.get("version", "").strip()
    if not text.isdigit() or len(text) > 18:
        raise FormError({"version": "the page did not say which version it showed; reload it"})
    return int(text)
