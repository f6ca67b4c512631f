"""`okr serve` and `okr token issue`: the HTTP API and the bearer tokens it accepts."""

from __future__ import annotations

from typing import Annotated

import typer

from api.cli.options import DatabaseUrl, DataDir, setting, settings_from
from api.logs import configure_logging
from api.tokens import issue_token, load_secret
from workflows.actors import Role


def serve(ctx: typer.Context,
          host: Annotated[str | None, setting("host")] = None,
          port: Annotated[int | None, setting("port")] = None,
          demo: Annotated[bool | None, setting("demo", "--demo/--no-demo")] = None,
          data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """Serve the HTTP API until stopped.

    The views follow every command the API takes; `--demo` loads a demo organisation into an
    empty ledger and prints an admin token.
    """
    import uvicorn  # the server's imports take most of a second; no other command needs them

    from api.app import create_app

    settings = settings_from(ctx)
    configure_logging(settings)
    if settings.demo:
        token = issue_token(load_secret(settings), "ada", "admin", settings.token_ttl_seconds)
        print(f"Admin token (ada, valid {settings.token_ttl_seconds // 3600} h):\n{token}\n")
    print(f"API docs: http://{settings.host}:{settings.port}/docs", flush=True)
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port,
                log_config=None, access_log=False)  # logging as configured; our access log


def issue(ctx: typer.Context,
          subject: Annotated[str, typer.Option(help="the person's name")],
          role: Annotated[Role, typer.Option(help="what the person may do")],
          token_ttl_seconds: Annotated[int | None, setting("token_ttl_seconds", "--ttl")] = None,
          data_dir: DataDir = None) -> None:
    """Print a signed bearer token for a person and role."""
    settings = settings_from(ctx)
    print(issue_token(load_secret(settings), subject, role.value, settings.token_ttl_seconds))
