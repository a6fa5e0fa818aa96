"""Settings for the load benchmark: the real settings plus the floor view's URL and template."""

from factcheck.settings import *  # noqa: F403  (bench-only: the app's settings, unchanged)
from factcheck.settings import TEMPLATES

ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]  # noqa: F405

# Load runs come from one address: the API's per-address limit would answer 429.
API_ANON_PER_MINUTE = 10**9
