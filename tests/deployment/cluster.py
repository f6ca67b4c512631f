"""Driving several `okr serve` processes as a load balancer would: each command on the next
live process, each read on another one than the write it waits for."""

from __future__ import annotations

import itertools
import threading
from typing import Any

import httpx

from api.tokens import issue_token
from tests.deployment.processes import Server

SECRET = "a-secret-the-three-servers-share-0123456789"
PEOPLE = {"ada": "admin", "bob": "member", "rita": "member", "audrey": "auditor"}


class Unacknowledged(Exception):
    """The server went away before answering: the command may or may not have been stored."""


class Cluster:
    def __init__(self, servers: list[Server]) -> None:
        self.servers = servers
        self.headers = {name: {"Authorization": f"Bearer {issue_token(SECRET, name, role)}"}
                        for name, role in PEOPLE.items()}
        self._turn = itertools.count()
        self._lock = threading.Lock()

    def alive(self) -> list[Server]:
        return [server for server in self.servers if server.alive()]

    def next_server(self, other_than: Server | None = None) -> Server:
        with self._lock:
            candidates = [s for s in self.alive() if s is not other_than] or self.alive()
            return candidates[next(self._turn) % len(candidates)]

    def command(self, who: str, path: str, body: dict[str, Any] | None = None,
                on: Server | None = None) -> tuple[dict[str, Any], Server]:
        """POST on the next live server; its answer (with `position`) and the server."""
        server = on or self.next_server()
        try:
            response = httpx.post(f"{server.base}{path}", json=body, headers=self.headers[who],
                                  timeout=60)
        except httpx.TransportError as error:
            raise Unacknowledged(f"{server.base}{path}: {error}") from error
        assert response.status_code in (200, 201), (path, response.status_code, response.text)
        return response.json(), server

    def read(self, who: str, path: str, position: int, written_on: Server | None) -> Any:
        """GET with `min_position` on another live server than the one that wrote."""
        server = self.next_server(other_than=written_on)
        separator = "&" if "?" in path else "?"
        response = httpx.get(f"{server.base}{path}{separator}min_position={position}",
                             headers=self.headers[who], timeout=60)
        assert response.status_code == 200, (server.base, path, response.text)
        return response.json()

    def read_items(self, who: str, path: str, position: int,
                   written_on: Server | None) -> list[Any]:
        """Every item of a paged list, following each page's `next` cursor."""
        separator = "&" if "?" in path else "?"
        page = self.read(who, f"{path}{separator}limit=1000", position, written_on)
        items = list(page["items"])
        while page["next"]:
            page = self.read(who, f"{path}{separator}limit=1000&cursor={page['next']}",
                             position, written_on)
            items += page["items"]
        return items

    def feed(self) -> list[dict[str, Any]]:
        """Every published event of the log, read from a live server."""
        events: list[dict[str, Any]] = []
        after, server = 0, self.next_server()
        while True:
            page = httpx.get(f"{server.base}/v1/events?after={after}&limit=1000",
                             headers=self.headers["audrey"], timeout=60).json()
            events += page["events"]
            if page["next_after"] == after:
                return events
            after = page["next_after"]
