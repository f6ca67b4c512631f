"""Field types shared by the request models: bounded text, finite numbers, ids.

Text and number limits are the domain's own (`domain/validation.py`), so a body the API
accepts is never refused later for its length or size.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from domain.validation import MAX_MAGNITUDE, TEXT_LENGTH, TITLE_LENGTH

Title = Annotated[str, Field(max_length=TITLE_LENGTH)]
Text = Annotated[str, Field(max_length=TEXT_LENGTH)]
Id = Annotated[str, Field(max_length=100, description="An id returned by the API (a UUID).")]
Number = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=-MAX_MAGNITUDE,
                                le=MAX_MAGNITUDE)]
Weight = Annotated[float, Field(strict=True, allow_inf_nan=False, gt=0.0, le=1e6)]


class Body(BaseModel):
    """A request body: unknown fields are refused, so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid")

    def fields(self) -> dict[str, Any]:
        """Only what the caller sent, as JSON values, ready for the ledger."""
        return self.model_dump(mode="json", exclude_unset=True)


Why = Annotated[str, Field(max_length=TEXT_LENGTH, description=(
    "Why: optional, unless this deployment requires it for the action (`OKR_REASON_REQUIRED`)."))]


class Positioned(BaseModel):
    position: int = Field(description="The log position of the command's last event.")
