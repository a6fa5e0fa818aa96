"""Every response gets a CSP nonce of its own, pages served from the reader cache included, and
the nonce in the header is the one in the page's script tags."""

import re
from http import HTTPStatus

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from claims.caching import cache_for_readers

renderings = []

PAGE = engines["django"].from_string(
    '<!doctype html><script nonce="{{ csp_nonce }}" src="/static/app.js"></script>'
    '<script nonce="{{ csp_nonce }}">start()</script><p>rendering {{ n }}</p>'
)


@cache_for_readers(timeout=60)
def page_with_scripts(request):
    renderings.append(1)
    return HttpResponse(PAGE.render({"n": len(renderings)}, request))


@cache_for_readers(timeout=60)
def page_without_scripts(request):
    renderings.append(1)
    return HttpResponse(f"<p>rendering {len(renderings)}</p>")


@cache_for_readers(timeout=60)
def page_with_its_own_policy(request):
    renderings.append(1)
    response = HttpResponse(PAGE.render({"n": len(renderings)}, request))
    response["Content-Security-Policy"] = f"script-src 'nonce-{request._csp_nonce}'"
    return response


urlpatterns = [
    *i18n_patterns(path("scripts/", page_with_scripts)),
    path("scripts/", page_with_scripts),
    path("plain/", page_without_scripts),
    path("own-policy/", page_with_its_own_policy),
]

pytestmark = pytest.mark.urls(__name__)


@pytest.fixture(autouse=True)
def _count():
    renderings.clear()


def header_nonce(response) -> str:
    found = re.findall(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    assert len(found) == 1, response["Content-Security-Policy"]
    return found[0]


def body_nonces(response) -> set[str]:
    return set(re.findall(r'<script nonce="([^"]+)"', response.content.decode()))


def test_a_cached_page_gets_a_fresh_nonce_each_time(client):
    responses = [client.get("/scripts/") for _ in range(3)]
    assert len(renderings) == 1  # rendered once, then served from the cache
    nonces = [header_nonce(response) for response in responses]
    assert len(set(nonces)) == 3
    for response, nonce in zip(responses, nonces, strict=True):
        assert response.status_code == HTTPStatus.OK
        assert body_nonces(response) == {nonce}
        assert b"rendering 1" in response.content


def test_htmx_fragments_from_the_cache_get_fresh_nonces_too(client):
    first = client.get("/scripts/", headers={"HX-Request": "true"})
    second = client.get("/scripts/", headers={"HX-Request": "true"})
    assert header_nonce(first) != header_nonce(second)
    assert body_nonces(second) == {header_nonce(second)}


def test_a_policy_the_view_set_itself_gets_the_fresh_nonce(client):
    first, second = client.get("/own-policy/"), client.get("/own-policy/")
    assert len(renderings) == 1
    assert header_nonce(first) != header_nonce(second)
    assert body_nonces(second) == {header_nonce(second)}


def test_a_page_without_scripts_is_served_from_the_cache_unchanged(client):
    first, second = client.get("/plain/"), client.get("/plain/")
    assert len(renderings) == 1
    assert first.content == second.content == b"<p>rendering 1</p>"
    assert "nonce-" not in second["Content-Security-Policy"]


def test_a_page_served_before_the_stack_gets_a_fresh_nonce_in_header_and_body(client):
    """Under a language prefix, a current page is served by ReaderPagesMiddleware, before the
    CSP middleware runs: its nonce is swapped in the stored header as in the body."""
    first = client.get("/en/scripts/")
    served = [client.get("/en/scripts/") for _ in range(2)]
    assert len(renderings) == 1
    assert [r["X-Cache"] for r in (first, *served)] == ["miss", "hit", "hit"]
    nonces = [header_nonce(response) for response in (first, *served)]
    assert len(set(nonces)) == 3
    for response, nonce in zip(served, nonces[1:], strict=True):
        assert body_nonces(response) == {nonce}
        assert response.content.replace(nonce.encode(), nonces[0].encode()) == first.content
