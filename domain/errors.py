"""Named errors, so every refusal says why and what is allowed instead.

The API maps each class to one HTTP status; nothing here knows HTTP.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


class LedgerError(Exception):
    """Base of every refusal the ledger raises on purpose."""


class ValidationError(LedgerError):
    """Input breaks a rule; `violations` lists every fault at once, as `(field, message)`."""

    def __init__(self, violations: Iterable[tuple[str, str]]):
        self.violations: list[tuple[str, str]] = list(violations)
        super().__init__("; ".join(f"{field}: {msg}" for field, msg in self.violations))


class MethodologyError(ValidationError):
    """The OKR is well-formed but breaks the method's rules (KR counts, targets, owner load)."""


class TransitionNotAllowedError(LedgerError):
    """The workflow does not allow this action now, for this person."""

    def __init__(self, action: str, state: str, allowed_actions: Sequence[str], why: str = ""):
        self.action = action
        self.state = state
        self.allowed_actions = list(allowed_actions)
        allowed = ", ".join(self.allowed_actions) or "none"
        reason = why or f"'{action}' is not allowed in state '{state}'"
        super().__init__(f"{reason}; allowed now: {allowed}")


class PermissionDeniedError(LedgerError):
    """The person is known but may not act here (not owner, reviewer or admin)."""


class NotFoundError(LedgerError):
    """An id names nothing the ledger knows."""

    def __init__(self, kind: str, identifier: object):
        self.kind = kind
        self.identifier = str(identifier)
        super().__init__(f"{kind} {identifier} not found")


class ConcurrencyConflictError(LedgerError):
    """The caller stated a version that is no longer current."""

    def __init__(self, expected_version: int, current_version: int):
        self.expected_version = expected_version
        self.current_version = current_version
        super().__init__(
            f"expected version {expected_version}, but the current version is {current_version}"
        )


class BusyError(LedgerError):
    """Too many writers raced for one aggregate; nothing was written, the caller may retry."""


class WritesRefusedError(LedgerError):
    """The server refuses every write: its tamper-evident log has a fault no admin has
    acknowledged yet. Reads go on."""


class DamagedHistoryError(LedgerError):
    """An aggregate's stored events do not follow on from one another: one was deleted, or
    changed past reading, outside the ledger. No state is given for it, old or new, and nothing
    is written to it: either would present a history the ledger did not record."""

    def __init__(self, aggregate_id: object, version: int, fault: str, kind: str = "aggregate"):
        self.aggregate_id = str(aggregate_id)
        self.version = version
        self.fault = fault
        self.kind = kind
        super().__init__(f"{kind} {aggregate_id}: its stored history is damaged: "
                         f"version {version} {fault}; an admin can find every fault with "
                         "`okr audit verify`")

    def of(self, kind: str, aggregate_id: object) -> DamagedHistoryError:
        """The same fault, naming the aggregate and what kind of thing it is."""
        return DamagedHistoryError(aggregate_id, self.version, self.fault, kind)
