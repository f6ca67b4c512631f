"""The README's table of options, drawn from the `Settings` fields so the docs stay true.

Run `python -m workflows.settings_table` to print it; a test keeps the README in step. `okr
--help` shows each option's default the same way.
"""

from __future__ import annotations

from pathlib import Path

from workflows.settings import Settings, env_name

EMPTY = "empty"


def markdown_table() -> str:
    """The README's table of options: variable, default and meaning of every field."""
    rows = [f"| `{env_name(name)}` | {_quoted(shown_default(name))} | {field.description} |"
            for name, field in Settings.model_fields.items()]
    return "\n".join(["| variable | default | meaning |", "| --- | --- | --- |", *rows]) + "\n"


def shown_default(field: str) -> str:
    """A field's default as people write it: `./var`, `false`, `empty`."""
    value = Settings.model_fields[field].default
    if isinstance(value, Path) and not value.is_absolute():
        return f"./{value}"
    if isinstance(value, bool):
        return str(value).lower()
    return str(value) if value != "" else EMPTY


def _quoted(shown: str) -> str:
    return "—" if shown == EMPTY else f"`{shown}`"


if __name__ == "__main__":
    print(markdown_table(), end="")
