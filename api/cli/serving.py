"""`okr serve`, `okr worker` and `okr token issue`: the HTTP API, the background parts on their
own, and the bearer tokens the API accepts."""

from __future__ import annotations

import os
import signal
import tempfile
import threading
from collections.abc import Callable
from typing import Annotated, Any

import typer

from api.cli.options import DatabaseUrl, DataDir, KafkaBootstrap, KafkaTopic, setting, settings_from
from api.logs import configure_logging, logging_config
from api.tokens import issue_token, load_secret
from workflows.actors import Role
from workflows.settings import Settings, as_environment

APP_FACTORY = "api.app:create_app"


def serve(ctx: typer.Context,
          host: Annotated[str | None, setting("host")] = None,
          port: Annotated[int | None, setting("port")] = None,
          demo: Annotated[bool | None, setting("demo", "--demo/--no-demo")] = None,
          workers: Annotated[int | None, setting("workers")] = None,
          background: Annotated[bool | None, setting("background",
                                                     "--background/--no-background")] = None,
          data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """Serve the HTTP API until stopped.

    `--workers N` runs N processes on the port. One process at a time (of these and of any
    other `okr serve` or `okr worker` on the same store) runs the background parts: the views'
    follower, and the relay when OKR_KAFKA_BOOTSTRAP is set. `--demo` loads a demo organisation
    into an empty ledger and prints a sign-in link per demo person and an admin token.
    """
    import uvicorn  # the server's imports take most of a second; no other command needs them

    from api.app import create_app
    from api.metrics import MULTIPROCESS_DIR
    from api.prepare import prepare_store

    settings = settings_from(ctx)
    configure_logging(settings)
    demo_loaded = prepare_store(settings)  # tables and demo once, before any worker starts
    if demo_loaded:
        print_demo_sign_in(settings)
    elif settings.demo:
        print("The store is not empty: the demo was not loaded and no token is printed; "
              "make one with `okr token issue`.\n")
    print(f"Web app: http://{settings.host}:{settings.port}/   "
          f"API docs: http://{settings.host}:{settings.port}/docs", flush=True)
    settings = settings.model_copy(update={"demo": False})
    options: dict[str, Any] = {"host": settings.host, "port": settings.port,
                               "log_config": logging_config(settings), "access_log": False}
    if settings.workers == 1:
        uvicorn.run(create_app(settings), **options)
        return
    os.environ.update(as_environment(settings))  # each worker builds its own app from these
    with tempfile.TemporaryDirectory(prefix="okr-metrics-") as counts:
        os.environ[MULTIPROCESS_DIR] = counts  # the workers' counters, summed when scraped
        uvicorn.run(APP_FACTORY, factory=True, workers=settings.workers, **options)


def print_demo_sign_in(settings: Settings) -> None:
    """One sign-in link per demo person (the token in the fragment, which browsers never send,
    so it reaches no server log), and the admin's token for the API docs' Authorize."""
    from api.demo import PEOPLE, ROLES, WAITING

    secret, ttl = load_secret(settings), settings.token_ttl_seconds
    print(f"Sign in to the web app (links valid {ttl // 3600} h):")
    for person in PEOPLE:
        role = ROLES[person.subject]
        link_token = issue_token(secret, person.subject, role, ttl)
        print(f"  {person.display_name} ({role}): "
              f"http://{settings.host}:{settings.port}/sign-in#token={link_token}")
    names = {person.subject: person.display_name for person in PEOPLE}
    print("Waiting in an inbox: " + "; ".join(f"{names[subject]} has {what}"
                                              for subject, what in WAITING.items()))
    token = issue_token(secret, "ada", "admin", ttl)
    print(f"\nAdmin token (ada, valid {ttl // 3600} h):\n{token}\n")


def worker(ctx: typer.Context, data_dir: DataDir = None, database_url: DatabaseUrl = None,
           kafka_bootstrap: KafkaBootstrap = None, kafka_topic: KafkaTopic = None,
           relay_shards: Annotated[int | None, setting("relay_shards", "--shards")] = None,
           lease_retry_seconds: Annotated[float | None, setting("lease_retry_seconds")] = None
           ) -> None:
    """Run only the background parts, until SIGINT or SIGTERM.

    For deployments that keep them apart from the API (`okr serve --no-background`): the views'
    follower, the sealer (signed checkpoints of the log), and the relay when
    OKR_KAFKA_BOOTSTRAP is set. Several workers may run; one at a time holds the lease, and
    another takes over when it dies. With OKR_METRICS_PORT set, the parts' metrics (positions,
    lags, okr_part_ok, okr_ready) are served there for Prometheus, as `okr serve` does.
    """
    from api.background import BackgroundWork, background_parts, relay_problem
    from api.background_metrics import background_metrics
    from integrity.service import IntegrityService
    from projections.service import ProjectionService
    from workflows.startup import opened

    settings = settings_from(ctx)
    configure_logging(settings)
    with opened(lambda: ProjectionService(settings.persistence_env()), "views") as views, \
            opened(lambda: IntegrityService(settings, views.ledger.recorder),
                   "integrity tables") as integrity:
        stop_waking = views.ledger.on_saved(integrity.background.notify)
        parts = background_parts(settings, views, integrity)
        work = BackgroundWork(settings, parts)
        try:
            with background_metrics(settings, views, integrity, relay_problem(parts)):
                run_until_signalled(work.start, work.stop)
        finally:
            stop_waking()


def run_until_signalled(start: Callable[[], None], stop: Callable[[], None]) -> None:
    stopping = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopping.set())
    start()
    try:
        stopping.wait()
    finally:
        stop()


def issue(ctx: typer.Context,
          subject: Annotated[str, typer.Option(help="the person's name")],
          role: Annotated[Role, typer.Option(help="what the person may do")],
          token_ttl_seconds: Annotated[int | None, setting("token_ttl_seconds", "--ttl")] = None,
          data_dir: DataDir = None) -> None:
    """Print a signed bearer token for a person and role.

    Signed with OKR_SECRET, else with the key `okr serve` keeps in the data directory; never
    with a new key, which no server would accept.
    """
    settings = settings_from(ctx)
    print(issue_token(load_secret(settings, create=False), subject, role.value,
                      settings.token_ttl_seconds))
