"""A local HTTP server for importer and watcher tests: serves canned responses, records hits."""

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path

from django.core.management import call_command


@dataclass
class Page:
    body: bytes = b""
    status: int = 200
    headers: dict = field(default_factory=dict)
    content_type: str = "text/html; charset=utf-8"
    delay: float = 0.0
    # Send no Content-Length and close the connection to end the body.
    stream: bool = False


class LocalServer:
    """Serve `pages` (path → Page or callable(handler) → Page) on 127.0.0.1; record each hit."""

    def __init__(self):
        self.pages: dict = {}
        self.hits: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output quiet
                pass

            def do_GET(self):
                server.hits.append({"path": self.path, "headers": dict(self.headers)})
                page = server.pages.get(self.path.split("?")[0])
                if callable(page):
                    page = page(self)
                if page is None:
                    page = Page(b"not found", status=404, content_type="text/plain")
                if page.delay:
                    time.sleep(page.delay)
                self.send_response(page.status)
                if page.content_type:
                    self.send_header("Content-Type", page.content_type)
                for name, value in page.headers.items():
                    self.send_header(name, value)
                if page.stream:
                    self.send_header("Connection", "close")
                    self.end_headers()
                    for start in range(0, len(page.body), 65536):
                        self.wfile.write(page.body[start : start + 65536])
                    self.close_connection = True
                    return
                self.send_header("Content-Length", str(len(page.body)))
                self.end_headers()
                self.wfile.write(page.body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def serve(settings, *, loopback: bool):
    """
    Run a LocalServer for one test (use it from a fixture with `yield from`). Its port is
    allowed; loopback addresses are reachable only when `loopback` is set, which is the
    test-only exception to the SSRF rules.
    """
    with LocalServer() as server:
        settings.IMPORTER_ALLOWED_PORTS = (80, 443, server.port)
        settings.IMPORTER_ALLOW_LOOPBACK = loopback
        yield server


# Real pages and feeds with their upstream ground truth; tests/corpus/README.md names each source.
CORPUS = Path(__file__).parent / "corpus"
FIXTURES = Path(__file__).parent / "fixtures"


def run_worker() -> None:
    """Run the database task worker over everything queued, then return."""
    call_command(
        "db_worker",
        "--batch",
        "--no-startup-delay",
        "--no-reload",
        stdout=StringIO(),
        stderr=StringIO(),
    )
