"""The feed watcher on the real feeds of tests/corpus/feeds, served from a local server."""

import json
import os
from http import HTTPStatus
from io import StringIO
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.importer.watch import denial_score, parse_feed, poll_all
from claims.models import FeedItem, ImportJob, Lead, OutletFeed
from tests.factories import create_editor, create_outlet
from tests.importer_helpers import CORPUS, Page, serve

FEEDS = CORPUS / "feeds"
TYPES = {".xml": "application/rss+xml", ".json": "application/feed+json"}


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()  # the import rate limit counts per user id, which tests reuse


@pytest.fixture
def server(settings):
    """The corpus feeds as their sites would serve them: no charset in the Content-Type."""
    gen = serve(settings, loopback=True)
    local = next(gen)
    for path in sorted(FEEDS.glob("*")):
        if path.suffix in TYPES and ".meta" not in path.name and "upstream" not in path.name:
            local.pages[f"/{path.name}"] = Page(path.read_bytes(), content_type=TYPES[path.suffix])
    yield local
    gen.close()


def meta(name: str) -> dict:
    return json.loads((FEEDS / f"{name.rsplit('.', 1)[0]}.meta.json").read_text())


def add_feed(server, name: str, outlet=None) -> OutletFeed:
    return OutletFeed.objects.create(outlet=outlet or create_outlet(), url=server.url(f"/{name}"))


FEED_NAMES = [
    "google-alerts-atom.xml",
    "guardian-us-rss.xml",
    "heise-developer-atom.xml",
    "huffpost-canada-rss.xml",
    "jn-pt-ultimas-rss-iso-8859-1.xml",
    "npr-technology-jsonfeed.json",
    "techcrunch-rss.xml",
    "agency-ru-rss-cp1251.xml",
    "agency-uk-rss.xml",
    "uol-noticias-rss.xml",
]


def test_every_corpus_feed_is_read_with_its_own_encoding(server):
    feeds = {name: add_feed(server, name) for name in FEED_NAMES}
    summary = poll_all()
    assert summary["errors"] == {}
    assert summary["feeds"] == 10
    for name, feed in feeds.items():
        feed.refresh_from_db()
        assert feed.last_error == "" and feed.last_success_at is not None, name
        expected = meta(name)["facts"]["item_count"]
        if name.startswith("agency-ru"):
            expected -= 1  # one <link> is a bare YouTube id, not a URL: skipped
        assert feed.items.count() == expected, name

    def first_title(name):
        return FeedItem.objects.filter(feed=feeds[name]).order_by("pk").first().title

    # windows-1251, declared
    assert first_title("agency-ru-rss-cp1251.xml") == (
        "День донора: в Киеве открыли три новых пункта сдачи крови"
    )
    # ISO-8859-1, declared; and ISO-8859-1 with no declaration at all
    assert first_title("jn-pt-ultimas-rss-iso-8859-1.xml") == (
        "Mãe de utente é a nova presidente da Raríssimas"
    )
    assert first_title("uol-noticias-rss.xml") == (
        "Ibope: Bolsonaro perde de Haddad, Ciro e Alckmin em simulações de 2º turno"
    )
    # a blank line before the XML declaration
    assert first_title("techcrunch-rss.xml").startswith("Angie’s List Sets Price Range IPO")
    # CDATA with surrounding whitespace
    assert first_title("huffpost-canada-rss.xml") == (
        "Winnipeg High School Orders Custom Hijabs For Muslim Athletes"
    )
    assert first_title("agency-uk-rss.xml").startswith('"Це фейк": в Офісі президента')
    # markup in titles is dropped; redirect wrappers are unwrapped to the real article
    google = FeedItem.objects.filter(feed=feeds["google-alerts-atom.xml"]).order_by("pk").first()
    assert google.title.startswith("Report offers Prediction of Automotive Slack Market")
    assert google.url.startswith("https://www.aglobalmarketresearch.com/")
    # JSON Feed
    npr = FeedItem.objects.filter(feed=feeds["npr-technology-jsonfeed.json"]).order_by("pk").first()
    assert npr.title == "Keller Rinaudo: How can delivery drones save lives?"
    assert npr.published_at is not None


