"""
The same payloads in every field, read back through the machine-readable outputs: RSS and
Atom feeds stay well-formed XML, the ClaimReview JSON-LD parses and cannot close its <script>
element, the JSON export parses, and the CSV export parses with every cell a spreadsheet would
run as a formula neutralised.
"""

import csv
import io
import json
from http import HTTPStatus

import feedparser
import lxml.etree
import lxml.html
import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from claims import feeds
from claims.exports import FORMULA_STARTS
from claims.models import Claim, Narrative, NarrativeClaim

from .payloads import PAYLOADS
from .world import packed

FILTERS = ["q", "rating", "position", "actor", "outlet", "tag", "language", "sort"]


@pytest.fixture
def world(monkeypatch, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    # Every item in one feed, so every payload is in it.
    monkeypatch.setattr(feeds, "ITEMS", 2000)
    return packed(PAYLOADS)


def strict_xml(content: bytes) -> lxml.etree._Element:
    """Parse as XML with no recovery: any ill-formed byte raises."""
    parser = lxml.etree.XMLParser(recover=False, resolve_entities=False, no_network=True)
    return lxml.etree.fromstring(content, parser)


def check_feed(client, url: str) -> feedparser.FeedParserDict:
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK, (url, response.status_code)
    content = response.content
    strict_xml(content)
    parsed = feedparser.parse(content)
    assert parsed.bozo == 0, (url, parsed.get("bozo_exception"))
    return parsed


def test_feeds_stay_well_formed(client, world):
    urls = [
        reverse("claims:denied_rss"),
        reverse("claims:denied_atom"),
        reverse("claims:verdicts_rss"),
        reverse("claims:verdicts_atom"),
    ]
    for kind, rows in [("actor", world["actors"]), ("outlet", world["outlets"])]:
        for row in rows[:2] + rows[-2:]:  # the last is the control-character payload
            urls += [
                reverse(f"claims:{kind}_denied_rss", args=[row.slug]),
                reverse(f"claims:{kind}_denied_atom", args=[row.slug]),
            ]
    for tag in world["tags"][:2]:
        urls += [
            reverse("claims:tag_denied_rss", args=[tag.slug]),
            reverse("claims:tag_denied_atom", args=[tag.slug]),
        ]
    for n, payload in enumerate([PAYLOADS[0], PAYLOADS[-1]]):  # the last has control characters
        narrative = Narrative.objects.create(
            title=payload.strip()[:300] or "blank", summary=payload, slug=f"narrative-{n}"
        )
        for claim in Claim.objects.public().with_denials()[:20]:
            NarrativeClaim.objects.create(
                narrative=narrative, claim=claim, approved_at=timezone.now()
            )
        urls += [
            reverse("claims:narrative_denied_rss", args=[narrative.slug]),
            reverse("claims:narrative_denied_atom", args=[narrative.slug]),
        ]
    for url in urls:
        parsed = check_feed(client, url)
        assert parsed.entries, url
    denied = check_feed(client, reverse("claims:denied_rss"))
    # Every payload's claim is in the denial feed, as text (feed readers escape it again).
    titles = " ".join(entry.title for entry in denied.entries)
    assert sum(1 for p in PAYLOADS if p.strip()[:20] in titles) >= len(PAYLOADS) * 0.9
    for entry in denied.entries:
        # The description is HTML for the reader app: inert once it renders it.
        fragment = lxml.html.fragment_fromstring(entry.summary, create_parent="div")
        for element in fragment.iter():
            assert element.tag not in {"script", "iframe", "object", "embed"}, entry.summary
            assert not any(name.lower().startswith("on") for name in element.attrib), entry.summary


def test_claimreview_json_ld_parses_and_stays_in_its_script(client, world):
    from claims.models import Claim, Translation

    checked = 0
    for claim in Claim.objects.published():
        html = client.get(claim.get_absolute_url()).content.decode()
        start = html.index('<script type="application/ld+json">') + len(
            '<script type="application/ld+json">'
        )
        raw = html[start : html.index("</script>", start)]
        assert "<" not in raw and ">" not in raw, raw
        data = json.loads(raw)
        assert data["@type"] == "ClaimReview"
        # The claim's text in the page's language: its English translation where there is one.
        english = Translation.objects.public().of(claim).in_language("en").first()
        assert data["claimReviewed"] == (english.text if english else claim.text)
        # The parsed page has one JSON-LD script and its text is the JSON that was written.
        scripts = lxml.html.document_fromstring(html).xpath('//script[@type="application/ld+json"]')
        assert len(scripts) == 1 and json.loads(scripts[0].text) == data
        checked += 1
    assert checked >= len(PAYLOADS)


def csv_rows(client, params: dict) -> list[list[str]]:
    response = client.get(reverse("claims:claim_export_csv"), params)
    assert response.status_code == HTTPStatus.OK
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(text, newline="")))


def test_csv_export_parses_and_neutralises_formulas(client, world):
    rows = csv_rows(client, {})
    header, body = rows[0], rows[1:]
    assert len(body) >= len(PAYLOADS)
    texts = set()
    for row in body:
        assert len(row) == len(header), row
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), (cell, row)
        texts.add(row[header.index("text")])
    for payload in PAYLOADS:
        text = payload[:500]
        expected = "'" + text if text.startswith(FORMULA_STARTS) else text
        assert expected in texts, payload
    # Filters echo nowhere in CSV, but they must not break it either.
    for payload in PAYLOADS[::7]:
        rows = csv_rows(client, dict.fromkeys(FILTERS, payload))
        assert all(len(row) == len(rows[0]) for row in rows)


def test_json_export_parses(client, world):
    response = client.get(reverse("claims:claim_export_json"))
    data = json.loads(b"".join(response.streaming_content))
    texts = {claim["text"] for claim in data["claims"]}
    assert all(payload[:500] in texts for payload in PAYLOADS)
    for payload in PAYLOADS:
        response = client.get(reverse("claims:claim_export_json"), {"q": payload})
        assert response.status_code == HTTPStatus.OK
        json.loads(b"".join(response.streaming_content))
