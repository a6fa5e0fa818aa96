"""Shared pytest configuration."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _db_access_for_all_tests(db):
    """Most tests touch the database; browser and pure tests opt out by not needing it."""


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached reader pages must not outlive their rows."""
    cache.clear()
    yield
    cache.clear()
