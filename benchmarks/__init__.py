"""Benchmarks for OKR Ledger: each row of issue 6 against a baseline measured in the same run.

Run `python -m benchmarks --help`; see benchmarks/README.md for what each row measures.
"""
