"""
A process killed in the middle of an import leaves no half-saved chain.

Each test runs the importer in a child process against a throwaway database (a SQLite file,
or a PostgreSQL database when the suite runs on PostgreSQL), kills it with SIGKILL at a
chosen point, and then looks at what the database kept.
"""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent
PAGE = b"<html><head><title>Denial</title></head><body><p>It's fake.</p></body></html>"


@pytest.fixture
def database_url(tmp_path):
    """A migrated throwaway database holding one import job."""
    if connection.vendor == "postgresql":
        import psycopg

        server = "postgres://postgres@127.0.0.1:5432"
        name = f"fc_killed_{os.getpid()}"
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {name}")
        url = f"{server}/{name}"
    else:
        url = f"sqlite:///{tmp_path / 'killed.sqlite3'}"
    run_child(url, "migrate")
    run_child(url, "job")
    yield url
    if connection.vendor == "postgresql":
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def child_env(url: str) -> dict:
    return {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE"}} | {
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "factcheck.settings",
    }


SNIPPETS = {
    "migrate": (
        "from django.core.management import call_command; call_command('migrate', verbosity=0)"
    ),
    "job": f"from claims.models import ImportJob; ImportJob.objects.create(source={PAGE!r})",
    "counts": (
        "from claims.models import *; import json; job = ImportJob.objects.get(); "
        "print(json.dumps({m.__name__: m.objects.count() for m in "
        "(Report, Snapshot, Claim, Carriage, Response, Actor, Outlet, HistoryEntry)} "
        "| {'job': job.status}))"
    ),
}


def run_child(url: str, snippet: str) -> str:
    code = "import django; django.setup(); " + SNIPPETS[snippet]
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=child_env(url),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def kill_when(url: str, role: str, signal_line: str) -> None:
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.faults.scripts", role],
        cwd=BASE_DIR,
        env=child_env(url),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = child.stdout.readline()
        assert line.strip() == signal_line, child.stderr.read()[-2000:]
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL


def test_killed_during_confirmation_saves_nothing(database_url):
    import json

    kill_when(database_url, "confirm", "inside the transaction")
    counts = json.loads(run_child(database_url, "counts"))
    assert counts == {
        "Report": 0,
        "Snapshot": 0,
        "Claim": 0,
        "Carriage": 0,
        "Response": 0,
        "Actor": 0,
        "Outlet": 0,
        "HistoryEntry": 0,
        "job": "queued",
    }


def test_killed_worker_leaves_the_job_unfinished_and_no_records(database_url):
    import json

    kill_when(database_url, "extract", "extracting")
    counts = json.loads(run_child(database_url, "counts"))
    assert counts.pop("job") == "extracting"  # the desk shows it stalled; the editor retries
    assert set(counts.values()) == {0}
