"""Fixtures of the statistics and search tests."""

from tests.reports.dbfixtures import db, db_file

__all__ = ["db", "db_file"]
