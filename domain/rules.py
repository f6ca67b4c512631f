"""The method's limits, configurable per deployment (common guidance: a handful of objectives
per owner per cycle and a few KRs per objective), and the actions the deployment wants a reason
for. The deployment's `Settings` builds them."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class MethodologyRules:
    min_key_results: int = 1
    max_key_results: int = 5
    max_objectives_per_owner: int = 5
    reasons_required: frozenset[str] = field(default_factory=frozenset)
    """Actions (`cancel`, `request_changes`, ...) refused unless their reason or comment says
    why; every other action's reason stays optional."""
    require_known_people: bool = True
    """Owners and reviewers must be known, active people in the directory."""
