"""What each `okr` subcommand does; the parser in `api.cli` only reads the arguments."""

from __future__ import annotations

import argparse
import importlib
import json
import time
from collections.abc import Callable

from api.export import render
from api.settings import Settings
from api.tokens import ROLES, issue_token, load_secret
from domain.errors import NotFoundError, ValidationError
from projections.service import ProjectionService
from stream.cloudevents import read_feed
from workflows.ledger import OKRLedger

__all__ = ["ROLES", "CommandError"]
FOLLOW_POLL_SECONDS = 0.5


class CommandError(Exception):
    """A command that cannot run as asked; printed without a traceback, exit status 2."""


def settings_from(args: argparse.Namespace, **overrides: object) -> Settings:
    return Settings.from_env(data_dir=args.data_dir, **overrides)


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from api.app import create_app

    settings = settings_from(args, demo=args.demo)
    if args.demo:
        token = issue_token(load_secret(settings), "ada", "admin", settings.token_ttl_seconds)
        print(f"Admin token (ada, valid {settings.token_ttl_seconds // 3600} h):\n{token}\n")
    print(f"API docs: http://{args.host}:{args.port}/docs", flush=True)
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="info")
    return 0


def token_issue(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    try:
        print(issue_token(load_secret(settings), args.subject, args.role, args.ttl))
    except ValidationError as error:
        raise CommandError(str(error)) from None
    return 0


def events_tail(args: argparse.Namespace) -> int:
    ledger = OKRLedger(settings_from(args).persistence_env())
    after = args.after
    try:
        while True:
            page, after = read_feed(ledger.recorder, ledger.mapper, after, 500)
            for event in page:
                print(json.dumps(event), flush=True)
            if not args.follow and not page:
                return 0
            if not page:
                time.sleep(FOLLOW_POLL_SECONDS)
    except KeyboardInterrupt:
        return 0
    finally:
        ledger.close()


def delegate(module_name: str, argv: list[str]) -> int:
    """Hand over to a Kafka entry point, which another part of the project provides."""
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError:
        raise CommandError(f"{module_name} is not installed in this build; the Kafka relay "
                           "and consumer ship with the Kafka part of OKR Ledger") from None
    entry: Callable[[list[str]], int | None] = module.main
    return entry(argv) or 0


def projections_rebuild(args: argparse.Namespace) -> int:
    with ProjectionService(settings_from(args).persistence_env()) as views:
        try:
            position = views.rebuild(args.name)
        except ValidationError as error:
            raise CommandError(str(error)) from None
        names = args.name or ", ".join(views.view_names())
    print(f"rebuilt {names} up to position {position}")
    return 0


def export(args: argparse.Namespace) -> int:
    with ProjectionService(settings_from(args).persistence_env()) as views:
        views.catch_up()
        try:
            data = (views.tree(args.cycle) if args.what == "tree"
                    else views.adjustments(cycle_id=args.cycle))
        except (NotFoundError, ValidationError) as error:
            raise CommandError(str(error)) from None
    print(render(args.what, data, args.format), end="")
    return 0
