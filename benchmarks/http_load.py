"""A load generator for row 2, run as a process of its own: `python -m benchmarks.http_load`.

Reads one JSON job on stdin (`base`, `concurrency`, `requests`: a list of [method, path,
headers, json body or null]) and sends every request once, `concurrency` at a time over as many
keep-alive connections (httpx with asyncio), then prints one JSON line: requests, errors (any
non-2xx or transport error, with the first few), seconds, and each request's latency.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any

import httpx


async def send_all(job: dict[str, Any]) -> dict[str, Any]:
    requests, latencies, errors = job["requests"], [], []
    limits = httpx.Limits(max_connections=job["concurrency"],
                          max_keepalive_connections=job["concurrency"])
    queue = iter(requests)

    async def worker(client: httpx.AsyncClient) -> None:
        for method, path, headers, body in queue:
            started = time.perf_counter()
            try:
                response = await client.request(method, path, headers=headers, json=body)
                if response.status_code >= 300:
                    errors.append(f"{response.status_code} {path}: {response.text[:200]}")
            except httpx.HTTPError as error:
                errors.append(f"{type(error).__name__} {path}: {error}")
            latencies.append(time.perf_counter() - started)

    async with httpx.AsyncClient(base_url=job["base"], limits=limits, timeout=30) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(job["concurrency"])))
        seconds = time.perf_counter() - started
    return {"requests": len(latencies), "errors": len(errors), "first_errors": errors[:5],
            "seconds": seconds, "latencies": latencies}


def main() -> int:
    print(json.dumps(asyncio.run(send_all(json.load(sys.stdin)))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
