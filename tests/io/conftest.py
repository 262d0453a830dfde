"""Fixtures of the import/export tests (a migrated database per test)."""

from tests.reports.dbfixtures import db, db_file

__all__ = ["db", "db_file"]
