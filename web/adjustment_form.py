"""The owner's "propose an adjustment" form read as the ledger's adjustment ops
(`domain.adjustment_ops`), and the ledger's faults read back as the form's fields.

The form shows the objective as it is: its title and description, its alignment, and per key
result its target (start and unit), title, challenge and weight, a box to remove it, and a
row for a new key result. A field left as it is proposes nothing; each one edited becomes
part of one change (`edit_objective`, `realign`, `retarget_key_result`, `edit_key_result`,
`remove_key_result`, `add_key_result`), so the reviewer sees exactly what was edited.

Form fields are named for what they hold: `objective.title`, `kr.<id>.target`, `new.title`;
the ledger names a fault by the change's index (`changes[2].target`), which
`fault_field` turns back into the form's name.
"""

from __future__ import annotations

import re
from typing import Any

from domain.key_result import KeyResult
from domain.objective import Objective
from domain.values import KeyResultKind
from web.form_fields import Arguments, Form, number, raise_if, text

OBJECTIVE_TEXT = ("title", "description")
RETARGETED = {"metric": ("start", "target", "unit"), "threshold": ("target", "unit"),
              "milestone": ()}
"""What the form offers to retarget, per kind (a milestone has no target to move)."""
EDITED_TEXT = ("title", "challenge")
CHANGE = re.compile(r"^changes\[(\d+)\](?:\.([A-Za-z_]+))?")


def proposal(form: Form, objective: Objective) -> Arguments:
    """The reason and the changes the form asks for; numbers that are no numbers are faults
    named by their field, before the ledger sees anything."""
    errors: dict[str, str] = {}
    changes: list[dict[str, Any]] = []
    prefixes: list[str] = []

    def add(change: dict[str, Any], prefix: str) -> None:
        changes.append(change)
        prefixes.append(prefix)

    edited = {name: text(form, f"objective.{name}") for name in OBJECTIVE_TEXT
              if f"objective.{name}" in form
              and text(form, f"objective.{name}") != getattr(objective, name).strip()}
    if edited:
        add({"op": "edit_objective", **edited}, "objective.")
    realigned = _realigned(form, objective)
    if realigned:
        add({"op": "realign", **realigned}, "objective.")
    for kr in objective.active_key_results:
        for change in _key_result_changes(form, kr, errors):
            add(change, f"kr.{kr.id}.")
    new = _new_key_result(form, errors)
    if new:
        add(new, "new.")
    raise_if(errors)
    return {"reason": text(form, "reason"), "changes": changes, "prefixes": prefixes}


def _realigned(form: Form, objective: Objective) -> dict[str, Any]:
    """Parent and supported objectives as chosen, where they differ from now (a multiple
    select's values arrive joined by commas: `web.pages.objective`)."""
    parent = text(form, "objective.parent_id") or None
    supports = [item.strip() for item in text(form, "objective.supports").split(",")
                if item.strip()]
    found: dict[str, Any] = {}
    if "objective.parent_id" in form and parent != objective.parent_id:
        found["parent_id"] = parent
    if "objective.supports" in form and sorted(supports) != sorted(objective.supports):
        found["supports"] = supports
    return found


def _key_result_changes(form: Form, kr: KeyResult,
                        errors: dict[str, str]) -> list[dict[str, Any]]:
    name = f"kr.{kr.id}."
    if text(form, name + "remove") in ("yes", "on"):
        return [{"op": "remove_key_result", "key_result_id": kr.id}]
    found = []
    retarget = {field: value for field in RETARGETED.get(kr.kind, ())
                if name + field in form
                and (value := _field(form, name + field, field, errors)) != getattr(kr, field)}
    if retarget:
        found.append({"op": "retarget_key_result", "key_result_id": kr.id, **retarget})
    edit: dict[str, Any] = {field: text(form, name + field) for field in EDITED_TEXT
            if name + field in form and text(form, name + field) != getattr(kr, field).strip()}
    weight = number(form, name + "weight", errors, required=False) \
        if name + "weight" in form else None
    if weight is not None and weight != kr.weight:
        edit["weight"] = weight
    if edit:
        found.append({"op": "edit_key_result", "key_result_id": kr.id, **edit})
    return found


def _field(form: Form, name: str, field: str, errors: dict[str, str]) -> Any:
    """A KR field as typed: the unit as text, start and target as numbers (None when blank)."""
    if field == "unit":
        return text(form, name)
    return number(form, name, errors, required=False)


def _new_key_result(form: Form, errors: dict[str, str]) -> dict[str, Any] | None:
    """The new key result's row, if it was given a title."""
    title = text(form, "new.title")
    if not title:
        return None
    kind = text(form, "new.kind") or KeyResultKind.METRIC.value
    found: dict[str, Any] = {"op": "add_key_result", "kind": kind, "title": title}
    for field in ("start", "target"):
        value = number(form, f"new.{field}", errors, required=False)
        if value is not None:
            found[field] = value
    if text(form, "new.unit"):
        found["unit"] = text(form, "new.unit")
    return found


def fault_field(name: str, arguments: Arguments) -> str:
    """`changes[2].target` (the ledger's name) as `kr.<id>.target` (the form's): the field of
    the change at that index (a fault of the change as a whole by its title); a fault of the
    whole list (`changes`) keeps its name."""
    found = CHANGE.match(name)
    prefixes = arguments.get("prefixes") or []
    if found is None or int(found[1]) >= len(prefixes):
        return name
    field = found[2] or "op"
    if field in ("key_result_id", "op"):  # the change as a whole: shown by its title
        field = "title"
    return prefixes[int(found[1])] + field
