"""Read replicas: with a second PostgreSQL database standing in for a replica, anonymous
reads come from it while editors (session cookie) and all writes use the primary."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
SERVER = os.environ.get("REPLICA_TEST_SERVER", "postgres://postgres@127.0.0.1:5432")
# Per-process names, so two suites running at once do not collide.
PRIMARY, REPLICA = f"fc_router_primary_{os.getpid()}", f"fc_router_replica_{os.getpid()}"


def postgres_available() -> bool:
    try:
        import psycopg

        psycopg.connect(f"{SERVER}/postgres", connect_timeout=2).close()
    except Exception:
        return False
    return True


pytestmark = pytest.mark.skipif(not postgres_available(), reason="needs a PostgreSQL server")


def run(code: str, **env: str) -> str:
    environment = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DATABASE_REPLICA_URLS"}
    }
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=BASE_DIR,
        env=environment
        | {"DJANGO_SETTINGS_MODULE": "factcheck.settings", "ALLOWED_HOSTS": "testserver", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


SETUP = """
import django; django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.utils import timezone
from claims.models import Claim
Claim.objects.create(text="{text}", slug="{slug}", approved_at=timezone.now())  # public
"""


@pytest.fixture
def primary_and_replica():
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        for name in (PRIMARY, REPLICA):
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            connection.execute(f"CREATE DATABASE {name}")
    # Different rows in each, so a page shows which database it read.
    run(
        SETUP.format(text="Seen on the primary", slug="on-primary"),
        DATABASE_URL=f"{SERVER}/{PRIMARY}",
    )
    run(
        SETUP.format(text="Seen on the replica", slug="on-replica"),
        DATABASE_URL=f"{SERVER}/{REPLICA}",
    )
    yield
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        for name in (PRIMARY, REPLICA):
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_anonymous_reads_use_the_replica_and_editors_the_primary(primary_and_replica):
    output = run(
        """
        import django; django.setup()
        from django.test import Client
        from claims.models import Claim

        reader = Client()
        print("reader-replica", reader.get("/en/claims/on-replica/").status_code)
        print("reader-primary", reader.get("/en/claims/on-primary/").status_code)

        editor = Client()
        editor.cookies["sessionid"] = "an-editor-session"
        print("editor-replica", editor.get("/en/claims/on-replica/").status_code)
        print("editor-primary", editor.get("/en/claims/on-primary/").status_code)

        # Outside a reader's request (commands, tasks) reads and writes use the primary.
        Claim.objects.create(text="Written by a task", slug="written")
        print("written-on", Claim.objects.filter(slug="written").count())
        print("router", Claim.objects.all().db)
        """,
        DATABASE_URL=f"{SERVER}/{PRIMARY}",
        DATABASE_REPLICA_URLS=f"{SERVER}/{REPLICA}",
    )
    lines = dict(line.split(" ", 1) for line in output.strip().splitlines())
    assert lines["reader-replica"] == "200"
    assert lines["reader-primary"] == "404"
    assert lines["editor-replica"] == "404"
    assert lines["editor-primary"] == "200"
    assert lines["written-on"] == "1"
    assert lines["router"] == "default"
