"""Deterministic, realistic demo data that passes the same rules as hand-entered data."""
