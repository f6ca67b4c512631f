"""What a running API needs to know: where the events live, the token secret, time limits.

Read once from the environment (or the CLI's flags) and handed to `create_app`, so nothing
reads the environment behind the app's back.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from workflows.settings import default_data_dir, persistence_env


@dataclass(frozen=True)
class Settings:
    data_dir: Path = field(default_factory=default_data_dir)
    database_url: str = ""
    secret: str = ""
    token_ttl_seconds: int = 8 * 3600
    wait_timeout: float = 5.0
    stream_poll_seconds: float = 0.5
    stale_days: int = 14
    demo: bool = False

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Settings from OKR_DATA_DIR, OKR_DATABASE_URL and OKR_SECRET, then `overrides`."""
        values: dict[str, object] = {
            "data_dir": default_data_dir(),
            "database_url": os.environ.get("OKR_DATABASE_URL", ""),
            "secret": os.environ.get("OKR_SECRET", ""),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        values["data_dir"] = Path(str(values["data_dir"]))
        return cls(**values)  # type: ignore[arg-type]

    def persistence_env(self) -> dict[str, str]:
        """The eventsourcing environment shared by the ledger and the projections."""
        return persistence_env(data_dir=self.data_dir, database_url=self.database_url)
