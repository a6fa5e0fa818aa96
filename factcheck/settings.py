"""
Settings for factcheck, read from the environment.

Development needs nothing set: SQLite in the project folder and DEBUG on. Production values
that are missing or malformed stop start-up with a one-line message instead of a traceback.
"""

import os
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def fail(message: str) -> None:
    """Stop start-up with one line on stderr (SystemExit prints no traceback)."""
    raise SystemExit(f"factcheck: configuration error: {message}")


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    fail(f"{name}={value!r} is not a boolean (use true or false).")
    return default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def database_from_url(url: str, *, name: str = "DATABASE_URL") -> dict:
    """Turn `sqlite:///path` or `postgres://user:pass@host:port/db` into a DATABASES entry."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        fail(f"{name} is malformed ({error}).")
    if parts.scheme == "sqlite":
        path = unquote(parts.path.removeprefix("/")) if parts.path not in ("", "/") else ""
        if not path:
            fail(f"{name} names no SQLite file (use sqlite:///path/to/db.sqlite3).")
        return sqlite_database(Path(path) if Path(path).is_absolute() else BASE_DIR / path)
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        database = unquote(parts.path.removeprefix("/"))
        if not database or "/" in database:
            fail(f"{name} must name one database, like postgres://user@host:5432/factcheck.")
        options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        pool = options.pop("pool", "false").lower() in {"1", "true", "yes"}
        # Page queries are small: starting parallel workers costs more than it saves
        # (20-70 ms on two cores), and so does JIT compiling a query whose estimate is high
        # but whose LIMIT stops it early (2.2 s of JIT for a 14 ms list of outlets at 1M
        # claims). A URL's own ?options=... replaces this.
        options.setdefault("options", "-c max_parallel_workers_per_gather=0 -c jit=off")
        settings: dict = {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": database,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "OPTIONS": options,
            "CONN_HEALTH_CHECKS": True,
            "CONN_MAX_AGE": 0 if pool else 60,
        }
        if pool:
            # A round trip before every loan only where a look at the socket cannot tell.
            from factcheck.db import check_connection

            settings["OPTIONS"]["pool"] = {
                "min_size": 2,
                "max_size": 8,
                "timeout": 10,
                "check": check_connection,
            }
        return settings
    fail(
        f"{name} has an unknown scheme {parts.scheme!r}: "
        "use postgres://user@host:5432/name or sqlite:///path."
    )
    return {}


def sqlite_database(path: Path) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        # IMMEDIATE transactions avoid "database is locked" when two requests write at once.
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


TESTING = "pytest" in sys.modules or (len(sys.argv) > 1 and sys.argv[1] == "test")

DEBUG = env_bool("DEBUG", default=True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        fail("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-not-for-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    fail("ALLOWED_HOSTS must be set when DEBUG is off (comma-separated host names).")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Production hardening: everything secure unless DEBUG (a developer's machine) says otherwise.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", default=False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Scripts only from our own origin or with this response's nonce; never eval.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# Where links in feeds and ClaimReview point when no request is at hand.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = os.environ.get("SITE_NAME", "factcheck")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.syndication",
    "django_htmx",
    "django_tasks_db",
    "axes",
    "ninja",  # the API's documentation page uses its bundled Swagger UI static files
    "claims",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files straight after security, before anything that touches the database.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous readers' pages from the cache, before the rest runs (claims/caching.py).
    "claims.caching.ReaderPagesMiddleware",
    # ETag and Last-Modified answers with 304 for pages and feeds (conditional GET).
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The interface language from the URL's /uk/ or /en/ prefix (claims/locale.py); before
    # CommonMiddleware, as Django asks.
    "claims.locale.InterfaceLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns lockouts into a response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock a username from one address after repeated failures; an hour's cool-off.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# And lock an address once this many different usernames failed from it within the cool-off
# (password spraying); see claims/lockout.py and docs/deploy.md.
AXES_HANDLER = "claims.lockout.AddressLimitHandler"
LOGIN_ADDRESS_USERNAME_LIMIT = int(os.environ.get("LOGIN_ADDRESS_USERNAME_LIMIT", "10"))
# Behind a proxy every log-in comes from the proxy's address: take the client's from the entry
# the proxies appended to X-Forwarded-For (how many proxies: TRUSTED_PROXY_COUNT).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1" if BEHIND_TLS_PROXY else "0"))
AXES_CLIENT_IP_CALLABLE = "claims.lockout.client_address"
AXES_VERBOSE = False
# Editor desk (issue 4): a locked-out login gets this page (with axes' 429 status).
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Background work (fetching, archiving, feed polling) runs in `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

ROOT_URLCONF = "factcheck.urls"
WSGI_APPLICATION = "factcheck.wsgi.application"
ASGI_APPLICATION = "factcheck.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(os.environ["DATABASE_URL"])
    if os.environ.get("DATABASE_URL")
    else sqlite_database(BASE_DIR / "db.sqlite3")
}


def cache_from_url(url: str, *, fragments: bool = False) -> dict:
    """`locmem://` (default, per process) or `redis://host:6379/0` (shared by all servers).
    With `fragments`, the cache of the pieces reader pages share (claims/fragments.py)."""
    scheme = urlsplit(url).scheme
    if scheme == "locmem":
        # Room for a newsroom's pages (Django's default keeps 300): the benchmark's 12,131 URLs
        # at 1M claims missed 44% with 3,000. Each worker has its own copy (22 KB a page).
        # Fragments have a cache of their own: a list stores up to 25 rows, which in the
        # pages' cache evicted whole pages (locmem hit 56% where Redis hit 94%).
        if fragments:
            entries = int(os.environ.get("LOCMEM_FRAGMENT_ENTRIES", "50000"))
        else:
            entries = int(os.environ.get("LOCMEM_CACHE_ENTRIES", "20000"))
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "factcheck-fragments" if fragments else "factcheck",
            "OPTIONS": {"MAX_ENTRIES": entries},
        }
    if scheme in {"redis", "rediss"}:
        # One Redis for both: its memory limit and eviction policy decide for pages and pieces.
        return {
            "BACKEND": "factcheck.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "fragments" if fragments else "",
        }
    fail(f"CACHE_URL has an unknown scheme {scheme!r}: use locmem:// or redis://host:6379/0.")
    return {}


CACHES = {
    "default": cache_from_url(os.environ.get("CACHE_URL", "locmem://")),
    "fragments": cache_from_url(os.environ.get("CACHE_URL", "locmem://"), fragments=True),
}


def mailer_from_url(url: str) -> dict:
    """A MAILERS entry from `console://` (default: emails are printed), `smtp://user:pass@host:port`,
    `smtp+tls://…` (STARTTLS, port 587 by default) or `smtp+ssl://…` (TLS, port 465)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        fail(f"EMAIL_URL is malformed ({error}).")
    if parts.scheme == "console":
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme in {"smtp", "smtp+tls", "smtp+ssl"}:
        if not parts.hostname:
            fail("EMAIL_URL names no host (use smtp+tls://user:pass@host:587).")
        return {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": parts.hostname,
                "port": port or {"smtp": 25, "smtp+tls": 587, "smtp+ssl": 465}[parts.scheme],
                "username": unquote(parts.username or ""),
                "password": unquote(parts.password or ""),
                "use_tls": parts.scheme == "smtp+tls",
                "use_ssl": parts.scheme == "smtp+ssl",
                "timeout": 20,
            },
        }
    fail(
        f"EMAIL_URL has an unknown scheme {parts.scheme!r}: "
        "use console://, smtp://, smtp+tls:// or smtp+ssl://."
    )
    return {}


