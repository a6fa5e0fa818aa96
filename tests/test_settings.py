"""Start-up configuration errors are one clear line, never a traceback."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent


def run_check(**env) -> subprocess.CompletedProcess:
    environment = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY", "DEBUG"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DATABASE_URL": "mysql://root@localhost/x"}, "unknown scheme"),
        ({"DATABASE_URL": "postgres://user@host:notaport/db"}, "malformed"),
        ({"DATABASE_URL": "postgres://user@host:5432/"}, "must name one database"),
        ({"DATABASE_URL": "sqlite://"}, "names no SQLite file"),
        ({"DEBUG": "false"}, "SECRET_KEY must be set"),
        ({"DEBUG": "maybe"}, "not a boolean"),
        ({"DEBUG": "false", "SECRET_KEY": "x" * 50}, "ALLOWED_HOSTS must be set"),
        ({"CACHE_URL": "memcached://127.0.0.1:11211"}, "CACHE_URL has an unknown scheme"),
        ({"DATABASE_REPLICA_URLS": "mysql://replica/x"}, "DATABASE_REPLICA_URLS has an unknown"),
    ],
)
def test_bad_configuration_gives_one_line(env, message):
    result = run_check(**env)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("factcheck: configuration error:")
    assert message in lines[0]


def test_good_configuration_passes_the_check():
    result = run_check(DATABASE_URL="sqlite:///db.sqlite3")
    assert result.returncode == 0, result.stderr
