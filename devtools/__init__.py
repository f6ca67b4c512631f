"""Helpers the tests and the benchmarks share: real services to run against.

Not part of the product (not installed, not in the import layers); importable from the
repository root, where both `pytest` and `python -m benchmarks` run.
"""
