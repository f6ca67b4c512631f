"""Request and response bodies: what the API accepts and returns, as pydantic models."""
