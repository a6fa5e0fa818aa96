"""
Fetch a public web page without letting a URL reach inside our network (SSRF).

requests-hardened pins the connection to an address it has checked at connect time (every
hop, so a redirect or a DNS answer that changes between our check and the connection cannot
reach a private address). On top of that we refuse non-http schemes, ports other than 80/443,
credentials in URLs, odd IP spellings (decimal, octal, hex, IPv4-mapped IPv6) and any host
with a non-public DNS answer; we follow at most five redirects ourselves, re-checking each
hop; we stream with a size cap; and we accept only the content types the caller asks for.

One deadline covers the whole fetch: connecting, the headers, the body and every redirect. A
socket timeout only bounds each read, so a server that sends a byte a second would never trip
it; `Deadline` shuts down the fetch's sockets when its time is up, which ends any read blocked
on them.
"""

import contextlib
import ipaddress
import logging
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_noop
from requests_hardened import Config, HTTPSession
from requests_hardened.ip_filter import EXTRA_BLOCKED_NET_RANGES, InvalidIPAddress
from requests_hardened.ip_filter_adapter import IPFilterAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from claims.models.importing import NoticeError

logger = logging.getLogger(__name__)

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "application/feed+json",
        "application/json",
    }
)
ALLOWED_PORTS = frozenset({80, 443})
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})


def limit(name: str, default):
    return getattr(settings, name, default)


class FetchError(NoticeError):
    """A fetch that did not give us a page; the message is meant for the editor."""


class FetchRefused(FetchError):
    """A URL or response we refuse on principle (scheme, address, size, type…)."""


@dataclass
class Fetched:
    url: str  # the final URL after redirects
    status_code: int
    content_type: str  # the media type, lower-case, without parameters
    charset: str  # the charset parameter of Content-Type, if any
    content: bytes
    fetched_at: datetime
    headers: dict = field(default_factory=dict)
    redirects: list[str] = field(default_factory=list)

    @property
    def not_modified(self) -> bool:
        return self.status_code == 304


# Host spellings that resolvers read as IPv4 numbers: 2130706433, 0177.0.0.1, 0x7f.1 …
LEGACY_IPV4 = re.compile(r"^(?:0x[0-9a-f]+|[0-9]+)(?:\.(?:0x[0-9a-f]*|[0-9]+)){0,3}$", re.I)


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True for globally routable unicast addresses (loopback too when tests allow it)."""
    if address.version == 6 and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if limit("IMPORTER_ALLOW_LOOPBACK", False) and address.is_loopback:
        return True
    if address.is_multicast or address.is_unspecified or address.is_reserved:
        return False
    if any(address in net for net in EXTRA_BLOCKED_NET_RANGES):
        return False
    return address.is_global


def literal_address(host: str):
    """The IP address a host name spells, in any form a resolver accepts, else None."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    if LEGACY_IPV4.match(host):
        try:
            return ipaddress.ip_address(socket.inet_aton(host))
        except OSError:
            raise FetchRefused(
                gettext_noop("“%(host)s” is not a valid address."), host=host
            ) from None
    return None


