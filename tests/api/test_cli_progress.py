"""Long commands show how far they got: a rich bar on a terminal, plain lines otherwise."""

from __future__ import annotations

import io

import pytest

from api.cli import main
from api.cli.progress import PlainLines, progress, run_with_progress
from api.demo import load_demo
from workflows.ledger import OKRLedger
from workflows.settings import Settings


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_progress_is_a_bar_that_ends_full():
    screen = Terminal()
    with progress("rebuilding", screen) as report:
        report(10, 43)
        report(43, 43)
    drawn = screen.getvalue()
    assert "\x1b[" in drawn and "rebuilding" in drawn and "43/43" in drawn


def test_elsewhere_progress_is_plain_lines_at_most_one_a_second_and_always_the_last():
    log = io.StringIO()
    report = PlainLines("rebuilding", log, every=3600)
    for done in (0, 10, 20, 43):
        report(done, 43)
    report(43, 43)
    assert log.getvalue().splitlines() == ["rebuilding: position 0 of 43",
                                           "rebuilding: position 43 of 43"]


def test_work_run_with_progress_returns_its_result_or_raises_its_error(capsys):
    assert run_with_progress("counting", lambda: 7, lambda: 3, 5) == 7
    assert capsys.readouterr().err.splitlines()[-1] == "counting: position 7 of 7"
    with pytest.raises(ZeroDivisionError):
        run_with_progress("failing", lambda: 1 // 0, lambda: 0, 5)


def test_a_rebuild_reports_reaching_the_end_of_the_log_on_stderr(tmp_path, capsys):
    with OKRLedger(Settings(data_dir=tmp_path).persistence_env()) as ledger:
        load_demo(ledger)
        last = ledger.recorder.max_notification_id()
    assert main(["projections", "rebuild", "audit", "--data-dir", str(tmp_path)]) == 0
    printed = capsys.readouterr()
    assert printed.out == f"rebuilt audit up to position {last}\n"
    assert printed.err.splitlines()[-1] == f"rebuilding audit: position {last} of {last}"
