"""Shared pytest configuration."""

import pytest


@pytest.fixture(autouse=True)
def _db_access_for_all_tests(db):
    """Most tests touch the database; browser and pure tests opt out by not needing it."""
