"""Field types shared by the request models: bounded text, finite numbers, ids.

Text and number limits are the domain's own (`domain/validation.py`), so a body the API
accepts is never refused later for its length or size.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer

from domain.validation import MAX_MAGNITUDE, TEXT_LENGTH, TITLE_LENGTH
from workflows.timestamps import rfc3339

# The API document states the domain's text rules (`domain.validation`) as patterns, so a
# client can know them; the domain still checks them, naming the field and the character
# found, which a pattern failure would not say. Lone surrogates, which the rules refuse too,
# cannot be written in UTF-8 JSON at all.
_CONTROLS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
NO_CONTROLS = f"^[^{_CONTROLS}]*$"
NOT_BLANK = f"^[^{_CONTROLS}]*[^\\s{_CONTROLS}][^{_CONTROLS}]*$"
Title = Annotated[str, Field(max_length=TITLE_LENGTH, json_schema_extra={"pattern": NOT_BLANK})]
"""A name or title: not blank."""
Label = Annotated[str, Field(max_length=TITLE_LENGTH, json_schema_extra={"pattern": NO_CONTROLS})]
"""Short text that may be empty (a unit)."""
Text = Annotated[str, Field(max_length=TEXT_LENGTH, json_schema_extra={"pattern": NO_CONTROLS})]
Stated = Annotated[str, Field(max_length=TEXT_LENGTH, json_schema_extra={"pattern": NOT_BLANK})]
"""Text the action requires: a reason or comment that is not blank."""
Id = Annotated[str, Field(max_length=100, description="An id returned by the API (a UUID).")]
Number = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=-MAX_MAGNITUDE,
                                le=MAX_MAGNITUDE)]
Weight = Annotated[float, Field(strict=True, allow_inf_nan=False, gt=0.0, le=1e6)]
Confidence = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=0.0, le=1.0, description=(
    "How likely the KR is met, from 0 to 1."))]
Score = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=0.0, le=1.0, description=(
    "From 0 to 1, as the cycle's scoring policy allows: under `grade` one of 0, 0.3, 0.7 or "
    "1; under `linear` a tenth."))]


Moment = Annotated[datetime, PlainSerializer(rfc3339, return_type=str),
                   Field(description="RFC 3339, UTC, to the microsecond: 2026-11-28T09:15:02.123456Z")]
"""A time in an answer, written as every time the API shows is."""

_NUMERIC = re.compile(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*")


def _written_out(what: str) -> BeforeValidator:
    """Pydantic would read a number as seconds (or days) since 1970; the API takes dates and
    times only written out, as it documents them."""
    def check(value: object) -> object:
        if isinstance(value, int | float) or (isinstance(value, str) and _NUMERIC.fullmatch(value)):
            raise ValueError(f"must be {what}, not a number")
        return value
    return BeforeValidator(check)


Day = Annotated[date, _written_out("an ISO date like 2026-03-31")]
Instant = Annotated[datetime, _written_out("an RFC 3339 time like 2026-03-31T12:00:00Z")]
"""A date or time a caller gives."""


class Body(BaseModel):
    """A request body: unknown fields are refused, so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid")

    def fields(self) -> dict[str, Any]:
        """Only what the caller sent, as JSON values, ready for the ledger."""
        return self.model_dump(mode="json", exclude_unset=True)


Why = Annotated[str, Field(max_length=TEXT_LENGTH, json_schema_extra={"pattern": NO_CONTROLS},
                           description=(
    "Why: optional, unless this deployment requires it for the action (`OKR_REASON_REQUIRED`)."))]


class Positioned(BaseModel):
    position: int = Field(description="The log position of the command's last event.")
