"""
A change made through one process is seen through every other on the next request.

Two real servers (gunicorn, one worker each, so two processes with caches of their own unless
the cache is Redis) share a throwaway database (a SQLite file, or a PostgreSQL database when
the suite runs on PostgreSQL). Both cache the seed claim's page for anonymous readers. Then:

- a reviewer approves an editor's new response through server A's desk: server B's next
  anonymous request shows it;
- a third process (as a management command or the task worker would) withdraws the claim's
  verdict: both servers' next requests show the notice.

Run with the default per-process cache (`locmem://`) and with Redis (skipped when no Redis
answers at 127.0.0.1:6379; `.ci/run` starts one).
"""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent
SLUG = "umerov-refused-to-return-to-ukraine"
PASSWORD = "a long test password 42"
QUOTE = "Cache test: the minister is on a working trip"


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture
def database_url(tmp_path):
    if connection.vendor == "postgresql":
        import psycopg

        server = "postgres://postgres@127.0.0.1:5432"
        name = f"fc_cache_processes_{os.getpid()}"
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {name}")
        yield f"{server}/{name}"
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    else:
        yield f"sqlite:///{tmp_path / 'processes.sqlite3'}"


def child_env(database_url: str, cache_url: str) -> dict:
    return os.environ | {
        "DATABASE_URL": database_url,
        "CACHE_URL": cache_url,
        "DJANGO_SETTINGS_MODULE": "factcheck.settings",
        "DEBUG": "true",
    }


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def python(env: dict, code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict) -> tuple[subprocess.Popen, str]:
    port = free_port()
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    server = subprocess.Popen(
        [gunicorn, "factcheck.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1",
         "--log-level", "warning"],
        cwd=BASE_DIR,
        env=env,
        start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/uk/methodology/", timeout=5):
                return server, base
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise AssertionError(f"the server on port {port} did not start")


def read(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode()


class Desk:
    """A signed-in desk user on one server (cookies, CSRF)."""

    def __init__(self, base: str, username: str) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        page = self.opener.open(base + "/uk/accounts/login/", timeout=30).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        self.post("/uk/accounts/login/", username=username, password=PASSWORD, token=token)
        assert any(cookie.name == "sessionid" for cookie in self.cookies), "login failed"

    def post(self, path: str, token: str | None = None, **fields) -> int:
        token = token or next(c.value for c in self.cookies if c.name == "csrftoken")
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(self.base + path, data=data, method="POST")
        with self.opener.open(request, timeout=60) as response:
            return response.status


@pytest.mark.parametrize("cache_url", ["locmem://", "redis://127.0.0.1:6379/7"])
def test_a_change_through_one_process_is_seen_through_the_others(database_url, cache_url):
    if cache_url.startswith("redis") and not redis_answers():
        pytest.skip("no Redis at 127.0.0.1:6379 (.ci/run starts one)")
    env = child_env(database_url, cache_url)
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "seed")
    for name, role in (("cache-editor", "editor"), ("cache-reviewer", "reviewer")):
        manage(env, "create_user", name, "--role", role, "--password", PASSWORD, "--no-input")
    servers = [start_server(env), start_server(env)]
    try:
        (_, a), (_, b) = servers
        page = f"/uk/claims/{SLUG}/"  # the servers run with the default language, uk
        for base in (a, b):  # each caches the page (twice: the second is a hit)
            assert QUOTE not in read(base + page)
            assert QUOTE not in read(base + page)

        # An editor's response, pending: readers see nothing yet.
        fingerprint = python(
            env,
            "from django.contrib.auth.models import User\n"
            "from claims.models import Actor, Claim, Response, writing\n"
            f"claim = Claim.objects.get(slug={SLUG!r})\n"
            "writing.create(Response, by=User.objects.get(username='cache-editor'), values={\n"
            "    'claim': claim, 'responder': Actor.objects.order_by('pk').first(),\n"
            f"    'stance': 'denies', 'attribution': 'spokesperson', 'quote': {QUOTE!r}}})\n"
            "print(writing.claim_fingerprint(claim))",
        )
        assert QUOTE not in read(b + page)

        # Approved through server A's desk: server B's very next request shows it.
        reviewer = Desk(a, "cache-reviewer")
        reviewer.post(f"/uk/desk/review/{SLUG}/approve/", fingerprint=fingerprint)
        assert QUOTE in read(b + page)
        assert QUOTE in read(a + page)
        assert QUOTE in read(b + "/uk/feeds/denied.rss") or QUOTE in read(b + "/uk/")

        # A third process (a management command, the task worker) withdraws the verdict.
        python(
            env,
            "from django.contrib.auth.models import User\n"
            "from claims.models import Claim\n"
            f"verdict = Claim.objects.get(slug={SLUG!r}).verdicts.get(state='published')\n"
            "verdict.withdraw(by=User.objects.get(username='cache-reviewer'),\n"
            "                 reason='Cache test: new evidence')",
        )
        for base in (a, b):
            assert "Cache test: new evidence" in read(base + page)
    finally:
        for server, _ in servers:
            server.terminate()
            server.wait(timeout=30)
