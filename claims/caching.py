"""
Page and feed caching for anonymous readers, invalidated whenever published content changes.

Readers without a session share one cached copy per URL (and per htmx fragment). Anything that
changes what readers can see (approving a claim's pending work, a verdict's workflow, editing
an actor, outlet or tag: see models/writing.py) calls `content_changed()`, which acts once the
transaction commits: it moves the cache's content generation on, so every page cached before
is ignored from then on. Editors (who always have a session cookie) are never served from or
written to the cache.

A cached page is its body and headers without the Content-Security-Policy, which the CSP
middleware adds to every response, cached or not. A page whose body used the request's CSP
nonce is stored with that nonce noted, and each reader served from the cache gets the body with
a fresh nonce of their own in its place (a nonce that repeats is no nonce). The swap costs
5-20 µs, a hit stays 1.0-1.1x a plain one; not caching such pages would cost the whole
rendering, 77-141x a hit (bench/csp_nonce.py).
"""

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.utils.csp import CSP

GENERATION_KEY = "reader-pages:generation"
DEFAULT_TIMEOUT = 300


def generation() -> int:
    return cache.get_or_set(GENERATION_KEY, 1, timeout=None)


def content_changed() -> None:
    """Drop every cached reader page, after the current transaction commits."""

    def bump() -> None:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # evicted or never set: any new value invalidates
            cache.set(GENERATION_KEY, generation() + 1, timeout=None)

    transaction.on_commit(bump)


def is_anonymous_read(request: HttpRequest) -> bool:
    return request.method in {"GET", "HEAD"} and settings.SESSION_COOKIE_NAME not in request.COOKIES


def cache_for_readers(timeout: int = DEFAULT_TIMEOUT) -> Callable:
    """Cache a view's successful responses for anonymous readers (see the module docstring)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not is_anonymous_read(request):
                return view(request, *args, **kwargs)
            fragment = request.headers.get("HX-Request", "") + request.headers.get("HX-Target", "")
            path = hashlib.sha256(f"{request.get_full_path()}|{fragment}".encode()).hexdigest()
            key = f"reader-pages:{generation()}:{path}"
            response = cache.get(key)
            if response is not None:
                return with_fresh_nonce(response, request)
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response.render()
            if not response.streaming:
                # One chunk: a feed is written in hundreds of small pieces, and a WSGI server
                # sends each as its own packet (at 1M claims under load, feeds ran at 8% of the
                # floor, stalled on TCP acknowledgements, instead of 100%+).
                response.content = response.content
            if response.status_code == 200 and not response.streaming and not response.cookies:
                nonce = get_nonce(request)
                response.csp_nonce = str(nonce) if nonce else None  # only if the page used it
                cache.set(key, response, timeout)
            return response

        return wrapped

    return decorator


def with_fresh_nonce(response: HttpResponse, request: HttpRequest) -> HttpResponse:
    """A cached page with this request's CSP nonce in place of the one it was rendered with."""
    stale, fresh = getattr(response, "csp_nonce", None), get_nonce(request)
    if not stale or fresh is None:
        return response
    fresh = str(fresh)  # generated now, so the middleware puts it in the header too
    # A nonce is 22 random URL-safe characters: nothing else in a page matches it.
    response.content = response.content.replace(stale.encode(), fresh.encode())
    for header in (CSP.HEADER_ENFORCE, CSP.HEADER_REPORT_ONLY):
        if header in response:  # set by the view itself
            response.headers[header] = response.headers[header].replace(stale, fresh)
    response.csp_nonce = fresh
    return response