# Desk notifications (claims/notifications.py), sent by the task worker.
MAILERS = {"default": mailer_from_url(os.environ.get("EMAIL_URL", "console://"))}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "factcheck@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# How long a CDN or reverse proxy may keep a reader page (s-maxage) and serve it stale while
# fetching a fresh one; with READER_PURGE_URL set, changed pages are purged there at once.
READER_SHARED_MAX_AGE = int(os.environ.get("READER_SHARED_MAX_AGE", "60"))
READER_STALE_WHILE_REVALIDATE = int(os.environ.get("READER_STALE_WHILE_REVALIDATE", "30"))
READER_PURGE_URL = os.environ.get("READER_PURGE_URL", "")
# Seconds a page that gathers many claims (lists, searches, feeds, home, an actor's, outlet's
# or tag's page) is served as rendered, even if a claim on it changed meanwhile: it is
# rendered again at most this often however fast editors approve. A claim's own page is
# always current on the next request. 0: every page current on the next request.
READER_LIST_MAX_AGE = int(os.environ.get("READER_LIST_MAX_AGE", "5"))
# The same for pages of counts over every claim (methodology's published record): each
# rendering scans them all (0.2-0.7 s at 1M claims), and every approval changes the counts.
READER_COUNTS_MAX_AGE = int(os.environ.get("READER_COUNTS_MAX_AGE", "60"))
if READER_PURGE_URL and urlsplit(READER_PURGE_URL).scheme not in {"http", "https"}:
    fail("READER_PURGE_URL must be an http:// or https:// URL (the proxy's purge endpoint).")

