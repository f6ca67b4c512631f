"""`okr serve` and `okr worker` as the deployment runs them: separate processes on one store,
each logging to a file, found and stopped by their own process ids."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import httpx

from devtools.network import free_port, wait_for

OKR = str(Path(sys.executable).parent / "okr")
STARTUP_SECONDS = 60
TOOK_THE_LEASE = "took the background lease"


class OkrProcess:
    """One `okr` command in a process of its own, its output in `log_path`."""

    def __init__(self, args: list[str], env: dict[str, str], log_path: Path) -> None:
        self.log_path = log_path
        with open(log_path, "wb") as out:
            self.process = subprocess.Popen([OKR, *args], stdout=out, stderr=subprocess.STDOUT,
                                            env={**os.environ, **env, "PYTHONUNBUFFERED": "1"})

    def log(self) -> str:
        return self.log_path.read_text()

    def leads(self) -> bool:
        """Whether this process holds the background lease now (took it, never left it)."""
        text = self.log()
        return self.alive() and text.rfind(TOOK_THE_LEASE) > text.rfind("lost the background")

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """`kill -9`: no shutdown, no unlocking, connections dropped by the kernel."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


class Server(OkrProcess):
    """`okr serve` on a free loopback port."""

    def __init__(self, env: dict[str, str], log_path: Path, *extra: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        super().__init__(["serve", "--port", str(self.port), *extra], env, log_path)

    def wait_until_healthy(self) -> None:
        wait_for(self._healthy, STARTUP_SECONDS, f"okr serve on port {self.port}; log:\n"
                                                 f"{self.log_path}", interval=0.1)

    def _healthy(self) -> bool:
        assert self.alive(), self.log()
        try:
            return httpx.get(f"{self.base}/healthz", timeout=1).status_code == 200
        except httpx.TransportError:
            return False


def started(servers: list[Server]) -> list[Server]:
    """The servers, once every one answers (they start together, racing to make the tables)."""
    for server in servers:
        server.wait_until_healthy()
    return servers


def the_leader(processes: Sequence[OkrProcess], timeout: float = 30) -> OkrProcess:
    """The one process holding the background lease, once one does."""
    wait_for(lambda: sum(p.leads() for p in processes) == 1, timeout,
             "exactly one process to hold the background lease")
    (leader,) = [p for p in processes if p.leads()]
    return leader
