"""Driving a server with wrk (Debian's `wrk` package; `make bench` installs it when missing).

wrk is written in C with an event loop per thread, so it saturates a Python server from a
fraction of a core, where the earlier httpx load generator topped out near 130 requests/s and
measured itself. `load.lua` spreads POSTs over a list of requests and prints wrk's summary
as JSON.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCRIPT = Path(__file__).with_name("load.lua")
THREADS = 2
CONNECTIONS = 32
INSTALL_HINT = "install it with `make bench` (apt-get install wrk)"


@dataclass(frozen=True)
class Posted:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass(frozen=True)
class Load:
    """What one wrk run saw: completed requests, failures of any kind, latency in seconds."""

    requests: int
    seconds: float
    errors: int
    p50: float
    p99: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def wrk_path() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise RuntimeError(f"wrk is not installed; {INSTALL_HINT}")
    return found


def run_wrk(url: str, seconds: float, posts: list[Posted] | None = None) -> Load:
    """`seconds` of load on `url`: GETs, or the `posts` in turn when given."""
    with tempfile.TemporaryDirectory(prefix="okr-wrk-") as directory:
        args = [str(write_posts(posts, Path(directory)))] if posts else []
        done = subprocess.run(
            [wrk_path(), f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{max(1, round(seconds))}s",
             "--timeout", "30s", "-s", str(SCRIPT), url, *args],
            capture_output=True, text=True, timeout=seconds + 120, check=True,
            env={**os.environ, "WRK_THREADS": str(THREADS)})
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    errors = sum(summary[kind] for kind in ("connect", "read", "write", "status", "timeout"))
    return Load(summary["requests"], summary["duration_us"] / 1e6, errors,
                summary["p50_us"] / 1e6, summary["p99_us"] / 1e6)


def write_posts(posts: list[Posted], directory: Path) -> Path:
    """The posts as a Lua file returning {{path, headers, body}, ...}."""
    path = directory / "requests.lua"
    entries = (f"{{{lua(post.path)}, {{{headers(post.headers)}}}, {lua(json.dumps(post.body))}}}"
               for post in posts)
    path.write_text("return {\n" + ",\n".join(entries) + "\n}\n")
    return path


def headers(given: dict[str, str]) -> str:
    every = {"Content-Type": "application/json", **given}
    return ", ".join(f"[{lua(name)}] = {lua(value)}" for name, value in every.items())


def lua(text: str) -> str:
    """A Lua string literal (JSON's escapes are valid in Lua for this ASCII text)."""
    return json.dumps(text)
