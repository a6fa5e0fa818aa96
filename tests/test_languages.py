"""Content languages: detected offline, stored on claims, reports, carriages and responses,
editable on the desk, and marked with lang="…" on reader pages."""

import json
import socket
from http import HTTPStatus
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from claims.languages import detect_language
from claims.models import Carriage, Response
from tests.factories import create_carriage, create_claim, create_report, create_response

SAMPLES = json.loads(
    (Path(__file__).parent / "fixtures" / "language_samples.json").read_text(encoding="utf-8")
)


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails: the detector must work offline."""

    def refuse(*args, **kwargs):
        raise OSError("network is off in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_detector_is_right_on_the_labelled_set_offline(no_network):
    wrong = [
        (language, text, detect_language(text))
        for language, texts in SAMPLES.items()
        for text in texts
        if detect_language(text) != language
    ]
    total = sum(len(texts) for texts in SAMPLES.values())
    assert total >= 72
    assert not wrong


def test_detector_edge_cases():
    assert detect_language("") == ""
    assert detect_language("12:30 — 2025") == ""
    assert detect_language("Це фейк") == "uk"
    assert detect_language("Это фейк") == "ru"
    assert detect_language("Ceci n'est pas vrai, a déclaré le ministère") == "fr"


def test_language_codes_are_validated():
    claim = create_claim(text="Умєров відмовився", language="uk")
    claim.full_clean()
    claim.language = "Ukrainian"
    with pytest.raises(ValidationError):
        claim.full_clean()


def test_reader_pages_mark_content_with_its_language(client):
    claim = create_claim(text="Умєров відмовився повертатися в Україну", language="uk")
    report = create_report(title="Umerov refused to return", language="en")
    create_carriage(claim=claim, report=report, wording="Умеров отказался", language="ru")
    create_response(claim=claim, quote="Це фейк", language="uk")
    page = client.get(claim.get_absolute_url()).content.decode()
    assert '<h1 lang="uk">Умєров відмовився повертатися в Україну</h1>' in page
    assert '<blockquote lang="uk">“Це фейк”</blockquote>' in page
    assert '<blockquote lang="ru">Умеров отказался</blockquote>' in page
    assert 'lang="en">Umerov refused to return<' in page
    listing = client.get(reverse("claims:claim_list")).content.decode()
    assert 'lang="uk">Умєров відмовився повертатися в Україну</a>' in listing


def test_the_desk_edits_carriage_and_response_languages(client):
    from tests.factories import create_editor

    editor = create_editor()
    client.force_login(editor)
    claim = create_claim(text="Умєров відмовився повертатися в Україну", language="uk")
    response = create_response(claim=claim, quote="Це фейк", language="")
    carriage = create_carriage(claim=claim, wording="Умєров відмовився")
    from django.urls import reverse

    page = client.get(reverse("desk:response_edit", args=[response.pk]))
    assert page.status_code == HTTPStatus.OK
    assert 'name="language"' in page.content.decode()
    page = client.get(reverse("desk:carriage_edit", args=[carriage.pk]))
    assert 'name="language"' in page.content.decode()
    assert Response._meta.get_field("language").max_length == 10
    assert Carriage._meta.get_field("language").max_length == 10


def test_the_importer_detects_a_page_without_a_declared_language():
    from claims.importer.extract import extract

    page = """<html><head><title>В Офісі президента спростували інформацію</title></head><body>
    <article><h1>В Офісі президента спростували інформацію про Умєрова</h1>
    <p>Інформація про те, що секретар РНБО Рустем Умєров нібито відмовився повертатися в
    Україну, не відповідає дійсності, повідомило джерело в Офісі президента.</p>
    <p>«Це фейк», — сказав співрозмовник агентства.</p></article></body></html>"""
    assert extract(page, url="https://example.org/news/1").language == "uk"
    declared = page.replace("<html>", '<html lang="ru">')
    assert extract(declared, url="https://example.org/news/1").language == "ru"  # as declared


def test_confirming_an_import_gives_each_part_its_language():
    from claims.importer.pipeline import Confirmation, confirm

    created = confirm(
        Confirmation(
            outlet_name="Interfax-Ukraine",
            title="President's Office denies reports about Umerov",
            language="en",
            claim_text="Умеров отказался возвращаться в Украину",
            wording="Umerov allegedly refused to return",
            responder="Офіс президента",
            stance="denies",
            attribution="anonymous_source",
            quote="Це фейк",
        ),
        by=None,
    )
    assert created.report.language == "en"
    assert created.claim.language == "ru"
    assert created.carriage.language == "en"
    assert created.response.language == "uk"
    assert created.claim.slug == "umerov-otkazalsia-vozvrashchatsia-v-ukrainu"
    assert created.response.responder.slug == "ofis-prezydenta"