def test_items_are_stored_once_per_url(server):
    add_feed(server, "guardian-us-rss.xml")
    assert poll_all()["new_items"] == 55
    # The same feed again, and the same items under another outlet's feed URL.
    server.pages["/copy.xml"] = server.pages["/guardian-us-rss.xml"]
    OutletFeed.objects.create(outlet=create_outlet(), url=server.url("/copy.xml"))
    summary = poll_all()
    assert summary["new_items"] == 0 and summary["errors"] == {}
    assert FeedItem.objects.count() == 55


def conditional(body: bytes, *, etag: str = "", last_modified: str = ""):
    def respond(handler):
        if etag and handler.headers.get("If-None-Match") == etag:
            return Page(status=HTTPStatus.NOT_MODIFIED, content_type="")
        if last_modified and handler.headers.get("If-Modified-Since") == last_modified:
            return Page(status=HTTPStatus.NOT_MODIFIED, content_type="")
        headers = {"ETag": etag} if etag else {"Last-Modified": last_modified}
        return Page(body, content_type="application/rss+xml", headers=headers)

    return respond


@pytest.mark.parametrize(
    "validators",
    [{"etag": '"v1-abc"'}, {"last_modified": "Tue, 29 Sep 2020 12:00:00 GMT"}],
)
def test_conditional_get_turns_an_unchanged_feed_into_a_304(server, validators):
    body = (FEEDS / "agency-ru-rss-cp1251.xml").read_bytes()
    server.pages["/cond.xml"] = conditional(body, **validators)
    feed = OutletFeed.objects.create(outlet=create_outlet(), url=server.url("/cond.xml"))
    assert poll_all()["new_items"] == 19
    feed.refresh_from_db()
    assert feed.etag == validators.get("etag", "")
    assert feed.last_modified == validators.get("last_modified", "")
    summary = poll_all()
    assert summary == {"feeds": 1, "new_items": 0, "leads": 0, "errors": {}}
    second = server.hits[-1]["headers"]
    if "etag" in validators:
        assert second["If-None-Match"] == validators["etag"]
    else:
        assert second["If-Modified-Since"] == validators["last_modified"]
    feed.refresh_from_db()
    assert feed.last_error == ""


def test_a_broken_feed_records_its_error_and_the_rest_go_on(server):
    server.pages["/garbage.xml"] = Page(b"\x00\x01 this is no feed", content_type="text/xml")
    server.pages["/image.xml"] = Page(b"\x89PNG", content_type="image/png")
    broken = [
        OutletFeed.objects.create(outlet=create_outlet(), url=server.url("/missing.xml")),
        OutletFeed.objects.create(outlet=create_outlet(), url=server.url("/garbage.xml")),
        OutletFeed.objects.create(outlet=create_outlet(), url=server.url("/image.xml")),
        OutletFeed.objects.create(outlet=create_outlet(), url="http://10.0.0.1/feed.xml"),
    ]
    good = add_feed(server, "agency-uk-rss.xml")
    summary = poll_all()
    assert len(summary["errors"]) == 4
    for feed, message in zip(
        broken, ["404", "not a feed", "image/png", "not a public address"], strict=True
    ):
        feed.refresh_from_db()
        assert message in feed.last_error and feed.last_polled_at is not None
        assert feed.last_success_at is None
    good.refresh_from_db()
    assert good.last_error == "" and good.items.count() == 50


DENIAL_FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Wire</title>
<item><title>Office of the President denies reports of Umerov's resignation</title>
  <link>https://wire.example.com/1</link></item>
<item><title>Офіс президента спростував чутки про відставку Умєрова</title>
  <link>https://wire.example.com/2</link></item>
<item><title>В Минобороны опровергли сообщения об отступлении</title>
  <link>https://wire.example.com/3</link></item>
<item><title>Police say claims about the riot are "completely false"</title>
  <link>https://wire.example.com/4</link></item>
<item><title>No child will be denied an education, governor says</title>
  <link>https://wire.example.com/5</link></item>
<item><title>It can't be denied that prices are rising</title>
  <link>https://wire.example.com/6</link></item>
<item><title>Minister opens new bridge in Dnipro</title>
  <link>https://wire.example.com/7</link>
  <description>The minister cut the ribbon on Monday.</description></item>
<item><title>Uryad ne zaperechuye</title><link>https://wire.example.com/8</link>
  <description>Уряд не заперечує, що закон має вади.</description></item>
