"""`OKRLedger`: the one application service every caller goes through (API, CLI, tests).

It is an eventsourcing Application assembled from small parts, each a file of its own and
each standing on `LedgerBase` alone: cycles, drafting, review and adjustments, closing, time
travel, and the people directory.
"""

from __future__ import annotations

from workflows.check_in_corrections import CheckInCorrections
from workflows.closing_commands import ClosingCommands
from workflows.command_boundaries import CommandBoundaries
from workflows.cycle_commands import CycleCommands
from workflows.drafting_commands import DraftingCommands
from workflows.fault_acknowledging import FaultAcknowledging
from workflows.people_commands import PeopleCommands
from workflows.people_import import PeopleImport
from workflows.review_commands import ReviewCommands
from workflows.time_travel import TimeTravel


class OKRLedger(CycleCommands, DraftingCommands, ReviewCommands, ClosingCommands, TimeTravel,
                PeopleCommands, PeopleImport, CommandBoundaries,
                CheckInCorrections, FaultAcknowledging):
    """Commands and queries over cycles, objectives and people, persisted as events."""
