"""The method's limits, configurable per deployment (common guidance: a handful of objectives
per owner per cycle and a few KRs per objective)."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class MethodologyRules:
    min_key_results: int = 1
    max_key_results: int = 5
    max_objectives_per_owner: int = 5

    @classmethod
    def from_env(cls) -> MethodologyRules:
        """Read `OKR_MIN_KRS`, `OKR_MAX_KRS` and `OKR_MAX_OBJECTIVES_PER_OWNER`, else defaults."""
        defaults = cls()
        return cls(
            min_key_results=int(os.environ.get("OKR_MIN_KRS", defaults.min_key_results)),
            max_key_results=int(os.environ.get("OKR_MAX_KRS", defaults.max_key_results)),
            max_objectives_per_owner=int(
                os.environ.get("OKR_MAX_OBJECTIVES_PER_OWNER", defaults.max_objectives_per_owner)
            ),
        )