</channel></rss>"""


def test_likely_denials_become_leads_and_traps_do_not(server):
    server.pages["/wire.xml"] = Page(DENIAL_FEED.encode(), content_type="application/rss+xml")
    OutletFeed.objects.create(outlet=create_outlet(), url=server.url("/wire.xml"))
    summary = poll_all()
    assert summary["new_items"] == 8
    leads = set(Lead.objects.values_list("item__url", flat=True))
    assert leads == {f"https://wire.example.com/{n}" for n in (1, 2, 3, 4)}
    lead = Lead.objects.get(item__url="https://wire.example.com/1")
    assert lead.state == "new" and lead.score >= 70 and lead.reasons


def test_headlines_about_a_denial_in_a_real_feed_become_leads(server):
    add_feed(server, "guardian-us-rss.xml")
    poll_all()
    titles = list(Lead.objects.values_list("item__title", flat=True))
    assert "Porn actor Stormy Daniels casts doubt on denial of affair with Trump" in titles
    assert all("denial" in title.lower() or "den" in title.lower() for title in titles)


def test_scores():
    assert denial_score("Kremlin denies plan to mobilise reservists")[0] >= 70
    assert denial_score("Кремль опроверг сообщения о мобилизации")[0] >= 70
    assert denial_score("Нацбанк спростував фейк про обмін валют")[0] >= 70
    assert denial_score("There is no denying the new stadium is popular")[0] < 50
    assert denial_score("Stadium opens", "Fans denied entry after gates close")[0] < 50


def test_watch_feeds_command(server):
    outlet = create_outlet(slug="unian")
    out = StringIO()
    call_command("watch_feeds", "--add", "unian", server.url("/agency-uk-rss.xml"), stdout=out)
    assert "Added" in out.getvalue() and outlet.feeds.count() == 1
    out, err = StringIO(), StringIO()
    OutletFeed.objects.create(outlet=outlet, url=server.url("/gone.xml"))
    call_command("watch_feeds", stdout=out, stderr=err)
    assert "Polled 2 feeds: 50 new items" in out.getvalue()
    assert "gone.xml: The site answered 404" in err.getvalue()


def test_the_inbox_lists_leads_and_editors_import_or_dismiss_them(
    server, client, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    server.pages["/wire.xml"] = Page(DENIAL_FEED.encode(), content_type="application/rss+xml")
    OutletFeed.objects.create(outlet=create_outlet(name="Wire"), url=server.url("/wire.xml"))
    poll_all()
    client.force_login(create_editor())
    page = client.get(reverse("importer:inbox")).content.decode()
    assert "Office of the President denies reports" in page
    assert "Minister opens new bridge" not in page
    first, second = Lead.objects.order_by("item__url")[:2]

    response = client.post(
        reverse("importer:lead_dismiss", args=[second.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == HTTPStatus.OK and response.content == b""
    second.refresh_from_db()
    assert second.state == "dismissed" and second.decided_by is not None

    # Importing a lead fetches its article in the background, prefilled for review.
    from tests.importer_helpers import FIXTURES

    server.pages["/article"] = Page((FIXTURES / "interfax_umerov.html").read_bytes())
    first.item.url = server.url("/article")
    first.item.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("importer:lead_import", args=[first.pk]))
    job = ImportJob.objects.get()
    assert response.url == job.get_absolute_url()
    job.refresh_from_db()
    assert job.status == "ready" and job.lead == first and job.outlet.name == "Wire"
    from claims.importer.forms import initial_from_result

    data = {k: v for k, v in initial_from_result(job.result, "Wire").items() if v is not None}
    data["carriage_role"] = "mention"
    client.post(reverse("importer:job_confirm", args=[job.pk]), data)
    first.refresh_from_db()
    assert first.state == "imported"
    new = client.get(reverse("importer:inbox")).content.decode()
    assert "Office of the President denies reports" not in new


@settings(max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", 40)), deadline=None)
@given(st.data())
def test_mutated_feeds_never_crash_the_parser(data):
    name = data.draw(st.sampled_from(FEED_NAMES))
    content = bytearray((FEEDS / name).read_bytes())
    for _ in range(data.draw(st.integers(1, 15))):
        position = data.draw(st.integers(0, max(0, len(content) - 1)))
        if data.draw(st.booleans()):
            content[position : position + 1] = bytes([data.draw(st.integers(0, 255))])
        else:
            del content[position : position + data.draw(st.integers(1, 500))]
    try:
        entries = parse_feed(bytes(content), content_type=TYPES[Path(name).suffix])
    except ValueError:
        return
    assert all(isinstance(entry.title, str) for entry in entries)
