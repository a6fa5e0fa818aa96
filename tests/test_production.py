"""Production settings and failure behaviour: deploy checks, security headers, database down."""

import os
import subprocess
import sys
from http import HTTPStatus
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "x7Gq2vLr9TzWm4Np8Bc1Hs6Yk3Jd5Fa0Qe-Ru_Vo-production-like-key-for-the-check",
    "ALLOWED_HOSTS": "factcheck.example.org",
    # Production sends the desk's emails for real (the console mailer fails the deploy check).
    "EMAIL_URL": "smtp+tls://desk:secret@mail.example.org:587",
}


def test_deploy_check_reports_nothing_with_production_settings():
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=BASE_DIR,
        env=env | PRODUCTION_ENV,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get(reverse("claims:home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-eval" not in policy
    assert "unsafe-inline" not in policy
    assert "object-src 'none'" in policy
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_htmx_runs_without_eval(client):
    html = client.get(reverse("claims:home")).content.decode()
    assert '"allowEval": false' in html


@pytest.fixture
def database_down():
    """Every query fails as it does when PostgreSQL is unreachable (undone before db teardown)."""

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    with (
        mock.patch.object(CursorWrapper, "execute", refuse),
        mock.patch.object(CursorWrapper, "executemany", refuse),
    ):
        yield


def test_readers_get_a_plain_503_while_the_database_is_down(database_down):
    client = Client(raise_request_exception=False)
    response = client.get(reverse("claims:home"))
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert "Temporarily unavailable" in body
    assert "Traceback" not in body
    assert "OperationalError" not in body


def test_unknown_pages_get_a_helpful_404(client):
    response = client.get(reverse("claims:claim_detail", args=["no-such-claim"]))
    assert response.status_code == HTTPStatus.NOT_FOUND
    html = response.content.decode()
    assert "Not found" in html
    assert f'action="{reverse("claims:claim_list")}"' in html  # a way on: search the claims
