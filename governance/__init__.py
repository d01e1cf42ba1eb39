"""Governance: a package of apps, one per domain (bodies, consultations; elections and motions to come).

Sibling apps use each other only through their ``services`` and ``selectors``; every app here may use
``network`` and ``casm`` below it, never ``programs`` above it (import-linter contracts in pyproject.toml).
"""
