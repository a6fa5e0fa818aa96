"""
The importer against hostile or broken input: servers that drip bytes, feeds nested past any
sane depth, pages built to make extraction slow, and bytes in a wrong or broken encoding.
Every hostile page is generated here; nothing is read from outside the repository.
"""

import contextlib
import socket
import socketserver
import threading
import time
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from claims.importer.extract import ExtractError, decode, extract, read_text
from claims.importer.fetch import FetchError, fetch
from claims.importer.pipeline import run_import
from claims.importer.suggest import suggest
from claims.importer.watch import parse_feed, poll_all
from claims.models import ImportJob, ImportJobStatus, OutletFeed
from tests.factories import create_editor, create_outlet

# ---------------------------------------------------------------------------------------------
# One deadline for the whole fetch


class DripServer:
    """
    A raw HTTP server on 127.0.0.1 that answers slowly on purpose: `/headers` sends its
    header block one byte at a time, `/body` sends whole headers and then the body one byte at
    a time, `/hop/N` waits a little and redirects to `/hop/N+1`. It gives up after `limit`
    seconds, so a fetcher without a deadline makes the test fail rather than hang.
    """

    def __init__(self, interval: float = 0.05, limit: float = 6.0):
        self.interval, self.limit = interval, limit
        drip = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                request = b""
                while b"\r\n\r\n" not in request:
                    chunk = self.request.recv(4096)
                    if not chunk:
                        return
                    request += chunk
                path = request.split(b" ", 2)[1].decode()
                with contextlib.suppress(OSError):  # the fetcher hung up, as it should
                    drip.answer(self.request, path)

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def dribble(self, sock: socket.socket, data: bytes) -> None:
        ends = time.monotonic() + self.limit
        for byte in data:
            if time.monotonic() > ends:
                return
            sock.sendall(bytes([byte]))
            time.sleep(self.interval)

    def answer(self, sock: socket.socket, path: str) -> None:
        if path == "/headers":
            sock.sendall(b"HTTP/1.1 200 OK\r\n")
            self.dribble(sock, b"X-Padding: " + b"a" * 10_000 + b"\r\n\r\n")
        elif path == "/body":
            body = b"<html><title>slow</title><body>" + b"x" * 10_000 + b"</body></html>"
            sock.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                b"Connection: close\r\n\r\n"
            )
            self.dribble(sock, body)
        elif path.startswith("/hop/"):
            time.sleep(0.4)
            hop = int(path.rsplit("/", 1)[1])
            sock.sendall(
                f"HTTP/1.1 302 Found\r\nLocation: /hop/{hop + 1}\r\nContent-Length: 0\r\n"
                "Connection: close\r\n\r\n".encode()
            )

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture
def drip_server(settings):
    server = DripServer()
    server.thread.start()
    # The test-only loopback exception, as in importer_helpers.serve; every other rule holds.
    settings.IMPORTER_ALLOWED_PORTS = (80, 443, server.port)
    settings.IMPORTER_ALLOW_LOOPBACK = True
    settings.IMPORTER_TIMEOUT = 1
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.mark.parametrize("path", ["/headers", "/body", "/hop/0"])
def test_one_deadline_covers_the_whole_fetch_even_against_a_dripping_server(drip_server, path):
    started = time.monotonic()
    with pytest.raises(FetchError, match="longer than 1 seconds"):
        fetch(drip_server.url(path))
    assert time.monotonic() - started < 2.5


def test_a_dripping_feed_holds_the_watcher_no_longer_than_the_deadline(drip_server):
    """The feed watcher shares the fetcher: the slow feed records its error, the poll goes on."""
    feed = OutletFeed.objects.create(outlet=create_outlet(), url=drip_server.url("/headers"))
    started = time.monotonic()
    summary = poll_all()
    assert time.monotonic() - started < 2.5
    assert "longer than 1 seconds" in summary["errors"][feed.url]
    feed.refresh_from_db()
    assert "longer than 1 seconds" in feed.last_error


def test_a_page_cut_off_by_the_deadline_is_not_taken_for_the_whole_page(drip_server):
    """A close-delimited body ends at EOF; the deadline's EOF must not pass for the end."""
    with pytest.raises(FetchError, match="second"):
        fetch(drip_server.url("/body"))


# ---------------------------------------------------------------------------------------------
# Feeds nested past any sane depth


def test_a_deeply_nested_json_feed_is_refused_cleanly():
    deep = b'{"version": "https://jsonfeed.org/version/1.1", "items": [' + b"[" * 100_000
    deep += b"]" * 100_000 + b"]}"
    with pytest.raises(ValueError, match="nested too deeply"):
        parse_feed(deep, content_type="application/feed+json")


