"""Field types shared by the request models: bounded text, finite numbers, ids."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Title = Annotated[str, Field(max_length=300)]
Text = Annotated[str, Field(max_length=10_000)]
Id = Annotated[str, Field(max_length=100, description="An id returned by the API (a UUID).")]
Number = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=-1e15, le=1e15)]
Ratio = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=0.0, le=1.0)]
Weight = Annotated[float, Field(strict=True, allow_inf_nan=False, gt=0.0, le=1e6)]


class Body(BaseModel):
    """A request body: unknown fields are refused, so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid")

    def fields(self) -> dict[str, object]:
        """Only what the caller sent, as JSON values, ready for the ledger."""
        return self.model_dump(mode="json", exclude_unset=True)


class Positioned(BaseModel):
    position: int = Field(description="The log position of the command's last event.")
