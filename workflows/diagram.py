"""The objective workflow drawn as a Mermaid state diagram, from the same table it runs on.

Run `python -m workflows.diagram` to print it; the README embeds the output and a test keeps
the two in step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from transitions.extensions.diagrams import GraphMachine

if TYPE_CHECKING:  # declared in the library's type stubs only
    from transitions.extensions.diagrams_base import GraphProtocol

from workflows.objective_workflow import OBJECTIVE_WORKFLOW


class _Drawing:
    """A throwaway model: GraphMachine draws through a model, and ours has none."""

    get_graph: Callable[[], GraphProtocol]  # attached by GraphMachine


def objective_mermaid() -> str:
    drawing = _Drawing()
    rows = [{k: row[k] for k in ("trigger", "source", "dest")} for row in OBJECTIVE_WORKFLOW.table]
    GraphMachine(model=drawing, states=list(OBJECTIVE_WORKFLOW.machine.states), initial="draft",
                 transitions=rows, auto_transitions=False, graph_engine="mermaid",
                 title="Objective workflow")
    lines = (drawing.get_graph().draw(None) or "").splitlines()
    return "\n".join(line for line in lines if _keeps(line)).strip() + "\n"


def _keeps(line: str) -> bool:
    """Drop the styling lines, which only colour the 'current' state of the throwaway model."""
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith(("classDef", "Class "))


if __name__ == "__main__":
    print(objective_mermaid(), end="")
