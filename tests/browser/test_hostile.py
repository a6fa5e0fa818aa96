"""
The hostile-input suite in a real Chromium: every payload of tests/hostile/payloads.py in every
field, and every page that shows them loaded as a reader and (desk pages) as a logged-in
editor. Nothing may open a dialog, throw (the payloads call `xss()`, which is not defined, so a
payload that runs is a ReferenceError), or log a console error (a CSP violation is one).

It runs twice: with the Content Security Policy on, as served, and with the CSP bypassed, so
the escaping is proven on its own and not only behind the CSP.

By default the payloads are packed into a few claims (each claim page shows every payload as a
carriage, a report title, an outlet, a responder, a speaker, a quote and a correction) and the
list pages show every claim text; the per-payload pages are sampled. The full matrix, every
page of every payload's claim, actor, outlet and tag plus every reflected filter, takes a few
minutes more:

    HOSTILE_FULL=1 .venv/bin/python -m pytest tests/browser/test_hostile.py
"""

import os
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser

from claims.models import Claim
from tests.hostile.payloads import PAYLOADS
from tests.hostile.world import packed

FULL = os.environ.get("HOSTILE_FULL") == "1"
SAMPLE = slice(None) if FULL else slice(None, None, 29)
FILTERS = ["q", "rating", "position", "actor", "outlet", "tag", "language", "date_from", "sort"]


@pytest.fixture
def world(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    return packed(PAYLOADS)


def reader_pages(world) -> list[str]:
    pages = [reverse("claims:home"), reverse("claims:methodology")]
    count = Claim.objects.visible().count()
    list_url = reverse("claims:claim_list")
    pages += [f"{list_url}?page={n}" for n in range(1, count // 25 + 2)]
    pages += [claim.get_absolute_url() for claim in world["claims"]]
    pages.append(reverse("claims:snapshot_detail", args=[world["snapshot"].pk]))
    for kind in ("actors", "outlets", "tags"):
        rows = world[kind]
        pages += [row.get_absolute_url() for row in rows[SAMPLE] + rows[-1:]]
    others = Claim.objects.exclude(pk__in=[c.pk for c in world["claims"]]).order_by("pk")
    pages += [claim.get_absolute_url() for claim in list(others)[SAMPLE]]
    for payload in PAYLOADS[SAMPLE]:
        pages.append(f"{list_url}?{urlencode(dict.fromkeys(FILTERS, payload))}")
    return pages


def desk_pages(world) -> list[str]:
    pages = [
        reverse("desk:dashboard"),
        reverse("importer:inbox"),
        reverse("importer:import_start"),
        reverse("desk:claim_create"),
    ]
    claim = world["claims"][0]
    carriage = world["carriages"].first()
    pages += [
        reverse("desk:carriage_edit", args=[carriage.pk]),
        reverse("desk:response_edit", args=[claim.responses.first().pk]),
        reverse("desk:report_edit", args=[carriage.report_id]),
        # Claims like a hostile one, listed on the merge page; the one-page chain adding to
        # one (the similar-claims fragment alone is checked in tests/hostile).
        reverse("desk:chain_new") + f"?claim={claim.slug}",
        reverse("desk:merge_propose", args=[claim.slug]),
    ]
    claims = list(Claim.objects.order_by("pk")) if FULL else world["claims"]
    for claim in claims:
        pages += [
            reverse("desk:claim_edit", args=[claim.slug]),
            reverse("desk:claim_history", args=[claim.slug]),
        ]
        verdict = claim.verdicts.first()
        if verdict is not None:
            pages.append(reverse("desk:verdict_edit", args=[verdict.pk]))
    return pages


def editor_cookie(world, settings, base: str) -> dict:
    client = Client()
    client.force_login(world["editor"])
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    return {"name": cookie.key, "value": cookie.value, "url": base}


def visit(context, base: str, paths: list[str]) -> list[str]:
    """Load each page; what ran, as descriptions (empty: nothing did)."""
    fired = []
    page = context.new_page()
    current = {"path": ""}

    def on_dialog(dialog):
        fired.append(f"{current['path']}: dialog {dialog.type} {dialog.message!r}")
        dialog.dismiss()

    def on_console(message):
        if message.type == "error":
            fired.append(f"{current['path']}: console error {message.text!r}")

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: fired.append(f"{current['path']}: pageerror {error}"))
    page.on("console", on_console)
    for path in paths:
        current["path"] = path
        response = page.goto(base + path, wait_until="load")
        assert response is not None and response.ok, (path, response and response.status)
        assert page.evaluate("typeof window.xss") == "undefined"
        # Handlers that fire after load: onerror of a failed image, ontoggle, onbegin.
        page.wait_for_timeout(60)
    page.close()
    return fired


def test_no_payload_runs_in_chromium(browser: Browser, live_server, world, settings):
    base = live_server.url
    readers, desk = reader_pages(world), desk_pages(world)
    cookie = editor_cookie(world, settings, base)
    fired = []
    # As served (CSP on), then with the CSP bypassed: the escaping alone must hold.
    for bypass_csp in (False, True):
        context = browser.new_context(bypass_csp=bypass_csp)
        label = "CSP bypassed" if bypass_csp else "CSP on"
        fired += [f"[{label}] {event}" for event in visit(context, base, readers)]
        context.add_cookies([cookie])
        fired += [f"[{label}] {event}" for event in visit(context, base, desk)]
        context.close()
    assert not fired, "\n".join(fired[:40])
    assert len(readers) >= 20 and len(desk) >= 10


def test_the_harness_sees_a_payload_that_runs(browser: Browser, live_server):
    """A page with one unescaped payload of each kind: every kind is reported."""
    context = browser.new_context(bypass_csp=True)
    bad = {
        "/bad-error": "<img src=x onerror=xss(1)>",
        "/bad-dialog": "<svg onload=alert(1)>",
        "/bad-toggle": "<details open ontoggle=xss(1)>",
    }

    def serve(route):
        path = "/" + route.request.url.rsplit("/", 1)[-1]
        route.fulfill(body=f"<html><body>{bad[path]}</body></html>", content_type="text/html")

    context.route("**/bad-*", serve)
    fired = visit(context, live_server.url, list(bad))
    context.close()
    for path in bad:
        assert any(event.startswith(path + ":") for event in fired), (path, fired)
    assert any("dialog alert" in event for event in fired)
    assert any("xss is not defined" in event for event in fired)
