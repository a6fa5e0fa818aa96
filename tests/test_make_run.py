"""`make run`: the port it serves on, and the demo logins it prints with that real address."""

import os
import subprocess
from io import StringIO
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from claims.roles import is_editor, is_reviewer

BASE_DIR = Path(__file__).resolve().parent.parent


def make_run_commands(*args: str) -> str:
    """What `make run` would execute (make -n prints the recipe without running it)."""
    # Not the PORT or make flags of whoever runs the suite (`make test` exports MAKEFLAGS).
    env = {
        k: v for k, v in os.environ.items() if k not in {"PORT", "MAKEFLAGS", "MFLAGS", "MAKELEVEL"}
    }
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", "run", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


def test_make_run_serves_on_8000_by_default():
    commands = make_run_commands()
    assert "manage.py runserver 127.0.0.1:8000\n" in commands
    assert "SITE_URL=http://127.0.0.1:8000 .venv/bin/python manage.py demo_accounts" in commands


def test_make_run_takes_port_and_passes_the_address_to_every_process():
    commands = make_run_commands("PORT=8123")
    assert "manage.py runserver 127.0.0.1:8123\n" in commands
    assert "8000" not in commands
    # The printed logins, and the worker and server (feed links, ClaimReview), all get it.
    assert "SITE_URL=http://127.0.0.1:8123 .venv/bin/python manage.py demo_accounts" in commands
    assert "export SITE_URL=http://127.0.0.1:8123;" in commands


def test_demo_accounts_print_the_real_address(db, settings):
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SITE_URL = "http://127.0.0.1:8123"
    out = StringIO()
    call_command("demo_accounts", stdout=out)
    printed = out.getvalue()
    assert f"factcheck is starting on http://127.0.0.1:8123{reverse('claims:home')}" in printed
    assert f"Log in at http://127.0.0.1:8123{reverse('login')}" in printed
    assert f"the desk is http://127.0.0.1:8123{reverse('desk:dashboard')}" in printed
    assert "8000" not in printed
    users = get_user_model().objects
    assert is_editor(users.get(username="editor")) and is_reviewer(users.get(username="reviewer"))
