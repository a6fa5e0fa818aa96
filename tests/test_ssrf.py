"""The safe fetcher refuses every address inside our network, and proves nothing was fetched."""

import socket

import pytest

from claims.importer.fetch import FetchError, FetchRefused, check_url, fetch
from tests.importer_helpers import Page, serve

pytestmark = pytest.mark.django_db(databases=[])


@pytest.fixture
def local_server(settings):
    """The recording server with the loopback exception OFF: nothing may reach it."""
    yield from serve(settings, loopback=False)


@pytest.fixture
def loopback_allowed(settings):
    """The recording server with the test-only loopback exception ON."""
    yield from serve(settings, loopback=True)


PRIVATE_HOSTS = [
    "127.0.0.1",
    "localhost",
    "sub.localhost",
    "[::1]",
    "[::ffff:127.0.0.1]",
    "[::ffff:7f00:1]",
    "2130706433",  # decimal 127.0.0.1
    "0177.0.0.1",  # octal
    "0x7f.0.0.1",  # hex
    "0x7f000001",
    "127.1",
    "017700000001",
    "0.0.0.0",  # noqa: S104
    "10.0.0.1",
    "172.16.0.1",
    "172.31.255.254",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "[fd00::1]",
    "[fe80::1]",
]


@pytest.mark.parametrize("host", PRIVATE_HOSTS)
def test_private_and_loopback_addresses_are_refused_and_nothing_is_fetched(local_server, host):
    local_server.pages["/"] = Page(b"<html><title>secret</title></html>")
    with pytest.raises(FetchRefused):
        fetch(local_server.url("/", host=host))
    assert local_server.hits == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.com/file.html",
        "gopher://127.0.0.1:70/_GET",
        "dict://127.0.0.1:11211/stat",
        "javascript:alert(1)",
        "//example.com/no-scheme",
        "http://user:password@example.com/",
        "http://example.com:8080/",
        "https://example.com:22/",
        "http:///nohost",
    ],
)
def test_other_schemes_ports_and_credentials_are_refused(url):
    with pytest.raises(FetchRefused) as refusal:
        fetch(url)
    assert str(refusal.value)  # a message the editor can read


def test_each_refusal_says_why():
    with pytest.raises(FetchRefused, match="Only http and https"):
        check_url("file:///etc/passwd")
    with pytest.raises(FetchRefused, match="ports 80 and 443"):
        check_url("http://example.com:8080/")
    with pytest.raises(FetchRefused, match="user name or password"):
        check_url("http://a:b@example.com/")
    with pytest.raises(FetchRefused, match="not a public address"):
        check_url("http://169.254.169.254/latest/meta-data/")


def fake_dns(mapping):
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in mapping:
            answers = mapping[host]
            address = (
                answers.pop(0)
                if isinstance(answers, list) and len(answers) > 1
                else (answers[0] if isinstance(answers, list) else answers)
            )
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            sockaddr = (address, port or 80, 0, 0) if ":" in address else (address, port or 80)
            return [(family, socket.SOCK_STREAM, 6, "", sockaddr)]
        return real(host, port, *args, **kwargs)

    return getaddrinfo


def test_a_hostname_resolving_to_a_private_address_is_refused(local_server, monkeypatch):
    local_server.pages["/"] = Page(b"<html><title>secret</title></html>")
    monkeypatch.setattr(socket, "getaddrinfo", fake_dns({"intranet.example.com": "127.0.0.1"}))
    with pytest.raises(FetchRefused, match=r"resolves to 127\.0\.0\.1"):
        fetch(local_server.url("/", host="intranet.example.com"))
    assert local_server.hits == []


def test_any_private_answer_among_several_is_refused(monkeypatch):
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host == "mixed.example.com":
            return [
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", port)),
            ]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    with pytest.raises(FetchRefused, match=r"10\.1\.2\.3"):
        check_url("http://mixed.example.com/")


def test_dns_rebinding_between_check_and_connect_is_caught_at_connect_time(
    local_server, monkeypatch
):
    """Our check sees a public address; the connection's own look-up gets loopback: refused."""
    local_server.pages["/"] = Page(b"<html><title>secret</title></html>")
    monkeypatch.setattr(
        socket, "getaddrinfo", fake_dns({"rebind.example.com": ["93.184.216.34", "127.0.0.1"]})
    )
    with pytest.raises(FetchRefused):
        fetch(local_server.url("/", host="rebind.example.com"))
    assert local_server.hits == []


REDIRECT_TARGETS = [
    "http://127.0.0.1/admin/",
    "http://localhost/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://2130706433/",
    "http://0177.0.0.1/",
    "http://10.0.0.5/",
    "http://167772161/",  # 10.0.0.1 in decimal
    "http://012.0.0.1/",  # 10.0.0.1 in octal
    "http://172.16.3.4/",
    "http://192.168.0.1/router",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::ffff:10.0.0.1]/",
    "file:///etc/passwd",
    "ftp://example.com/",
    "gopher://example.com/",
    "http://example.com:25/",
]


