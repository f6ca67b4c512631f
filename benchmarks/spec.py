"""What a benchmark row is: its question, its baseline, its target, and what a run measured.

Every row compares a measured figure with a baseline taken in the same run on the same machine,
so the ratio survives a noisy or slower machine better than any absolute number would.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from benchmarks.sizes import Sizes
    from benchmarks.stores import Store

STORES = ("sqlite", "postgres")


@dataclass(frozen=True)
class Figure:
    """One absolute number with its unit, e.g. 812.3 ops/s or 4.1 ms."""

    value: float
    unit: str


@dataclass(frozen=True)
class Outcome:
    """What one row measured on one store; `extras` holds further figures such as p99, and
    the figure of every round, so a reader can see how noisy the run was."""

    measured: Figure
    baseline: Figure | None = None
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.baseline.value == 0:
            return None
        return self.measured.value / self.baseline.value

    def figure(self, name: str) -> float | None:
        if name == "ratio":
            return self.ratio
        if name == "measured":
            return self.measured.value
        value = self.extras.get(name)
        return value if isinstance(value, int | float) else None


@dataclass(frozen=True)
class Target:
    """A bound on one figure of an outcome: `ratio`, `measured`, or a name in `extras`."""

    figure: str
    op: str
    value: float
    unit: str = "x"

    def met(self, outcome: Outcome) -> bool:
        actual = outcome.figure(self.figure)
        if actual is None:
            return False
        return actual >= self.value if self.op == ">=" else actual <= self.value

    def __str__(self) -> str:
        name = "" if self.figure in ("ratio", "measured") else f"{self.figure} "
        return f"{name}{self.op} {self.value:g}{self.unit if self.unit == 'x' else ' ' + self.unit}"


RowRun = Callable[["Store", "Sizes"], Outcome]


@dataclass(frozen=True)
class Row:
    """One line of the issue's table; `run` is None until someone measures it."""

    number: int
    what: str
    baseline: str
    targets: tuple[Target, ...]
    run: RowRun | None = None
    stores: tuple[str, ...] = STORES
    note: str = ""
    shown: tuple[str, ...] = ()
    """Names in `extras` printed under the table, beside the result (a ceiling, a bound)."""
