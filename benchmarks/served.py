"""Row 2's servers, each a process of its own on a free loopback port: `okr serve` over a
benchmark store, and the bare FastAPI app beside it, both with the same number of workers."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import httpx

from devtools.network import free_port

STARTUP_SECONDS = 60
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Served:
    base: str
    pid: int


def database_url(env: dict[str, str]) -> str:
    if env["PERSISTENCE_MODULE"] != "eventsourcing.postgres":
        return ""
    return (f"postgresql://{env['POSTGRES_USER']}@{env['POSTGRES_HOST']}:"
            f"{env['POSTGRES_PORT']}/{env['POSTGRES_DBNAME']}")


@contextmanager
def okr_serve(env: dict[str, str], secret: str, workers: int) -> Iterator[Served]:
    """`okr serve` over the store of `env`, until the block ends."""
    with data_dir(env) as directory:
        with process([str(BIN / "okr"), "serve", "--data-dir", str(directory),
                      "--workers", str(workers)], "--port",
                     {"OKR_SECRET": secret, "OKR_DATABASE_URL": database_url(env)}) as served:
            yield served


@contextmanager
def bare_app(workers: int) -> Iterator[Served]:
    with process([sys.executable, "-m", "uvicorn", "benchmarks.bare_app:app",
                  "--workers", str(workers)], "--port", {}) as served:
        yield served


@contextmanager
def data_dir(env: dict[str, str]) -> Iterator[Path]:
    """The SQLite store's own directory, or a temporary one (PostgreSQL keeps no files)."""
    if env.get("SQLITE_DBNAME"):
        yield Path(env["SQLITE_DBNAME"]).parent
        return
    with tempfile.TemporaryDirectory(prefix="okr-bench-serve-") as directory:
        yield Path(directory)


@contextmanager
def process(command: list[str], port_flag: str, env: dict[str, str]) -> Iterator[Served]:
    port = free_port()
    with tempfile.TemporaryFile() as log:
        child = subprocess.Popen([*command, port_flag, str(port)], stdout=log,
                                 stderr=subprocess.STDOUT, env={**os.environ, **env},
                                 cwd=Path(__file__).parents[1])
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_healthy(base, child, log)
            yield Served(base, child.pid)
        finally:
            child.terminate()
            child.wait(timeout=30)


def wait_until_healthy(base: str, child: subprocess.Popen[Any], log: IO[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if child.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"{base} exited: {log.read()[-800:]!r}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    raise RuntimeError(f"{base} did not answer /healthz within {STARTUP_SECONDS} s")
