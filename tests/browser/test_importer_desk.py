"""The import desk in a real browser: htmx polls the background job until the review form shows,
and without JavaScript the refresh link does the same."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from claims.models import ImportJob
from tests.factories import create_editor
from tests.importer_helpers import FIXTURES, run_worker

SEED_HTML = (FIXTURES / "interfax_umerov.html").read_text()


@pytest.fixture
def editor_cookie(transactional_db, settings, live_server):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()  # the import rate limit counts per user id, which tests reuse
    client = Client()
    client.force_login(create_editor())
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    return {"name": cookie.key, "value": cookie.value, "url": live_server.url}


def paste_and_submit(page: Page, live_server) -> None:
    page.goto(live_server.url + reverse("importer:import_start"))
    page.get_by_label("…or paste the page's HTML").fill(SEED_HTML)
    page.get_by_label("The page's address").fill(
        "https://en.interfax.com.ua/news/general/1125431.html"
    )
    page.get_by_role("button", name="Import").click()


def test_htmx_polls_the_job_until_the_review_form_appears(page: Page, live_server, editor_cookie):
    page.context.add_cookies([editor_cookie])
    paste_and_submit(page, live_server)
    expect(page.get_by_role("progressbar")).to_be_visible()
    url = page.url
    run_worker()
    # No navigation: htmx swaps the status block in place.
    expect(page.get_by_label("Claim", exact=True)).to_have_value(
        "Umerov refused to return to Ukraine", timeout=10_000
    )
    assert page.url == url
    expect(page.get_by_label("Responder")).to_have_value("President's Office")
    expect(page.get_by_label("Stance")).to_have_value("denies")
    page.get_by_role("button", name="Confirm and save").click()
    expect(page.get_by_text("Confirmed.")).to_be_visible()
    assert ImportJob.objects.get().status == "confirmed"


def test_without_javascript_the_refresh_link_shows_the_result(
    browser: Browser, live_server, editor_cookie
):
    context = browser.new_context(java_script_enabled=False)
    context.add_cookies([editor_cookie])
    page = context.new_page()
    paste_and_submit(page, live_server)
    expect(page.get_by_role("link", name="Refresh")).to_be_visible()
    run_worker()
    page.get_by_role("link", name="Refresh").click()
    expect(page.get_by_label("Claimant")).to_have_value("Clash Report")
    context.close()