def check_url(url: str, *, resolve: bool = True) -> str:
    """
    Refuse a URL we must not fetch; return it unchanged when it may be fetched. With
    `resolve=False` only what the URL itself says is checked (no DNS look-up), for forms.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise FetchRefused(
            gettext_noop("This URL is malformed (%(error)s)."), error=str(error)
        ) from None
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"}:
        if not scheme:
            raise FetchRefused(
                gettext_noop("Only http and https addresses can be fetched (this one has none).")
            )
        raise FetchRefused(
            gettext_noop("Only http and https addresses can be fetched (this one has %(scheme)s)."),
            scheme=f"{scheme}:",
        )
    if parts.username is not None or parts.password is not None:
        raise FetchRefused(gettext_noop("Addresses with a user name or password are not fetched."))
    if port is not None and port not in limit("IMPORTER_ALLOWED_PORTS", ALLOWED_PORTS):
        raise FetchRefused(
            gettext_noop("Only ports 80 and 443 are allowed (this address uses port %(port)s)."),
            port=port,
        )
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise FetchRefused(gettext_noop("This URL names no host."))
    loopback_ok = limit("IMPORTER_ALLOW_LOOPBACK", False)
    if (host == "localhost" or host.endswith(".localhost")) and not loopback_ok:
        raise FetchRefused(gettext_noop("Addresses on this machine (localhost) are not fetched."))
    address = literal_address(host)
    if address is not None:
        if not is_public(address):
            raise FetchRefused(
                gettext_noop("%(address)s is not a public address; it is not fetched."),
                address=str(address),
            )
        return url
    if not resolve:
        return url
    try:
        answers = socket.getaddrinfo(host, port or 443, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(
            gettext_noop("The host “%(host)s” could not be found (%(error)s)."),
            host=host,
            error=str(error),
        ) from None
    for *_rest, sockaddr in answers:
        resolved = ipaddress.ip_address(sockaddr[0].split("%")[0])
        if not is_public(resolved):
            raise FetchRefused(
                gettext_noop(
                    "“%(host)s” resolves to %(address)s, which is not a public address; "
                    "it is not fetched."
                ),
                host=host,
                address=str(resolved),
            )
    return url


def too_large(max_bytes: int) -> "FetchRefused":
    return FetchRefused(
        gettext_noop("The page is larger than %(megabytes)s MB."),
        megabytes=max_bytes // (1024 * 1024),
    )


class Deadline:
    """
    One deadline for a whole fetch. At the deadline every socket the fetch opened is shut
    down, so a read blocked on a server that drips bytes ends there instead of whenever the
    server stops.
    """

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.ends = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self.expire)
        self._timer.daemon = True

    def remaining(self) -> float:
        return max(0.0, self.ends - time.monotonic())

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            expired = self.expired
        if expired:
            shut(sock)

    def expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            shut(sock)

    def error(self) -> "FetchError":
        return FetchError(
            gettext_noop("The site took longer than %(seconds)s seconds to send the page."),
            seconds=f"{self.seconds:g}",
        )

    def __enter__(self) -> "Deadline":
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()


def shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RDWR)


class WatchedConnection:
    """A urllib3 connection that hands its socket to the fetch's deadline as it opens it."""

    def __init__(self, *args, deadline: Deadline, **kwargs):
        super().__init__(*args, **kwargs)
        self.deadline = deadline

    def _new_conn(self) -> socket.socket:
        # The plain TCP socket, before any TLS: shutting it down also ends a slow handshake.
        sock = super()._new_conn()
        self.deadline.watch(sock)
        return sock


class WatchedHTTPConnection(WatchedConnection, HTTPConnection):
    pass


class WatchedHTTPSConnection(WatchedConnection, HTTPSConnection):
    pass


class WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = WatchedHTTPConnection


class WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = WatchedHTTPSConnection


class DeadlineAdapter(IPFilterAdapter):
    """requests-hardened's address-checking adapter, with connections watched by a deadline."""

    def __init__(self, *, deadline: Deadline, **kwargs):
        self.deadline = deadline
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        # Extra pool arguments reach each new connection (urllib3's conn_kw).
        self.poolmanager.pool_classes_by_scheme = {
            "http": partial(WatchedHTTPPool, deadline=self.deadline),
            "https": partial(WatchedHTTPSPool, deadline=self.deadline),
        }


def session(deadline: Deadline) -> HTTPSession:
    allow_loopback = limit("IMPORTER_ALLOW_LOOPBACK", False)
    config = Config(
        ip_filter_enable=True,
        ip_filter_allow_loopback_ips=allow_loopback,
        never_redirect=True,  # we follow redirects ourselves, checking each hop
        default_timeout=(5, 10),
        user_agent_override=limit(
            "IMPORTER_USER_AGENT", f"factcheck-importer/1.0 (+{settings.SITE_URL})"
        ),
    )
    http = HTTPSession(config)
    for prefix in ("http://", "https://"):
        http.mount(
            prefix,
            DeadlineAdapter(
                deadline=deadline,
                is_https_proto=prefix == "https://",
                allow_loopback=allow_loopback,
                tls_sni_support=config.ip_filter_tls_sni_support,
            ),
        )
    # Environment proxies would connect on our behalf, out of reach of the address check.
    http.trust_env = False
    return http


