"""One router per resource; each route translates HTTP to one ledger call and back."""