def test_a_json_feed_of_ordinary_depth_is_still_read():
    feed = (
        b'{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1", '
        b'"url": "https://example.com/a", "title": "Ministry denies [the] {report}", '
        b'"_meta": {"a": {"b": {"c": [[["deep enough"]]]}}}}]}'
    )
    (entry,) = parse_feed(feed, content_type="application/feed+json")
    assert entry.title == "Ministry denies [the] {report}"


@pytest.mark.parametrize(
    "description",
    [b"&lt;div&gt;" * 100_000, b"<![CDATA[" + b"<div>" * 100_000 + b"]]>"],
    ids=["escaped", "CDATA"],
)
def test_deeply_nested_html_inside_a_feed_item_is_read_quickly(description):
    feed = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item>'
        b"<title>Ministry denies the report</title><link>https://example.com/a</link>"
        b"<description>" + description + b"</description></item></channel></rss>"
    )
    started = time.process_time()
    (entry,) = parse_feed(feed, content_type="application/rss+xml")
    assert time.process_time() - started < 2
    assert entry.title == "Ministry denies the report"


def test_a_deeply_nested_xml_feed_is_refused_cleanly():
    deep = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item>'
        b"<title>Deep</title><link>https://example.com/a</link><description>"
        + b"<x>" * 100_000
        + b"</x>" * 100_000
        + b"</description></item></channel></rss>"
    )
    started = time.monotonic()
    with pytest.raises(ValueError, match="nested too deeply"):
        parse_feed(deep, content_type="application/rss+xml")
    assert time.monotonic() - started < 5


# ---------------------------------------------------------------------------------------------
# A budget per imported page