def fetch(
    url: str,
    *,
    accept: frozenset[str] = HTML_TYPES,
    etag: str = "",
    last_modified: str = "",
) -> Fetched:
    """GET a public URL within the importer's limits; raise FetchError saying why not."""
    max_bytes = limit("IMPORTER_MAX_BYTES", 5 * 1024 * 1024)
    max_redirects = limit("IMPORTER_MAX_REDIRECTS", 5)
    headers = {"Accept": ", ".join(sorted(accept)) + ", */*;q=0.1"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    redirects: list[str] = []
    current = url
    with Deadline(limit("IMPORTER_TIMEOUT", 10)) as deadline, session(deadline) as http:
        while True:
            check_url(current)
            if deadline.expired or not deadline.remaining():
                raise deadline.error()
            logger.info("importer fetch %s", current)
            try:
                response = http.get(
                    current,
                    headers=headers,
                    stream=True,
                    allow_redirects=False,
                    timeout=(min(5, deadline.remaining()), max(0.1, deadline.remaining())),
                )
            except InvalidIPAddress as error:
                raise FetchRefused(
                    gettext_noop("%(address)s is not a public address; it is not fetched."),
                    address=str(error),
                ) from None
            except (requests.RequestException, OSError) as error:
                if deadline.expired or isinstance(error, requests.Timeout):
                    raise deadline.error() from None
                raise FetchError(
                    gettext_noop("The page could not be fetched (%(error)s)."), error=str(error)
                ) from None
            with response:
                # Headers cut short by the deadline read as a complete, odd response.
                if deadline.expired:
                    raise deadline.error()
                if response.status_code in REDIRECT_CODES and "location" in response.headers:
                    if len(redirects) >= max_redirects:
                        raise FetchRefused(
                            gettext_noop("More than %(count)s redirects; gave up."),
                            count=max_redirects,
                        )
                    redirects.append(current)
                    try:
                        current = urljoin(current, response.headers["location"])
                    except ValueError:
                        raise FetchRefused(
                            gettext_noop("The site redirected to a malformed address.")
                        ) from None
                    continue
                return read(response, current, accept, max_bytes, deadline, redirects)


def read(response, url, accept, max_bytes, deadline: Deadline, redirects) -> Fetched:
    media_type, _, params = response.headers.get("content-type", "").partition(";")
    media_type = media_type.strip().lower()
    charset = ""
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", params, re.I)
    if match:
        charset = match.group(1)
    fetched_at = timezone.now()
    if response.status_code == 304:
        return Fetched(url, 304, media_type, charset, b"", fetched_at, dict(response.headers))
    if response.status_code >= 400:
        raise FetchError(
            gettext_noop("The site answered %(status)s %(reason)s."),
            status=response.status_code,
            reason=response.reason or "",
        )
    if media_type not in accept:
        if not media_type:
            raise FetchRefused(
                gettext_noop(
                    "This address serves no content type, not a web page or feed we can read."
                )
            )
        raise FetchRefused(
            gettext_noop("This address serves %(type)s, not a web page or feed we can read."),
            type=media_type,
        )
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_large(max_bytes)
    chunks, size = [], 0
    try:
        for chunk in response.iter_content(64 * 1024):
            size += len(chunk)
            if size > max_bytes:
                raise too_large(max_bytes)
            chunks.append(chunk)
    except (requests.RequestException, OSError) as error:
        if deadline.expired:
            raise deadline.error() from None
        raise FetchError(
            gettext_noop("The page could not be read to the end (%(error)s)."), error=str(error)
        ) from None
    # A page sent until the connection closes looks complete when the deadline closed it.
    if deadline.expired:
        raise deadline.error()
    return Fetched(
        url,
        response.status_code,
        media_type,
        charset,
        b"".join(chunks),
        fetched_at,
        dict(response.headers),
        redirects,
    )
