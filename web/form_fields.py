"""Form fields as the ledger's commands want them: text trimmed, numbers parsed (or a fault
named for the field), and the shape of one action's form (`ActionForm`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from domain.objective import Objective
from workflows.actors import Actor
from workflows.ledger import OKRLedger

Form = Mapping[str, str]
Arguments = dict[str, Any]


class FormError(Exception):
    """The form itself is wrong: `errors` maps each field at fault to why."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{name}: {why}" for name, why in errors.items()))


Runner = Callable[[OKRLedger, Actor, str, int, Arguments], Any]


@dataclass(frozen=True)
class ActionForm:
    """One action's form: how its fields become the command's arguments, how the command is
    run, and, for a form with a row per key result, under which argument those rows go (the
    ledger names a row's fault by its index there: `scores[1].reason`)."""

    parse: Callable[[Form, Objective], Arguments]
    run: Runner
    rows: str = ""
    named: Callable[[str, Arguments], str] | None = None
    """How the ledger's name for a faulty field becomes the form's, where the rows' way does
    not say it (`web.adjustment_form.fault_field`)."""

    def fields_of(self, violations: list[tuple[str, str]],
                  arguments: Arguments) -> dict[str, str]:
        errors: dict[str, str] = {}
        for name, why in violations:
            target = self._form_field(name, arguments)
            errors[target] = f"{errors[target]}; {why}" if target in errors else why
        return errors

    def _form_field(self, name: str, arguments: Arguments) -> str:
        """`scores[1].reason` (the ledger's) as `reason.<kr id>` (the form's)."""
        if self.named is not None:
            return self.named(name, arguments)
        rows = arguments.get(self.rows) or [] if self.rows else []
        index, _, rest = name.removeprefix("scores[").partition("]")
        if rows and name.startswith("scores[") and index.isdigit() and int(index) < len(rows):
            return f"{rest.removeprefix('.') or 'score'}.{rows[int(index)]['key_result_id']}"
        return name


def text(form: Form, name: str) -> str:
    """The field trimmed, its line breaks as `\n` (a browser sends a textarea's as CRLF)."""
    return form.get(name, "").replace("\r\n", "\n").strip()


def number(form: Form, name: str, errors: dict[str, str], *,
           required: bool = True) -> float | None:
    raw = text(form, name)
    if not raw:
        if required:
            errors[name] = "is required: give a number"
        return None
    try:
        value = float(raw)
    except ValueError:
        errors[name] = f"must be a number; got {raw!r}"
        return None
    if value != value or value in (float("inf"), float("-inf")):
        errors[name] = f"must be a finite number; got {raw!r}"
        return None
    return value


def raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise FormError(errors)
