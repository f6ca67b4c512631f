"""Each action the objective page offers: its form's fields read into the ledger command's
arguments, and the command run with the version the page showed."""

from __future__ import annotations

from typing import Any

from domain.objective import Objective
from web.adjustment_form import fault_field, proposal
from web.form_fields import ActionForm, Arguments, Form, number, raise_if, text
from workflows.actors import Actor
from workflows.ledger import OKRLedger

YES = ("yes", "true", "on", "1")


def _check_in(form: Form, objective: Objective) -> Arguments:
    errors: dict[str, str] = {}
    kr_id = text(form, "key_result_id")
    kr = objective.key_results.get(kr_id)
    if kr is None or kr.removed:
        errors["key_result_id"] = "choose one of the objective's key results"
    value = done = None
    if kr is not None and kr.kind == "milestone":
        done = text(form, "done").lower() in YES
    elif kr is not None:
        value = number(form, "value", errors)
    confidence = number(form, "confidence", errors)
    raise_if(errors)
    return {"key_result_id": kr_id, "value": value, "done": done, "confidence": confidence,
            "note": text(form, "note")}


def _scores(form: Form, objective: Objective, *, overriding: bool) -> list[dict[str, Any]]:
    """A row per active KR: its score (and for the reviewer, the override's reason); a
    reviewer's row left at the self-assessed score is no override."""
    errors: dict[str, str] = {}
    rows = []
    for kr in objective.active_key_results:
        score = number(form, f"score.{kr.id}", errors, required=not overriding)
        if score is None:
            if overriding and text(form, f"reason.{kr.id}"):
                errors[f"score.{kr.id}"] = "choose the score you give, or clear the reason"
            continue
        row = {"key_result_id": kr.id, "score": score}
        row.update({"reason": text(form, f"reason.{kr.id}")} if overriding
                   else {"note": text(form, f"note.{kr.id}")})
        rows.append(row)
    raise_if(errors)
    return rows


def _comment(form: Form, objective: Objective) -> Arguments:
    return {"comment": text(form, "comment")}


def _reason(form: Form, objective: Objective) -> Arguments:
    return {"reason": text(form, "reason")}


def _decision(form: Form, objective: Objective) -> Arguments:
    return {"adjustment_id": text(form, "adjustment_id") or objective.pending_adjustment_id or "",
            "comment": text(form, "comment")}


def _self_assessment(form: Form, objective: Objective) -> Arguments:
    return {"scores": _scores(form, objective, overriding=False), "reason": text(form, "reason")}


def _finalizing(form: Form, objective: Objective) -> Arguments:
    return {"overrides": _scores(form, objective, overriding=True),
            "comment": text(form, "comment")}


def _correction(form: Form, objective: Objective) -> Arguments:
    """Which check-in, and what it should have said: a value (or, for a milestone, done or
    not); confidence and note left blank stay as they were."""
    errors: dict[str, str] = {}
    if not text(form, "check_in_id"):
        errors["check_in_id"] = "choose the check-in to correct"
    done = {"yes": True, "no": False}.get(text(form, "done").lower())
    value = number(form, "value", errors, required=done is None)
    confidence = number(form, "confidence", errors, required=False)
    raise_if(errors)
    return {"check_in_id": text(form, "check_in_id"), "value": value, "done": done,
            "confidence": confidence, "note": text(form, "note") or None,
            "reason": text(form, "reason")}


def _hand_over(form: Form, objective: Objective) -> Arguments:
    return {"reviewer": text(form, "reviewer"), "reason": text(form, "reason")}


def _run_check_in(ledger: OKRLedger, actor: Actor, objective_id: str, version: int,
                  a: Arguments) -> Any:
    return ledger.check_in(actor, objective_id, a["key_result_id"], value=a["value"],
                           done=a["done"], confidence=a["confidence"], note=a["note"],
                           expected_version=version)


FORMS: dict[str, ActionForm] = {
    "check_in": ActionForm(_check_in, _run_check_in),
    "submit": ActionForm(_reason, lambda ledger, actor, oid, v, a: ledger.submit(
        actor, oid, v, reason=a["reason"])),
    "approve": ActionForm(_comment, lambda ledger, actor, oid, v, a: ledger.approve(
        actor, oid, a["comment"], v)),
    "request_changes": ActionForm(_comment, lambda ledger, actor, oid, v, a:
                                  ledger.request_changes(actor, oid, a["comment"], v)),
    "approve_adjustment": ActionForm(_decision, lambda ledger, actor, oid, v, a:
                                     ledger.approve_adjustment(actor, oid, a["adjustment_id"],
                                                               a["comment"], v)),
    "reject_adjustment": ActionForm(_decision, lambda ledger, actor, oid, v, a:
                                    ledger.reject_adjustment(actor, oid, a["adjustment_id"],
                                                             a["comment"], v)),
    "start_closing": ActionForm(_reason, lambda ledger, actor, oid, v, a: ledger.start_closing(
        actor, oid, v, reason=a["reason"])),
    "self_assess": ActionForm(_self_assessment, lambda ledger, actor, oid, v, a:
                              ledger.self_assess(actor, oid, a["scores"], v,
                                                 reason=a["reason"]), rows="scores"),
    "return_assessment": ActionForm(_comment, lambda ledger, actor, oid, v, a:
                                    ledger.return_assessment(actor, oid, a["comment"], v)),
    "finalize": ActionForm(_finalizing, lambda ledger, actor, oid, v, a: ledger.finalize(
        actor, oid, a["overrides"], v, comment=a["comment"]), rows="overrides"),
    "propose_adjustment": ActionForm(proposal, lambda ledger, actor, oid, v, a:
                                     ledger.propose_adjustment(actor, oid, a["reason"],
                                                               a["changes"], v),
                                     named=fault_field),
    "correct_check_in": ActionForm(_correction, lambda ledger, actor, oid, v, a:
                                   ledger.correct_check_in(
                                       actor, oid, a["check_in_id"], reason=a["reason"],
                                       value=a["value"], done=a["done"],
                                       confidence=a["confidence"], note=a["note"],
                                       expected_version=v)),
    "hand_over_review": ActionForm(_hand_over, lambda ledger, actor, oid, v, a:
                                   ledger.hand_over_review(actor, oid, a["reviewer"],
                                                           a["reason"], v)),
    "cancel": ActionForm(_reason, lambda ledger, actor, oid, v, a: ledger.cancel(
        actor, oid, a["reason"], v)),
}
"""The actions the page has a form for, by the workflow's name for them."""