def nested_divs(size: int = 5 * 1024 * 1024 - 1024) -> bytes:
    head = b"<html><head><title>Deep page</title></head><body><h1>A deep page</h1>"
    return head + b"<div>" * ((size - len(head)) // 5)


def flat_paragraphs(count: int = 60_000) -> bytes:
    paragraphs = "".join(
        f"<p>Paragraph {n}: the ministry said the report was not true.</p>" for n in range(count)
    )
    return (
        "<html><head><title>A flat page</title></head><body><h1>A flat page</h1><article>"
        f"{paragraphs}</article></body></html>"
    ).encode()


@pytest.fixture
def editor_client(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    client = Client()
    client.force_login(create_editor(username="hardening-editor"))
    return client


@pytest.mark.parametrize(
    ("hostile", "message"),
    [
        (nested_divs, "nested too deeply to read: its HTML goes more than 200 levels"),
        (flat_paragraphs, "more than 20,000 HTML elements"),
    ],
    ids=["5 MB of nested divs", "60,000 paragraphs"],
)
def test_hostile_pages_are_refused_in_well_under_five_seconds(editor_client, hostile, message):
    job = ImportJob.objects.create(url="https://example.com/hostile", source=hostile())
    started = time.monotonic()
    run_import(job)
    elapsed = time.monotonic() - started
    job.refresh_from_db()
    assert elapsed < 5, f"took {elapsed:.1f} s"
    assert job.status == ImportJobStatus.FAILED
    assert message in job.error
    # The message tells the editor what to do instead.
    assert "paste" in job.error.lower()
    response = editor_client.get(reverse("importer:job_detail", args=[job.pk]))
    assert response.status_code == HTTPStatus.OK
    assert escape(job.error) in response.content.decode()


def test_the_depth_check_comes_before_any_parse_tree():
    """Refused by the scan itself: the message names the limit, not a parser's failure."""
    with pytest.raises(ExtractError, match="more than 200 levels"):
        extract(b"<html><title>Deep</title><body>" + b"<div>" * 1000 + b"x")


def test_a_long_page_under_the_limits_is_imported_within_the_budget():
    """
    Under the limits the work stays bounded too: suggestion, quotes, hashtags and the date
    fallback read a capped text. Measured in CPU time, which a busy test machine shares out
    but does not inflate.
    """
    content = flat_paragraphs(6_000)
    started = time.process_time()
    article = extract(content, url="https://example.com/long")
    suggestion = suggest(title=article.title, body=article.body)
    assert time.process_time() - started < 5
    assert article.title == "A flat page"
    assert "Paragraph 5999" in article.body
    assert suggestion is not None and suggestion.stance == "denies"


# ---------------------------------------------------------------------------------------------
# Decoding as a browser does


def cyrillic_page(meta: str = "") -> str:
    return (
        f"<html lang='uk'><head>{meta}<title>Офіс президента спростував чутки</title></head>"
        "<body><h1>Офіс президента спростував чутки</h1><p>Джерело в Офісі президента "
        "повідомило, що це «фейк». Раніше про це писали телеграм-канали, а «Ґ» і «є» — "
        "літери, що мають бути на місці.</p></body></html>"
    )


@pytest.mark.parametrize(
    ("meta", "header"),
    [
        ("", "iso-8859-1"),
        ("", "windows-1251"),
        ('<meta charset="iso-8859-1">', ""),
        ('<meta charset="windows-1251">', ""),
        ('<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">', "latin1"),
    ],
)
def test_valid_utf8_wins_over_a_wrong_label(meta, header):
    article = extract(cyrillic_page(meta).encode("utf-8"), charset=header)
    assert article.title == "Офіс президента спростував чутки"
    assert "«Ґ» і «є»" in article.body
    assert article.warnings == []


@pytest.mark.parametrize(
    ("damage", "header"),
    [
        ("stray byte", "utf-8"),
        ("stray byte", ""),
        ("stray byte", "windows-1251"),
        ("cut mid-character", "utf-8"),
        ("cut mid-character", ""),
    ],
)
def test_broken_utf8_is_replaced_where_broken_and_flagged(damage, header):
    good = cyrillic_page('<meta charset="utf-8">').encode("utf-8")
    if damage == "stray byte":
        content = good.replace("Раніше".encode(), b"\xff" + "Раніше".encode())
    else:  # the page ends half-way through a two-byte letter
        content = good[: good.index("Раніше".encode()) + 1]
    decoded = read_text(content, header)
    assert "Офіс президента спростував чутки" in decoded.text
    assert decoded.text.count("\ufffd") == 1
    assert decoded.warnings and "not valid UTF-8" in decoded.warnings[0].english
    article = extract(content, charset=header)
    assert article.title == "Офіс президента спростував чутки"
    assert any("not valid UTF-8" in warning.english for warning in article.warnings)


@pytest.mark.parametrize(
    ("encoding", "header", "text"),
    [
        ("cp1251", "windows-1251", "Офіс президента спростував чутки"),
        ("cp1251", "", "Офіс президента спростував чутки"),
        ("iso-8859-1", "iso-8859-1", "Governo não confirma a notícia de ação à vista"),
        ("cp1252", "windows-1252", "Governo não confirma a notícia de ação à vista"),
    ],
)
def test_genuine_single_byte_pages_still_decode_right(encoding, header, text):
    page = (
        f"<html><head><title>{text}</title></head><body><h1>{text}</h1>"
        f"<p>{text}. {text}. {text}.</p></body></html>"
    )
    decoded = read_text(page.encode(encoding), header)
    assert text in decoded.text
    assert decoded.warnings == []
    assert decode(page.encode(encoding), header) == decoded.text


def test_one_stray_byte_in_an_english_page_labelled_utf8_is_replaced_and_flagged():
    content = (
        b'<html><head><meta charset="utf-8"><title>Ministry denies the report</title></head>'
        b"<body><h1>Ministry denies the report</h1><p>The ministry said the report was "
        b"untrue \x96 nothing of the kind happened.</p></body></html>"
    )
    decoded = read_text(content)
    assert "untrue \ufffd nothing" in decoded.text
    assert "not valid UTF-8 in one place" in decoded.warnings[0].english


def test_decoding_warnings_are_shown_on_the_review_screen(editor_client):
    content = cyrillic_page('<meta charset="utf-8">').encode("utf-8")
    content = content.replace("Раніше".encode(), b"\xff" + "Раніше".encode())
    job = ImportJob.objects.create(url="https://example.com/broken", source=content)
    run_import(job)
    job.refresh_from_db()
    assert job.status == ImportJobStatus.READY
    assert any("not valid UTF-8" in w["msgid"] for w in job.result["article"]["warnings"])
    page = editor_client.get(reverse("importer:job_detail", args=[job.pk])).content.decode()
    assert "not valid UTF-8" in page


# ---------------------------------------------------------------------------------------------
# A title but no body


def test_a_page_with_a_title_but_no_body_is_flagged_on_the_review_screen(editor_client):
    content = (
        b"<html><head><title>Only a headline here</title></head><body>"
        b"<h1>Only a headline here</h1><nav><a href='/'>Home</a></nav></body></html>"
    )
    job = ImportJob.objects.create(url="https://example.com/empty", source=content)
    run_import(job)
    job.refresh_from_db()
    assert job.status == ImportJobStatus.READY
    assert any("no body text" in w["msgid"] for w in job.result["article"]["warnings"])
    page = editor_client.get(reverse("importer:job_detail", args=[job.pk])).content.decode()
    assert "no body text" in page


def test_a_page_with_a_body_has_no_such_warning():
    content = (
        b"<html><head><title>A headline</title></head><body><h1>A headline</h1><article>"
        b"<p>The ministry said on Monday that the report was not true at all.</p>"
        b"<p>It gave no further details about the matter, a spokesman added later.</p>"
        b"</article></body></html>"
    )
    assert extract(content).warnings == []
