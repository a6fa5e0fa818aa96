"""
PostgreSQL restarts under a write load: no acknowledged write is lost, and the app serves again
within 5 s. It runs against its own throwaway cluster (port 5433) so restarting it disturbs
nothing else; `make test-faults` runs it (CI does too).
"""

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg
import pytest

pytestmark = pytest.mark.fault

BASE_DIR = Path(__file__).resolve().parents[2]
VERSION = os.environ.get("PG_VERSION") or sorted(os.listdir("/etc/postgresql"))[-1]
CLUSTER, PORT = "faults", 5433
SERVER = f"postgres://postgres@127.0.0.1:{PORT}"
DATABASE_URL = f"{SERVER}/fc_faults"
APP_PORT = 8799


def cluster_command(*args: str) -> None:
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", VERSION, CLUSTER, *args],
        check=True,
        capture_output=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def fault_cluster():
    """A PostgreSQL cluster of our own, created on first use (trust auth on loopback)."""
    if not Path(f"/etc/postgresql/{VERSION}/{CLUSTER}").exists():
        subprocess.run(
            ["pg_createcluster", VERSION, CLUSTER, "-p", str(PORT), "--", "--auth=trust"],
            check=True,
            capture_output=True,
            timeout=120,
        )
    try:
        cluster_command("start")
    except subprocess.CalledProcessError as error:
        if b"already running" not in error.stderr:
            raise
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute("DROP DATABASE IF EXISTS fc_faults WITH (FORCE)")
        connection.execute("CREATE DATABASE fc_faults")
    environment = app_environment()
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"],
        cwd=BASE_DIR,
        env=environment,
        check=True,
        timeout=300,
    )
    subprocess.run(
        [sys.executable, "manage.py", "seed"],
        cwd=BASE_DIR,
        env=environment,
        check=True,
        timeout=120,
        capture_output=True,
    )
    yield
    cluster_command("stop")


def app_environment() -> dict:
    return {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
    } | {
        "DATABASE_URL": DATABASE_URL,
        "DEBUG": "false",
        "SECRET_KEY": "fault-test-" + "s" * 60,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "PYTHONPATH": str(BASE_DIR),
    }


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def test_restart_under_write_load_loses_no_acknowledged_write(fault_cluster):
    environment = app_environment()
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=BASE_DIR,
        env=environment,
        check=True,
        timeout=120,
    )
    app = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "factcheck.wsgi",
            "--bind",
            f"127.0.0.1:{APP_PORT}",
            "--workers",
            "1",
            "--worker-class",
            "gthread",
            "--threads",
            "4",
            "--log-level",
            "error",
        ],
        cwd=BASE_DIR,
        env=environment,
    )
    page = f"http://127.0.0.1:{APP_PORT}/claims/umerov-refused-to-return-to-ukraine/"
    writer = None
    try:
        deadline = time.monotonic() + 30
        while status_of(page) != 200:
            assert time.monotonic() < deadline, "the app never came up"
            time.sleep(0.2)
        writer = subprocess.Popen(
            [sys.executable, "-m", "tests.faults.scripts", "writer", "8"],
            cwd=BASE_DIR,
            env=environment,
            stdout=subprocess.PIPE,
            text=True,
        )
        time.sleep(2)
        cluster_command("restart", "-m", "fast")
        restarted = time.monotonic()
        while status_of(page) != 200:
            assert time.monotonic() - restarted < 5, "the app did not serve again within 5 s"
            time.sleep(0.1)
        recovered_in = time.monotonic() - restarted
        output, _ = writer.communicate(timeout=60)
    finally:
        if writer and writer.poll() is None:
            writer.kill()
        app.terminate()
        app.wait(timeout=30)

    acknowledged = [int(line.split()[1]) for line in output.splitlines() if line.startswith("ack")]
    failures = [line for line in output.splitlines() if line.startswith("error")]
    assert len(acknowledged) > 50, output[-500:]
    assert failures, "the restart should have interrupted some writes"
    with psycopg.connect(DATABASE_URL) as connection:
        stored = {
            row[0]
            for row in connection.execute(
                "SELECT id FROM claims_claim WHERE id = ANY(%s)", [acknowledged]
            )
        }
    assert stored == set(acknowledged), f"lost {sorted(set(acknowledged) - stored)}"
    print(f"recovered in {recovered_in:.2f} s; {len(acknowledged)} acknowledged writes kept")
