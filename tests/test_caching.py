"""Reader-page caching: anonymous readers share cached pages; editors' changes invalidate them."""

from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from claims.caching import cache_for_readers, generation
from claims.models import Rating

from .factories import create_carriage, create_reviewer, create_verdict

calls = []


@cache_for_readers(timeout=60)
def page(request):
    calls.append(request.get_full_path())
    response = HttpResponse(f"render {len(calls)}")
    if request.GET.get("fail"):
        response.status_code = HTTPStatus.NOT_FOUND
    return response


@pytest.fixture(autouse=True)
def _fresh():
    cache.clear()
    calls.clear()


def get(path: str, **cookies):
    request = RequestFactory().get(path)
    request.COOKIES.update(cookies)
    return page(request)


def test_anonymous_readers_share_one_rendering_per_url():
    assert get("/claims/").content == b"render 1"
    assert get("/claims/").content == b"render 1"
    assert get("/claims/?page=2").content == b"render 2"
    assert len(calls) == 2


def test_htmx_fragments_are_cached_apart_from_whole_pages():
    get("/claims/")
    request = RequestFactory().get("/claims/", headers={"HX-Request": "true"})
    assert page(request).content == b"render 2"


def test_editors_are_never_served_from_the_cache():
    get("/claims/")
    assert get("/claims/", sessionid="editor-session").content == b"render 2"
    assert get("/claims/", sessionid="editor-session").content == b"render 3"


def test_errors_are_not_cached():
    get("/claims/?fail=1")
    get("/claims/?fail=1")
    assert len(calls) == 2


def test_publishing_a_verdict_invalidates_cached_pages(django_capture_on_commit_callbacks):
    get("/claims/")
    before = generation()
    verdict = create_verdict(rating=Rating.FALSE)
    create_carriage(claim=verdict.claim)
    with django_capture_on_commit_callbacks(execute=True):
        verdict.submit(by=verdict.author)
        verdict.publish(by=create_reviewer())
    assert generation() > before
    assert get("/claims/").content == b"render 2"


def test_corrections_and_withdrawals_invalidate_too(django_capture_on_commit_callbacks):
    verdict = create_verdict(rating=Rating.FALSE)
    create_carriage(claim=verdict.claim)
    verdict.submit(by=verdict.author)
    verdict.publish(by=create_reviewer())
    from claims.models import writing

    def correct_and_approve():
        verdict.correct(by=verdict.author, text="A date was wrong.")
        writing.approve(verdict.claim, by=verdict.reviewer)

    for action in (
        correct_and_approve,
        lambda: verdict.withdraw(by=verdict.reviewer, reason="New evidence."),
    ):
        before = generation()
        with django_capture_on_commit_callbacks(execute=True):
            action()
        assert generation() > before


def test_feeds_answer_conditional_get_with_304(client):
    from io import StringIO

    from django.core.management import call_command

    call_command("seed", stdout=StringIO())
    first = client.get("/feeds/denied.rss")
    assert first.status_code == HTTPStatus.OK
    assert first["ETag"]
    assert first["Last-Modified"]
    by_etag = client.get("/feeds/denied.rss", headers={"If-None-Match": first["ETag"]})
    assert by_etag.status_code == HTTPStatus.NOT_MODIFIED
    by_date = client.get("/feeds/denied.rss", headers={"If-Modified-Since": first["Last-Modified"]})
    assert by_date.status_code == HTTPStatus.NOT_MODIFIED


def test_reader_pages_are_served_from_cache_until_content_changes(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from io import StringIO

    from django.core.management import call_command

    from claims.models import Claim, writing

    from .factories import create_editor, create_reviewer

    call_command("seed", stdout=StringIO())
    claim = Claim.objects.get(slug="umerov-refused-to-return-to-ukraine")
    for url in ("/", "/claims/", claim.get_absolute_url(), "/feeds/denied.rss"):
        assert client.get(url).status_code == HTTPStatus.OK
        with django_assert_num_queries(0):
            assert client.get(url).status_code == HTTPStatus.OK

    # An editor's change waits for review: readers keep the cached, approved page.
    new_text = "Umerov refused to come back to Ukraine"
    with django_capture_on_commit_callbacks(execute=True):
        writing.save_edit(claim, by=create_editor(), version=1, values={"text": new_text})
    assert new_text not in client.get("/claims/").content.decode()
    # Its approval drops the cached copies.
    with django_capture_on_commit_callbacks(execute=True):
        writing.approve(claim, by=create_reviewer())
    assert new_text in client.get("/claims/").content.decode()


def test_signed_in_editors_always_see_fresh_pages(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .factories import create_editor

    client.force_login(create_editor())
    client.get("/claims/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/claims/")
    assert response.status_code == HTTPStatus.OK
    assert len(queries) > 0, "an editor's page is rendered, not taken from the cache"
    assert 'hx-headers=\'{"x-csrftoken"' in response.content.decode()


def test_reader_responses_are_sent_in_one_chunk(client):
    """A feed is written in many small pieces; sent as such they stall on TCP acknowledgements."""
    for _ in range(2):  # a miss, then a hit
        response = client.get(reverse("claims:denied_rss"))
        assert response.status_code == HTTPStatus.OK
        assert len(response._container) == 1
