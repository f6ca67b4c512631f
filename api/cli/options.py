"""Command-line options that stand for a `Settings` field, and the one `Settings` a command runs
with.

Such an option defaults to nothing, so a value left out falls to the field's environment
variable and then its default; `pydantic-settings` is the only reader of the environment, and
`--help` names both. A command's own flag beats the same flag given before the command's name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from workflows.settings import Settings, env_name, load_settings
from workflows.settings_table import shown_default


def setting(field: str, *flags: str) -> Any:
    """The option for `field`: the parameter carrying it must be named `field`."""
    described = Settings.model_fields[field].description
    shown = f"[env var: {env_name(field)}; default: {shown_default(field)}]"
    return typer.Option(*(flags or (f"--{field.replace('_', '-')}",)), show_default=False,
                        help=f"{described} {shown}")


DataDir = Annotated[Path | None, setting("data_dir")]
DatabaseUrl = Annotated[str | None, setting("database_url")]
KafkaBootstrap = Annotated[str | None, setting("kafka_bootstrap", "--bootstrap")]
KafkaTopic = Annotated[str | None, setting("kafka_topic", "--topic")]


def reading_settings(ctx: typer.Context) -> Settings:
    """The settings of a command that only reads the store: refused if there is none there,
    rather than made empty (a mistyped --data-dir)."""
    settings = settings_from(ctx)
    settings.require_store()
    return settings


def settings_from(ctx: typer.Context) -> Settings:
    """The settings the command line gave (the root's options first), then the environment's."""
    given: dict[str, object] = {}
    flags: dict[str, str] = {}
    for context in (ctx.find_root(), ctx):
        for param in context.command.params:
            value = context.params.get(param.name or "")
            if param.name in Settings.model_fields and value is not None:
                given[param.name], flags[param.name] = value, param.opts[0]
    return load_settings(given, flags)
