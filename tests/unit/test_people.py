"""The people directory in the ledger: who may be named owner, reviewer or manager."""

from __future__ import annotations

import pytest

from domain.errors import NotFoundError, PermissionDeniedError, ValidationError
from tests.builders import draft, open_cycle
from tests.conftest import ADMIN, OWNER
from workflows.people_import import PersonRow


def test_a_person_is_registered_once_and_edits_that_change_nothing_record_nothing(ledger):
    ledger.register_person(ADMIN, subject="frank", display_name="Frank", manager="rita")
    with pytest.raises(ValidationError, match="already in the people directory"):
        ledger.register_person(ADMIN, subject="frank", display_name="Frank again")
    version, head = ledger.person("frank").version, ledger.recorder.max_notification_id()
    result = ledger.edit_person(ADMIN, "frank", {"display_name": "Frank", "manager": "rita"})
    assert result.position == head and ledger.person("frank").version == version
    with pytest.raises(PermissionDeniedError):
        ledger.register_person(OWNER, subject="gus", display_name="Gus")


def test_every_fault_of_a_new_person_is_listed_at_once(ledger):
    with pytest.raises(ValidationError) as refused:
        ledger.register_person(ADMIN, subject="gus", display_name=" ", email="gus at acme",
                               manager="nobody")
    assert [field for field, _ in refused.value.violations] == ["display_name", "email",
                                                                  "manager"]
    with pytest.raises(ValidationError, match="without spaces or '/'"):
        ledger.register_person(ADMIN, subject="a/b", display_name="Slash")


def test_the_chain_of_managers_never_loops(ledger):
    ledger.register_person(ADMIN, subject="frank", display_name="Frank", manager="bob")
    with pytest.raises(ValidationError, match="the chain of managers would loop"):
        ledger.edit_person(ADMIN, "bob", {"manager": "frank"})
    with pytest.raises(ValidationError, match="someone other than the person"):
        ledger.edit_person(ADMIN, "bob", {"manager": "bob"})


def test_owners_and_reviewers_must_be_known_and_active(ledger):
    cycle_id = open_cycle(ledger)
    with pytest.raises(ValidationError) as refused:
        draft(ledger, cycle_id, owner="zed", reviewer="yan")
    assert [field for field, _ in refused.value.violations] == ["owner", "reviewer"]
    objective_id = draft(ledger, cycle_id)
    ledger.edit_person(ADMIN, "sam", {"active": False})
    with pytest.raises(ValidationError, match="'sam' is no longer active"):
        ledger.edit_objective(ADMIN, objective_id, {"reviewer": "sam"})
    ledger.edit_person(ADMIN, "sam", {"active": True})
    assert ledger.edit_objective(ADMIN, objective_id, {"reviewer": "sam"}).subject.reviewer == "sam"


def test_an_import_adds_and_updates_managers_first_and_all_or_nothing(ledger):
    rows = [PersonRow("erin2", "Erin", manager="dana2", where="line 2"),
            PersonRow("dana2", "Dana", email="dana@acme.example", where="line 3"),
            PersonRow("bob", "Bob Builder", manager="dana2", where="line 4")]
    done = ledger.import_people(ADMIN, rows)
    assert (done.added, done.changed) == (["dana2", "erin2"], ["bob"])
    assert ledger.person("erin2").manager == "dana2"
    assert ledger.person("bob").display_name == "Bob Builder"
    again = ledger.import_people(ADMIN, rows)
    assert again.unchanged == ["dana2", "erin2", "bob"] and again.position == 0
    bad = [PersonRow("hal", "Hal", where="line 2"), PersonRow("ivy", "", where="line 3")]
    with pytest.raises(ValidationError, match="line 3: display_name"):
        ledger.import_people(ADMIN, bad)
    with pytest.raises(NotFoundError):
        ledger.person("hal")


def test_an_import_refuses_managers_that_loop_or_a_subject_given_twice(ledger):
    with pytest.raises(ValidationError, match="the managers loop"):
        ledger.import_people(ADMIN, [PersonRow("p1", "P", manager="p2"),
                                     PersonRow("p2", "Q", manager="p1")])
    with pytest.raises(ValidationError, match="'p3' is given twice"):
        ledger.import_people(ADMIN, [PersonRow("p3", "P"), PersonRow("p3", "Q")])
