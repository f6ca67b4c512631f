"""The other ways to run many processes on one store (beside test_three_servers'
PostgreSQL cluster): `okr serve --workers N` on SQLite and on PostgreSQL, and the API apart
from `okr worker`s on SQLite."""

from __future__ import annotations

from contextlib import nullcontext

import httpx
import pytest

from devtools.network import wait_for
from tests.deployment.cluster import SECRET, Cluster
from tests.deployment.processes import TOOK_THE_LEASE, OkrProcess, Server, started, the_leader
from tests.stores import postgres_database

TAKEOVER_SECONDS = 10


def drafted_and_read(cluster: Cluster, server: Server) -> None:
    """A command on `server`, then a read of the views waiting for it on the same port."""
    cycle, _ = cluster.command("ada", "/v1/cycles", {"name": "2026-Q4", "starts_on": "2026-10-01",
                                                     "ends_on": "2026-12-31"}, on=server)
    tree = httpx.get(f"{server.base}/v1/cycles/{cycle['id']}/tree",
                     params={"min_position": cycle["position"]},
                     headers=cluster.headers["ada"], timeout=30)
    assert tree.status_code == 200, tree.text
    assert tree.json() == []


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_serve_with_two_workers_runs_the_background_parts_in_one_of_them(kind, tmp_path):
    with postgres_database() if kind == "postgres" else nullcontext("") as url:
        env = {"OKR_DATA_DIR": str(tmp_path), "OKR_DATABASE_URL": url, "OKR_SECRET": SECRET}
        (server,) = started([Server(env, tmp_path / "serve.log", "--workers", "2")])
        try:
            wait_for(lambda: server.log().count("Application startup complete") == 2, 60,
                     "both worker processes to start")
            for _ in range(4):  # each on a new connection, which either process may accept
                drafted_and_read(Cluster([server]), server)
            assert server.log().count(TOOK_THE_LEASE) == 1
            if url:  # the store is PostgreSQL's, no SQLite file beside it
                assert not list(tmp_path.glob("*.sqlite3"))
        finally:
            server.stop()


def test_the_api_without_background_parts_reads_views_a_worker_keeps(tmp_path):
    env = {"OKR_DATA_DIR": str(tmp_path), "OKR_SECRET": SECRET, "OKR_LEASE_RETRY_SECONDS": "0.2"}
    (server,) = started([Server(env, tmp_path / "serve.log", "--no-background")])
    workers = [OkrProcess(["worker"], env, tmp_path / f"worker-{n}.log") for n in range(2)]
    try:
        cluster = Cluster([server])
        leader = the_leader(workers)
        drafted_and_read(cluster, server)
        leader.kill()
        (survivor,) = [worker for worker in workers if worker is not leader]
        wait_for(survivor.leads, TAKEOVER_SECONDS, "the other worker to take over")
        drafted_and_read(cluster, server)
        assert TOOK_THE_LEASE not in server.log()
    finally:
        for process in (server, *workers):
            process.stop()