# Optional read replicas (PostgreSQL): anonymous reads go there, see claims/routers.py.
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    DATABASES[f"replica{number}"] = database_from_url(url, name="DATABASE_REPLICA_URLS") | {
        "TEST": {"MIRROR": "default"}
    }
if len(DATABASES) > 1:
    DATABASE_ROUTERS = ["claims.routers.PrimaryReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.csrf.CsrfViewMiddleware"),
        "claims.routers.ReplicaReadsMiddleware",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = LOGOUT_REDIRECT_URL = "claims:home"  # in the interface's language

# The interface speaks Ukrainian and English; pages live under /uk/… and /en/…. The default
# language answers an address without a prefix when the browser asks for neither.
LANGUAGES = [("uk", "Українська"), ("en", "English")]
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "uk")
if LANGUAGE_CODE not in dict(LANGUAGES):
    fail(f"LANGUAGE_CODE={LANGUAGE_CODE!r} is not an interface language (use uk or en).")
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our date formats ("17 листопада 2025, 17:55"), see factcheck/formats/.
FORMAT_MODULE_PATH = ["factcheck.formats"]
TIME_ZONE = "Europe/Kyiv"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# In development WhiteNoise serves straight from the app and static/ folders.
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed files in production (after collectstatic); plain files in development.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Importer and feed watcher (claims/importer). Fetches go only to public http(s) addresses on
# ports 80/443; IMPORTER_ALLOW_LOOPBACK is for tests that serve pages from 127.0.0.1 and must
# stay off everywhere else.
IMPORTER_MAX_BYTES = 5 * 1024 * 1024
IMPORTER_MAX_REDIRECTS = 5
IMPORTER_TIMEOUT = 10  # seconds for the whole fetch: connect, headers, body and redirects
# A page nested deeper or with more elements is refused before extraction: either would cost
# the parsers and trafilatura far more than a few seconds.
IMPORTER_MAX_DEPTH = 200
IMPORTER_MAX_ELEMENTS = 20_000
IMPORTER_ALLOW_LOOPBACK = False
IMPORTER_ALLOWED_PORTS = (80, 443)  # tests add their local server's port
IMPORTER_LEAD_THRESHOLD = 50  # feed items scoring this much (0-100) become inbox leads
IMPORTER_RATE_LIMIT = 30  # new imports per editor per IMPORTER_RATE_WINDOW seconds
IMPORTER_RATE_WINDOW = 600

# Similar claims across languages (claims/vectors.py, claims/vector_index.py): the sentence
# encoder by dotted path, and where each server keeps its copy of the nearest-neighbour index.
CLAIM_ENCODER = os.environ.get("CLAIM_ENCODER", "claims.vectors.E5Small")
CLAIM_INDEX_DIR = Path(os.environ.get("CLAIM_INDEX_DIR", BASE_DIR / "var" / "claim-index"))
