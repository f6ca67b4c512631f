"""The OKR domain: cycles, objectives with their key results, and the rules of the method.

Nothing here knows about HTTP, projections or the workflow engine; the workflow hands the
aggregates a `Step` that it has already authorised.
"""