class FakeResponse:
    def __init__(self, status, headers):
        self.status_code, self.headers, self.reason = status, headers, ""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class FakeSession:
    """Stands in for the network: the first hop answers with a redirect to `target`."""

    def __init__(self, target):
        self.target, self.requested = target, []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def get(self, url, **kwargs):
        self.requested.append(url)
        return FakeResponse(302, {"location": self.target})


@pytest.mark.parametrize("target", REDIRECT_TARGETS)
def test_a_redirect_to_a_refused_address_is_never_requested(monkeypatch, target):
    fake = FakeSession(target)
    monkeypatch.setattr("claims.importer.fetch.session", lambda deadline: fake)
    monkeypatch.setattr(socket, "getaddrinfo", fake_dns({"news.example.com": "93.184.216.34"}))
    with pytest.raises(FetchRefused):
        fetch("https://news.example.com/story")
    assert fake.requested == ["https://news.example.com/story"]


@pytest.mark.parametrize(
    "target",
    [
        t
        for t in REDIRECT_TARGETS
        if "127.0.0.1" not in t
        and "localhost" not in t
        and "::1" not in t
        and "2130706433" not in t
        and "0177" not in t
    ],
)
def test_a_real_redirect_to_a_private_address_is_not_followed(loopback_allowed, target):
    """Through the real stack: only the first hop reaches the (loopback-allowed) server."""
    loopback_allowed.pages["/start"] = Page(status=302, headers={"Location": target})
    with pytest.raises(FetchRefused):
        fetch(loopback_allowed.url("/start"))
    assert [hit["path"] for hit in loopback_allowed.hits] == ["/start"]


def test_at_most_five_redirects(loopback_allowed):
    for n in range(10):
        loopback_allowed.pages[f"/r{n}"] = Page(status=302, headers={"Location": f"/r{n + 1}"})
    loopback_allowed.pages["/r5"] = Page(b"<html><title>five</title></html>")
    fetched = fetch(loopback_allowed.url("/r0"))
    assert fetched.url.endswith("/r5") and len(fetched.redirects) == 5

    loopback_allowed.pages["/r5"] = Page(status=302, headers={"Location": "/r6"})
    loopback_allowed.hits.clear()
    with pytest.raises(FetchRefused, match="More than 5 redirects"):
        fetch(loopback_allowed.url("/r0"))
    assert len(loopback_allowed.hits) == 6


def test_pages_over_five_megabytes_are_refused(loopback_allowed):
    big = b"<html><title>x</title>" + b"a" * (5 * 1024 * 1024 + 10)
    loopback_allowed.pages["/declared"] = Page(big)
    loopback_allowed.pages["/streamed"] = Page(big, stream=True)
    with pytest.raises(FetchRefused, match="larger than 5 MB"):
        fetch(loopback_allowed.url("/declared"))
    with pytest.raises(FetchRefused, match="larger than 5 MB"):
        fetch(loopback_allowed.url("/streamed"))


def test_only_html_content_types_are_accepted(loopback_allowed):
    loopback_allowed.pages["/pdf"] = Page(b"%PDF-1.4", content_type="application/pdf")
    loopback_allowed.pages["/none"] = Page(b"<html></html>", content_type="")
    with pytest.raises(FetchRefused, match="application/pdf"):
        fetch(loopback_allowed.url("/pdf"))
    with pytest.raises(FetchRefused, match="no content type"):
        fetch(loopback_allowed.url("/none"))


def test_slow_sites_time_out(loopback_allowed, settings):
    settings.IMPORTER_TIMEOUT = 1
    loopback_allowed.pages["/slow"] = Page(b"<html></html>", delay=2)
    with pytest.raises(FetchError, match="seconds"):
        fetch(loopback_allowed.url("/slow"))


def test_error_statuses_are_reported(loopback_allowed):
    with pytest.raises(FetchError, match="404"):
        fetch(loopback_allowed.url("/missing"))


def test_a_public_page_is_fetched_with_its_charset_and_a_fixed_user_agent(loopback_allowed):
    loopback_allowed.pages["/ok"] = Page(
        "<html><title>Привіт</title></html>".encode("cp1251"),
        content_type="text/html; charset=windows-1251",
    )
    fetched = fetch(loopback_allowed.url("/ok"))
    assert fetched.status_code == 200
    assert fetched.charset == "windows-1251"
    assert fetched.content.decode("cp1251") == "<html><title>Привіт</title></html>"
    assert loopback_allowed.hits[0]["headers"]["User-Agent"].startswith("factcheck-importer/")
