"""
Telegram: a public post read through its saved embed page imports as a report whose outlet
is the channel; a channel's saved preview page (t.me/s/<channel>) is read like a feed whose
denials become leads. The pages are saved copies written for these tests; nothing is fetched.
"""

from datetime import UTC, datetime
from http import HTTPStatus

import pytest
from django.urls import reverse

from claims.importer.extract import extract
from claims.importer.watch import denial_score, parse_feed
from claims.models import Outlet, Report, Response
from tests.importer_helpers import FIXTURES
from tests.test_importer_views import (  # noqa: F401 - fixtures
    confirm_data,
    editor_client,
    fast_passwords,
    immediate_tasks,
    start_import,
)

POST = FIXTURES / "telegram_post_embed.html"
POST_URL = "https://t.me/CenterCounteringDisinfo/8421?embed=1"
PREVIEW = FIXTURES / "telegram_channel_preview.html"


@pytest.mark.django_db(databases=[])
def test_an_embed_page_reads_as_the_post():
    article = extract(POST.read_bytes(), url=POST_URL)
    assert article.source == "telegram"
    assert article.url == article.canonical_url == "https://t.me/CenterCounteringDisinfo/8421"
    assert article.outlet == article.byline == "Центр протидії дезінформації"
    assert article.title == "❗️Фейк: Умєров відмовився повертатися в Україну"
    assert article.published == datetime(2025, 11, 17, 18, 12, 4, tzinfo=UTC)
    assert "Це неправда." in article.body and "\n" in article.body
    assert article.tags == ["фейк", "ЦПД"]
    assert article.media == ["https://cdn4.telesco.pe/file/ccd_8421_screenshot.jpg"]
    assert article.edited and any("edited" in warning.english for warning in article.warnings)


@pytest.mark.django_db
def test_a_saved_post_imports_as_a_report_and_a_response_from_the_channel(
    editor_client,  # noqa: F811
    immediate_tasks,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    job = start_import(
        editor_client, django_capture_on_commit_callbacks, html=POST.read_text(), page_url=POST_URL
    )
    draft = job.result["suggestion"]
    assert draft["stance"] == "denies"
    assert draft["responder"] == "Центр протидії дезінформації"
    assert draft["attribution"] == "official_statement"
    assert "Умєров" in draft["claim"] and "відмовився повертатися" in draft["claim"]
    response = editor_client.post(reverse("importer:job_confirm", args=[job.pk]), confirm_data(job))
    assert response.status_code == HTTPStatus.FOUND
    report = Report.objects.get()
    assert report.canonical_url == "https://t.me/CenterCounteringDisinfo/8421"
    channel = Outlet.objects.get()
    assert (channel.kind, channel.homepage) == ("telegram", "https://t.me/CenterCounteringDisinfo")
    assert Response.objects.get().report == report


@pytest.mark.django_db(databases=[])
def test_a_channel_preview_is_read_as_a_feed_and_only_the_denial_is_a_lead():
    entries = parse_feed(PREVIEW.read_bytes(), content_type="text/html")
    assert [entry.url for entry in entries] == [
        "https://t.me/ministry_of_defense_ua/5120",
        "https://t.me/ministry_of_defense_ua/5121",
        "https://t.me/ministry_of_defense_ua/5122",
    ]
    assert entries[1].title == "⚡️Міноборони спростовує фейк про зниження мобілізаційного віку"
    assert entries[1].published_at == datetime(2025, 9, 3, 7, 20, tzinfo=UTC)
    scores = [denial_score(entry.title, entry.summary)[0] for entry in entries]
    assert scores[1] >= 50  # a lead
    assert scores[0] < 50 and scores[2] < 50  # an ordinary post and "Ніхто не заперечує"
