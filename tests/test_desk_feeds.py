"""Outlet feeds on the desk: editors (not only superusers) list, add, edit, pause and resume the
watcher's feeds, and see each one's last poll, last error and leads."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from claims.importer.watch import poll_all
from claims.models import FeedItem, Lead, OutletFeed
from tests.factories import create_editor, create_outlet
from tests.importer_helpers import Page, serve

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>Ministry denies the report: it is fake</title><link>https://news.example/1</link></item>
</channel></rss>"""


@pytest.fixture
def editor(client):
    client.force_login(create_editor())
    return client


@pytest.fixture
def server(settings):
    yield from serve(settings, loopback=True)


def test_the_list_shows_polling_state_and_leads(editor):
    feed = OutletFeed.objects.create(
        outlet=create_outlet(name="Interfax-Ukraine"),
        url="https://interfax.example/rss",
        last_polled_at=timezone.now() - timedelta(minutes=5),
        last_error="The site answered 503 Service Unavailable.",
    )
    for n, state in enumerate(["new", "new", "dismissed"]):
        item = FeedItem.objects.create(feed=feed, url=f"https://interfax.example/{n}", title="x")
        Lead.objects.create(item=item, state=state)
    page = editor.get(reverse("desk:feed_list")).content.decode()
    row = page[page.index(f'id="feed-{feed.pk}"') :]
    assert "Interfax-Ukraine" in row and "https://interfax.example/rss" in row
    assert "The site answered 503 Service Unavailable." in row
    assert "3 leads, 2 open" in row
    assert reverse("desk:feed_edit", args=[feed.pk]) in row


def test_an_editor_adds_a_feed(editor):
    outlet = create_outlet(name="Ukrinform")
    answer = editor.post(
        reverse("desk:feed_create"),
        {"outlet": "ukrinform", "url": "https://ukrinform.example/rss", "active": "on"},
    )
    feed = OutletFeed.objects.get()
    assert answer.status_code == HTTPStatus.FOUND
    assert answer["Location"] == reverse("desk:feed_edit", args=[feed.pk])
    assert (feed.outlet, feed.url, feed.active) == (outlet, "https://ukrinform.example/rss", True)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://10.0.0.1/rss", "not a public address"),
        ("http://localhost/rss", "localhost"),
        ("https://feed.example:8443/rss", "Only ports 80 and 443"),
        ("ftp://feed.example/rss", "Only http and https"),
    ],
)
def test_a_feed_the_watcher_must_not_fetch_is_refused(editor, url, message):
    create_outlet(name="Ukrinform")
    answer = editor.post(reverse("desk:feed_create"), {"outlet": "Ukrinform", "url": url})
    assert answer.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert message in answer.content.decode()
    assert not OutletFeed.objects.exists()


def test_a_feed_is_added_once_and_needs_a_known_outlet(editor):
    feed = OutletFeed.objects.create(outlet=create_outlet(name="A"), url="https://a.example/rss")
    again = editor.post(reverse("desk:feed_create"), {"outlet": "A", "url": feed.url})
    assert again.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "already exists" in again.content.decode()
    unknown = editor.post(
        reverse("desk:feed_create"), {"outlet": "Nobody", "url": "https://b.example/rss"}
    )
    assert unknown.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "Nobody" in unknown.content.decode()
    assert OutletFeed.objects.count() == 1


def test_an_editor_edits_a_feed_and_sees_its_leads(editor):
    feed = OutletFeed.objects.create(outlet=create_outlet(name="A"), url="https://a.example/rss")
    item = FeedItem.objects.create(feed=feed, url="https://a.example/1", title="Denied: fake")
    Lead.objects.create(item=item, score=70)
    page = editor.get(reverse("desk:feed_edit", args=[feed.pk])).content.decode()
    assert "Denied: fake" in page and "score 70" in page
    create_outlet(name="B")
    editor.post(
        reverse("desk:feed_edit", args=[feed.pk]),
        {"outlet": "B", "url": "https://a.example/feed.xml", "active": "on"},
    )
    feed.refresh_from_db()
    assert (feed.outlet.name, feed.url) == ("B", "https://a.example/feed.xml")


def test_a_paused_feed_is_not_polled_until_resumed(editor, server):
    server.pages["/rss"] = Page(RSS, content_type="application/rss+xml")
    feed = OutletFeed.objects.create(outlet=create_outlet(name="A"), url=server.url("/rss"))

    editor.post(reverse("desk:feed_toggle", args=[feed.pk]), {"active": "0"})
    feed.refresh_from_db()
    assert not feed.active
    poll_all()
    assert server.hits == []
    page = editor.get(reverse("desk:feed_list")).content.decode()
    assert "paused" in page and "Resume" in page

    editor.post(reverse("desk:feed_toggle", args=[feed.pk]), {"active": "1"})
    editor.post(reverse("desk:feed_toggle", args=[feed.pk]), {"active": "1"})  # twice: still on
    feed.refresh_from_db()
    assert feed.active
    poll_all()
    assert len(server.hits) == 1
    feed.refresh_from_db()
    assert feed.last_polled_at is not None and feed.last_error == ""
    assert Lead.objects.filter(item__feed=feed).count() == 1
    page = editor.get(reverse("desk:feed_list")).content.decode()
    assert "1 lead, 1 open" in page


def test_the_dashboard_links_to_the_feeds(editor):
    page = editor.get(reverse("desk:dashboard")).content.decode()
    assert reverse("desk:feed_list") in page
