"""
What the importer and the watcher leave for editors (an import's error, the review screen's
warnings, a feed's last error, a lead's reasons) is kept untranslated with its values, and
shown in the language of the editor reading it, whatever language the worker ran in. Rows
stored before are shown as they were stored.
"""

from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import translation

from claims.importer.fetch import FetchRefused, check_url
from claims.importer.pipeline import run_import
from claims.importer.watch import denial_score, poll_feed
from claims.models import FeedItem, ImportJob, Lead, OutletFeed
from claims.models.importing import Notice

from .factories import create_editor, create_outlet

PRIVATE = "%(address)s is not a public address; it is not fetched."
PRIVATE_UK = "10.0.0.7 — не публічна адреса; її не завантажуємо."


def in_language(code: str, name: str, *args) -> str:
    with translation.override(code):
        return reverse(name, args=args)


@pytest.fixture(autouse=True)
def _english_after():
    """A request to a /uk/ page leaves Ukrainian active in this thread: the next test's
    reverse() would give /uk/ addresses."""
    yield
    translation.deactivate()


@pytest.fixture
def editor_client(client):
    client.force_login(create_editor(username="olena"))
    return client


def test_a_notice_is_read_in_the_language_active_when_shown():
    notice = Notice(PRIVATE, {"address": "10.0.0.7"})
    with translation.override("uk"):
        assert str(notice) == PRIVATE_UK
    with translation.override("en"):
        assert str(notice) == "10.0.0.7 is not a public address; it is not fetched."
    # Whatever the language, logs and the API read English.
    with translation.override("uk"):
        assert notice.english == "10.0.0.7 is not a public address; it is not fetched."
    assert Notice.from_json(notice.as_json()) == notice


def test_a_value_can_be_a_notice_itself_and_is_translated_too():
    reason = Notice("headline (%(stance)s): “%(words)s”", {"stance": Notice("confirms").as_json()})
    reason.params["words"] = "підтвердив"
    with translation.override("uk"):
        assert str(reason) == "заголовок (підтверджує): «підтвердив»"
    assert reason.english == "headline (confirms): “підтвердив”"


def test_text_stored_before_notices_is_shown_as_it_was_stored():
    assert str(Notice.from_json("The site answered 503 Service Unavailable.")) == (
        "The site answered 503 Service Unavailable."
    )
    # A stored 100% is not a placeholder: text without values is never formatted.
    assert str(Notice.from_json("Grew 100% overnight")) == "Grew 100% overnight"
    # Values that do not fit the text do not break the page.
    assert str(Notice("%(missing)s happened", {"other": 1})) == "%(missing)s happened"
    assert not Notice.from_json("")


def test_the_worker_stores_the_error_untranslated_and_each_editor_reads_their_own(
    editor_client,
):
    # The worker runs in Ukrainian (the site's default language).
    with translation.override("uk"):
        job = run_import(ImportJob.objects.create(url="http://10.0.0.7/story"))
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error == "10.0.0.7 is not a public address; it is not fetched."
    assert job.error_notice == {"msgid": PRIVATE, "params": {"address": "10.0.0.7"}}
    ukrainian = editor_client.get(in_language("uk", "importer:job_detail", job.pk))
    assert PRIVATE_UK in ukrainian.content.decode()
    english = editor_client.get(in_language("en", "importer:job_detail", job.pk))
    assert "10.0.0.7 is not a public address" in english.content.decode()
    assert "не публічна" not in english.content.decode()
    # A retry clears it.
    job.retry()
    job.refresh_from_db()
    assert (job.error, job.error_notice) == ("", {})


def test_an_import_error_stored_before_notices_still_shows(editor_client):
    job = ImportJob.objects.create(
        url="https://example.com/x", status="failed", error="The archive answered 503."
    )
    page = editor_client.get(in_language("uk", "importer:job_detail", job.pk))
    assert page.status_code == HTTPStatus.OK
    assert "The archive answered 503." in page.content.decode()


def test_a_feeds_last_error_is_shown_in_the_editors_language(editor_client):
    feed = OutletFeed.objects.create(outlet=create_outlet(), url="http://10.0.0.7/rss")
    with translation.override("en"):  # a worker in English this time
        result = poll_feed(feed)
    assert result["error"] == "10.0.0.7 is not a public address; it is not fetched."
    feed.refresh_from_db()
    assert feed.last_error_notice["msgid"] == PRIVATE
    page = editor_client.get(in_language("uk", "desk:feed_list")).content.decode()
    assert PRIVATE_UK in page
    # An old row shows its text as stored.
    OutletFeed.objects.filter(pk=feed.pk).update(last_error="Old failure.", last_error_notice={})
    assert "Old failure." in editor_client.get(in_language("uk", "desk:feed_list")).content.decode()


def test_a_leads_reasons_are_shown_in_the_editors_language(editor_client):
    _, reasons = denial_score("Ministry confirms the report", "")
    assert reasons and all(isinstance(reason, Notice) for reason in reasons)
    feed = OutletFeed.objects.create(outlet=create_outlet(), url="https://example.org/rss")
    item = FeedItem.objects.create(feed=feed, url="https://example.org/1", title="Confirmed")
    Lead.objects.create(item=item, score=80, reasons=[r.as_json() for r in reasons])
    old = FeedItem.objects.create(feed=feed, url="https://example.org/2", title="Old")
    Lead.objects.create(item=old, score=70, reasons=["headline: “denies”"])
    page = editor_client.get(in_language("uk", "importer:inbox")).content.decode()
    assert "заголовок (підтверджує): «confirms»" in page  # the stance named in Ukrainian
    assert "headline: “denies”" in page  # stored before: as it was


def test_a_refused_address_typed_in_a_form_is_explained_in_the_editors_language(editor_client):
    with pytest.raises(FetchRefused) as refused:
        check_url("http://10.0.0.7/rss", resolve=False)
    assert str(refused.value) == "10.0.0.7 is not a public address; it is not fetched."
    outlet = create_outlet()
    page = editor_client.post(
        in_language("uk", "desk:feed_create"),
        {"outlet": outlet.pk, "url": "http://10.0.0.7/rss", "active": "on"},
    )
    assert PRIVATE_UK in page.content.decode()
