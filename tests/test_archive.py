"""Archived copies shown to readers (claims.archive): no scripts, handlers or htmx attributes."""

import pytest

from claims.archive import decode, plain_text, sanitised_html
from tests.importer_helpers import FIXTURES

pytestmark = pytest.mark.django_db(databases=[])

HOSTILE = b"""<html><head><title>t</title><script>alert('head')</script>
<style>body{display:none}</style></head><body onload="steal()">
<h1 hx-get="/admin/" hx-trigger="load" data-hx-post="/x">Headline</h1>
<p style="color:red" onclick="steal()">Text <a href="javascript:alert(1)">bad</a>
<a href="https://example.com/" target="_blank">good</a></p>
<script>alert('body')</script><iframe src="https://evil.example/"></iframe>
<img src="x" onerror="steal()" alt="photo"><form action="/x"><input name="q"></form>
<svg><script>alert(2)</script></svg><!-- secret comment -->
</body></html>"""


def test_sanitized_html_drops_everything_active():
    html = sanitised_html(decode(HOSTILE))
    for banned in ("<script", "alert(", "onload", "onclick", "onerror", "hx-", "data-hx",
                   "javascript:", "<iframe", "<form", "<input", "style=", "<style",
                   "secret comment", "<svg"):  # fmt: skip
        assert banned not in html, banned
    assert "<h1>Headline</h1>" in html
    assert '<a href="https://example.com/" rel="nofollow noopener noreferrer">good</a>' in html
    assert "<img" not in html  # images would load from the original site


def test_plain_text_keeps_the_words_only():
    text = plain_text(decode(HOSTILE))
    assert "Headline" in text and "good" in text
    assert "alert" not in text and "display:none" not in text


def test_the_seed_page_archive_reads_well():
    content = (FIXTURES / "interfax_umerov.html").read_bytes()
    assert "It's fake" in sanitised_html(decode(content))
    assert plain_text(decode(content)).splitlines()[0] == "Interfax-Ukraine"


def test_windows_1251_archives_are_decoded():
    content = "<html><body><p>Офіс президента</p></body></html>".encode("cp1251")
    text = decode(content, "text/html; charset=windows-1251")
    assert "Офіс президента" in sanitised_html(text)
