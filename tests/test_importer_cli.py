"""`manage.py import_article`: dry-run JSON, saving once per canonical URL, clean errors."""

import json
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from claims import vectors
from claims.models import Report, Snapshot
from tests.factories import create_claim
from tests.importer_helpers import FIXTURES, Page, serve

SEED = FIXTURES / "interfax_umerov.html"


def run(*args) -> str:
    out = StringIO()
    call_command("import_article", *args, stdout=out)
    return out.getvalue()


def test_dry_run_json_prints_one_object_with_every_key():
    data = json.loads(run(str(SEED), "--dry-run", "--format", "json"))
    assert list(data) == [
        "url",
        "title",
        "published",
        "byline",
        "outlet",
        "language",
        "tags",
        "body",
        "quotes",
        "related",
        "suggestion",
        "similar",
    ]
    assert data["url"] == "https://en.interfax.com.ua/news/general/1125431.html"
    assert data["published"] == "2025-11-17T17:55:00+02:00"
    assert data["outlet"] == "Interfax-Ukraine"
    assert data["tags"] == ["presidents_office", "umerov"]
    assert data["quotes"] == ["It's fake"]
    assert data["related"][0] == {
        "title": "Ukrainian Ambassador to Turkey discusses current issues of "
        "Ukrainian-Turkish cooperation with Umerov",
        "url": "https://en.interfax.com.ua/news/general/1124601.html",
        "published": "2025-11-12T19:00:00+02:00",
    }
    assert data["suggestion"] == {
        "claim": "Umerov refused to return to Ukraine",
        "claimant": "Clash Report",
        "responder": "President's Office",
        "stance": "denies",
        "attribution": "anonymous_source",
        "quote": "It's fake",
    }
    assert Report.objects.count() == 0


def test_dry_run_lists_the_same_claim_logged_in_another_language():
    logged = create_claim(text="Умєров відмовився повертатися в Україну", language="uk")
    other = create_claim(text="Bread prices rose in Lviv in October", language="en")
    vectors.refresh([logged.pk, other.pk])  # as the worker does after the write
    data = json.loads(run(str(SEED), "--dry-run", "--format", "json"))
    assert data["similar"][0]["slug"] == logged.slug
    assert data["similar"][0]["language"] == "uk"
    assert 0 < data["similar"][0]["score"] <= 1
    assert [item["slug"] for item in data["similar"]] == [logged.slug]


def test_dry_run_suggestion_is_null_without_a_response(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>School opens</title></head><body><h1>School opens</h1>"
        "<p>A new school opened in Lviv on Monday with 400 pupils.</p></body></html>"
    )
    assert json.loads(run(str(page), "--dry-run", "--format", "json"))["suggestion"] is None


def test_saving_is_idempotent_by_canonical_url(tmp_path):
    first = run(str(SEED))
    assert "Created report" in first and "Interfax-Ukraine" in first
    report = Report.objects.get()
    assert report.canonical_url == "https://en.interfax.com.ua/news/general/1125431.html"
    assert report.published_at.isoformat() == "2025-11-17T15:55:00+00:00"
    assert sorted(report.tags.values_list("name", flat=True)) == ["presidents_office", "umerov"]
    snapshot = Snapshot.objects.get()
    assert bytes(snapshot.content) == SEED.read_bytes()

    again = json.loads(run(str(SEED), "--format", "json"))
    assert again == {"created": False, "report": report.pk, "differences": []}

    changed = tmp_path / "changed.html"
    changed.write_bytes(
        SEED.read_bytes()
        .replace(b"1 min read", b"2 min read")
        .replace(
            b"the agency's source said on Monday", b"the agency's source said on Monday evening"
        )
    )
    message = run(str(changed))
    assert "already on file" in message and "nothing changed" in message
    assert "differs in: body" in message
    assert Report.objects.get().title == report.title
    assert Report.objects.count() == 1 and Snapshot.objects.count() == 1


def test_a_url_is_fetched_safely(settings):
    server_gen = serve(settings, loopback=True)
    server = next(server_gen)
    try:
        server.pages["/story"] = Page(SEED.read_bytes())
        data = json.loads(run(server.url("/story"), "--dry-run", "--format", "json"))
        assert data["title"].startswith("President’s Office denies")
    finally:
        server_gen.close()


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("http://127.0.0.1/x", "not a public address"),
        ("file:///etc/passwd", "Only http and https"),
        ("/no/such/file.html", "No such file"),
    ],
)
def test_errors_are_clear(source, message):
    with pytest.raises(CommandError, match=message):
        run(source, "--dry-run")


def test_errors_exit_non_zero_without_a_traceback(tmp_path):
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200)
    result = subprocess.run(
        [sys.executable, "manage.py", "import_article", str(binary), "--dry-run"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "binary data, not an HTML page" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
