"""Whole commands in the log: the last position at or before a given one where no command is
half written.

A command's events sit next to each other in the log and share its id (`domain.commands`), so a
read at a log position that falls inside a command (a draft's first event, before its key
results) would show a state no command produced. Time-travel reads by position resolve to the
boundary before such a command: the command shows once its last event is in the log. Events
recorded before commands had ids are each a command of their own.
"""

from __future__ import annotations

from collections.abc import Sequence

from eventsourcing.persistence import MapperDeserialisationError, Notification
from eventsourcing.utils import TopicError

from workflows.event_metadata import metadata_of
from workflows.ledger_base import LedgerBase

WINDOW = 64
"""How many log entries are read at a time when walking back to a command's start."""


class CommandBoundaries(LedgerBase):
    def whole_command_position(self, position: int) -> int:
        """`position`, or the position just before the command it falls inside of (0 when the
        log holds no whole command up to it)."""
        if position <= 0:
            return 0
        ahead = self.recorder.select_notifications(start=position + 1, limit=1)
        upto = self._notifications_back(position)
        if not upto:
            return 0
        current = self._command_of(upto[-1])
        if not ahead or current is None or self._command_of(ahead[0]) != current:
            return position
        return self._start_of(current, position)

    def command_end_position(self, position: int) -> int:
        """The position of the last event of the command `position` falls in: where a read
        that includes the event at `position` (as a read by moment does) stands."""
        if position <= 0:
            return 0
        here = self.recorder.select_notifications(start=position, limit=1, stop=position)
        command_id = self._command_of(here[0]) if here else None
        end = position
        while command_id is not None:
            ahead = self.recorder.select_notifications(start=end + 1, limit=WINDOW)
            for notification in ahead:
                if self._command_of(notification) != command_id:
                    return end
                end = notification.id
            if len(ahead) < WINDOW:
                break
        return end

    def _start_of(self, command_id: str, position: int) -> int:
        """The position before the first event of `command_id`, which runs up to `position`."""
        stop = position
        while stop > 0:
            window = self._notifications_back(stop)
            for notification in reversed(window):
                if self._command_of(notification) != command_id:
                    return notification.id
            if not window:
                break
            stop = window[0].id - 1
        return 0

    def _notifications_back(self, stop: int) -> Sequence[Notification]:
        return self.recorder.select_notifications(start=max(1, stop - WINDOW + 1), limit=WINDOW,
                                                  stop=stop)

    def _command_of(self, notification: Notification) -> str | None:
        """The command id the event recorded; none for an event that cannot be read (a
        poison event in the log is a command of its own: the views dead-letter it)."""
        try:
            event = self.mapper.to_domain_event(notification)
        except (MapperDeserialisationError, TopicError):
            return None
        return metadata_of(event).get("command_id")
