"""The README's workflow diagram is the one the code draws, so the docs stay true."""

from pathlib import Path

from workflows.diagram import objective_mermaid


def test_readme_shows_the_current_workflow_diagram():
    readme = Path(__file__).resolve().parents[2] / "README.md"
    assert objective_mermaid() in readme.read_text()
