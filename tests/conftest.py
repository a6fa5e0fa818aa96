"""Shared pytest configuration."""

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.utils import translation


def pytest_configure(config):
    """The suite reads pages in English: the site's default interface language is English
    here (a Ukrainian newsroom's deployment defaults to uk). Ukrainian pages are asked for by
    their /uk/ address (tests/test_i18n.py)."""
    settings.LANGUAGE_CODE = "en"
    # Tests read a list right after a change: every page current on the next request
    # (tests/test_caching.py checks the lists' grace period on its own).
    settings.READER_LIST_MAX_AGE = 0
    settings.READER_COUNTS_MAX_AGE = 0


@pytest.fixture(autouse=True)
def _db_access_for_all_tests(db):
    """Most tests touch the database; browser and pure tests opt out by not needing it."""


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default interface language: a request for a /uk/ page leaves
    Ukrainian active in the thread, and the next test run there would read its strings so."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with empty caches: cached reader pages and the pieces they share
    (claims/fragments.py) must not outlive their rows."""
    cache.clear()
    caches["fragments"].clear()
    yield
    cache.clear()
    caches["fragments"].clear()


@pytest.fixture(autouse=True)
def _fresh_vector_index(settings, tmp_path):
    """Each test's claim vectors start from its own database: no process copy of the index
    (ids are reused once a test's transaction rolls back) and no index file."""
    from claims import vector_index

    settings.CLAIM_INDEX_DIR = tmp_path / "claim-index"
    vector_index.forget()
    yield
    vector_index.forget()
