"""Real-browser tests: Playwright driving Debian's Chromium against pytest-django's live_server.

Playwright cannot download its own browser here, so it launches /usr/bin/chromium (override
with CHROMIUM_PATH). Every test in this folder is marked `browser`.
"""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"

# The sync Playwright API runs an event loop in the test thread; Django's ORM calls from the
# test (fixtures, assertions) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def seeded(transactional_db):
    from io import StringIO

    from django.core.management import call_command

    call_command("seed", stdout=StringIO())
