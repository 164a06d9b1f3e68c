"""The worker helpers live in tests/worker.py (its fixtures come from tests/conftest.py);
the names are re-exported here for the tests that import them from this module."""

from tests.worker import ROOT, Worker, database_url_for, redis_url_with_db, wait_until

__all__ = ["ROOT", "Worker", "database_url_for", "redis_url_with_db", "wait_until"]
