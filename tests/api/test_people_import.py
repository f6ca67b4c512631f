"""`okr people import`: a CSV file loaded into the directory as one command, all or nothing."""

from __future__ import annotations

from contextlib import nullcontext

import pytest

from api.cli import main
from api.demo import load_demo
from tests.stores import postgres_database
from workflows.ledger import OKRLedger
from workflows.settings import Settings

HEADER = "subject,display_name,email,manager,active\n"


def people_in(settings: Settings) -> dict[str, tuple[str, str | None, bool]]:
    ledger = OKRLedger(settings.persistence_env())
    try:
        return {person.subject: (person.display_name, person.manager, person.active)
                for person in ledger.people().items}
    finally:
        ledger.close()


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_file_adds_new_people_and_updates_known_ones(kind, tmp_path, capsys):
    with postgres_database() if kind == "postgres" else nullcontext("") as url:
        settings = Settings(data_dir=tmp_path, database_url=url)
        store = ["--data-dir", str(tmp_path)] + (["--database-url", url] if url else [])
        people = tmp_path / "people.csv"
        people.write_text(HEADER + "erin,Erin N,erin@acme.example,dana,\n"
                                   "dana,Dana R,,,yes\n")
        assert main(["people", "import", str(people), "--by", "hr-sync", *store]) == 0
        assert capsys.readouterr().out.strip() == "2 added, 0 changed, 0 unchanged"
        people.write_text(HEADER + "erin,Erin Novak,erin@acme.example,dana,false\n"
                                   "dana,Dana R,,,\n")
        assert main(["people", "import", str(people), "--by", "hr-sync", *store]) == 0
        assert capsys.readouterr().out.strip() == "0 added, 1 changed, 1 unchanged"
        assert people_in(settings) == {"dana": ("Dana R", None, True),
                                       "erin": ("Erin Novak", "dana", False)}


def test_a_file_with_a_bad_row_changes_nothing_and_names_the_line(tmp_path, capsys):
    people = tmp_path / "people.csv"
    people.write_text(HEADER + "fay,Fay,,,\n" + "gus,,gus@,nobody,\n")
    assert main(["people", "import", str(people), "--data-dir", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert "line 3: display_name: must not be empty" in error
    assert "line 3: email: must be an address" in error
    assert "Traceback" not in error
    assert people_in(Settings(data_dir=tmp_path)) == {}


def test_a_file_that_is_not_a_people_file_is_refused_naming_its_columns(tmp_path, capsys):
    people = tmp_path / "people.csv"
    people.write_text("name,boss\nfay,gus\n")
    assert main(["people", "import", str(people), "--data-dir", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert "needs a 'subject' column" in error and "'boss' is not a column" in error


def test_the_demo_brings_its_people(tmp_path):
    settings = Settings(data_dir=tmp_path)
    ledger = OKRLedger(settings.persistence_env())
    try:
        load_demo(ledger)
        assert ledger.person("erin").manager == "bob"
        assert [person.subject for person in ledger.people().items] == [
            "ada", "cheng", "dana", "bob", "erin"]
    finally:
        ledger.close()
