"""With a cache every process shares (Redis), reader versions are held there: a page served
from the cache needs no database, and a version moves there only once its change commits."""

import os
import uuid
from unittest import mock

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from claims.models import reader_versions
from claims.models.reader_versions import held_key, shared_cache, versions

from .test_cache_processes import redis_answers

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not redis_answers(), reason="no Redis at 127.0.0.1:6379"),
]


@pytest.fixture(autouse=True)
def shared():
    # A prefix of its own: suites running at once on one Redis must not share versions.
    prefix = f"test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    location = "redis://127.0.0.1:6379/8"
    backend = "factcheck.cache.RedisCache"  # what CACHE_URL=redis://… configures
    caches = {
        alias: {"BACKEND": backend, "LOCATION": location, "KEY_PREFIX": f"{prefix}-{alias}"}
        for alias in ("default", "fragments")
    }
    with override_settings(CACHES=caches):
        yield shared_cache()
        redis = shared_cache()._cache.get_client(write=True)
        for key in redis.scan_iter(f"*{prefix}*"):  # not FLUSHDB: another suite may be running
            redis.delete(key)


def test_held_versions_are_read_without_a_query(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reader_versions.bump(["claim:a"])
    scopes = ["site", "claim:a", "claim:never-changed"]
    first = versions(scopes)
    with CaptureQueriesContext(connection) as queries:
        again = versions(scopes)
    assert len(queries) == 0
    assert again == first
    assert set(again) == {"site", "claim:a"}  # a scope without a row is held as such


def test_a_version_moves_in_the_shared_cache_only_once_its_change_commits(
    django_capture_on_commit_callbacks,
):
    before = versions(["claim:a"]).get("claim:a")
    with django_capture_on_commit_callbacks(execute=False) as pending:
        reader_versions.bump(["claim:a"])
    assert versions(["claim:a"]).get("claim:a") == before  # not committed yet
    for callback in pending:
        callback()
    after = versions(["claim:a"])["claim:a"]
    assert after != before
    assert after == reader_versions.read(["claim:a"])["claim:a"]


def test_a_version_read_before_a_change_does_not_replace_the_newer_one(
    shared, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reader_versions.bump(["claim:a"])
    old = reader_versions.read(["claim:a"])["claim:a"]  # a reader read this...
    with django_capture_on_commit_callbacks(execute=True):
        reader_versions.bump(["claim:a"])
    shared.add(held_key("claim:a"), old, reader_versions.HELD_FOR)  # ...and adds it late
    assert versions(["claim:a"])["claim:a"] != old


def test_a_claim_page_from_the_cache_makes_no_query(client):
    from tests.factories import create_denied_chain

    url = create_denied_chain()["claim"].get_absolute_url()
    assert client.get(url)["X-Cache"] == "miss"
    client.get(url)  # its versions are held now
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert (response["X-Cache"], len(queries)) == ("hit", 0)


def test_the_redis_cache_makes_one_client_per_pool(shared):
    client = shared._cache.get_client(write=True)
    assert shared._cache.get_client(write=True) is client
    assert shared._cache.get_client() is client  # one server: reads use the same pool
    shared.set("one-client", 1)
    assert shared.get("one-client") == 1


def test_versions_read_from_the_database_are_held_in_one_round_trip(
    shared, django_capture_on_commit_callbacks
):
    """A search reads the versions of its 25 rows: those not held yet are read in one query
    and held in one round trip, not one `add` per scope."""
    rows = [f"claim-row:c{n}" for n in range(25)]
    with django_capture_on_commit_callbacks(execute=True):
        reader_versions.bump(rows[:5])
    read = reader_versions.read(rows)
    commands = []
    client = shared._cache.get_client(write=True)
    original = client.pipeline

    def pipeline(*args, **kwargs):
        commands.append("pipeline")
        return original(*args, **kwargs)

    with (
        mock.patch.object(client, "pipeline", pipeline),
        mock.patch.object(
            type(shared), "add", side_effect=AssertionError("one round trip per scope")
        ),
    ):
        assert versions(rows) == read
    assert commands == ["pipeline"]
    with CaptureQueriesContext(connection) as queries:
        assert versions(rows) == read  # every one held, those with no row too
    assert len(queries) == 0


def test_holding_many_versions_keeps_a_newer_one_held_meanwhile(shared):
    newer, older = (3, "newer"), (2, "older")
    shared.set(held_key("claim:a"), newer, reader_versions.HELD_FOR)
    shared.add_many(
        {held_key("claim:a"): older, held_key("claim:b"): older}, reader_versions.HELD_FOR
    )
    assert shared.get(held_key("claim:a")) == newer
    assert shared.get(held_key("claim:b")) == older
