"""The inbox in a real browser: dismissing a lead swaps its row out in place (htmx)."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect

from claims.models import FeedItem, Lead, OutletFeed
from tests.factories import create_editor, create_outlet


@pytest.fixture
def editor_cookie(transactional_db, settings, live_server):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    client = Client()
    client.force_login(create_editor())
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    return {"name": cookie.key, "value": cookie.value, "url": live_server.url}


def test_dismissing_a_lead_removes_its_row(page: Page, live_server, editor_cookie):
    feed = OutletFeed.objects.create(
        outlet=create_outlet(name="Wire"), url="https://wire.example.com/rss"
    )
    for n, title in enumerate(
        ["Ministry denies drone report", "Office rejects claims of resignation"]
    ):
        item = FeedItem.objects.create(feed=feed, url=f"https://wire.example.com/{n}", title=title)
        Lead.objects.create(item=item, score=80, reasons=["headline: “denies”"])
    page.context.add_cookies([editor_cookie])
    page.goto(live_server.url + reverse("importer:inbox"))
    row = page.get_by_role("row").filter(has_text="Ministry denies drone report")
    url = page.url
    row.get_by_role("button", name="Dismiss").click()
    expect(page.get_by_text("Ministry denies drone report")).to_have_count(0)
    expect(page.get_by_text("Office rejects claims of resignation")).to_be_visible()
    assert page.url == url
    assert Lead.objects.get(item__url="https://wire.example.com/0").state == "dismissed"
