"""
Who is asking, and how often: API keys and per-address limits.

Anyone may read without a key, within ANON_PER_MINUTE requests a minute per address. A key
(sent as `X-API-Key`) lifts that to the key's own limit and counts every use; a key that is
wrong or revoked is refused (401), never quietly treated as anonymous.

Limits are fixed one-minute windows counted in the shared cache, so they hold across app
servers when the cache is Redis. The address is the client's as the log-in limits see it
(claims/lockout.py `client_address`: behind TRUSTED_PROXY_COUNT proxies, the entry they
appended), so readers behind a proxy are not all one address. The two limits share that and
nothing else: a log-in locks after failed attempts (axes' rows, a cool-off), a read is
counted per minute, so each keeps its own counting.

A key's uses are counted in the cache and added to the database in batches (`count_use`),
not with a write per request.
"""

import atexit
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import APIKeyHeader
from ninja.throttling import BaseThrottle

from claims.lockout import client_address
from claims.models import ApiKey

logger = logging.getLogger(__name__)

HEADER = "X-API-Key"
WINDOW = 60  # seconds


def now() -> float:
    return time.time()


def anon_per_minute() -> int:
    return getattr(settings, "API_ANON_PER_MINUTE", 60)


@dataclass(frozen=True)
class Anonymous:
    """An anonymous reader (truthy, so that ninja counts the request as authenticated)."""

    address: str

    def __bool__(self) -> bool:
        return True


class KeyAuth(APIKeyHeader):
    """The partner's key, if one was sent; a bad or revoked key is a 401."""

    param_name = HEADER

    def __init__(self, *, required: bool):
        self.required = required
        super().__init__()

    def authenticate(self, request: HttpRequest, key: str | None):
        if not key:
            if self.required:
                raise AuthenticationError(401, "This endpoint needs an API key (X-API-Key).")
            return None
        api_key = ApiKey.objects.matching(key)
        if api_key is None:
            raise AuthenticationError(401, "This API key is not valid or has been revoked.")
        count_use(api_key)
        return api_key


def anonymous(request: HttpRequest) -> Anonymous:
    return Anonymous(address=client_address(request) or "")


# Uses of keys: a counter per key in the cache, added to the database by whichever request
# finds it at USES_PER_WRITE uses, or first in a USES_WRITE_SECONDS window, so a busy key costs
# one write per 100 requests or per minute instead of one per request. The database's count
# plus the cached counters is the true count at every moment (a write takes from the counter
# exactly what it adds); what a process still holds is written when it exits, or at the key's
# next use. With the per-process default cache each process keeps its own counters.
USES_PER_WRITE = 100
USES_WRITE_SECONDS = 60
_counted_here: set[int] = set()  # keys this process counted, for the write at exit


def _uses_key(pk: int) -> str:
    return f"api-key-uses:{pk}"


def count_use(api_key: ApiKey) -> None:
    key = _uses_key(api_key.pk)
    _counted_here.add(api_key.pk)
    if cache.add(key, 1, None):
        pending = 1
    else:
        try:
            pending = cache.incr(key)
        except ValueError:  # evicted between add and incr
            cache.add(key, 0, None)
            pending = cache.incr(key)
    window_open = cache.add(f"api-key-uses-written:{api_key.pk}", 1, USES_WRITE_SECONDS)
    if pending >= USES_PER_WRITE or window_open:
        write_uses(api_key.pk)


def write_uses(pk: int) -> int:
    """Add a key's counted uses to the database; returns how many."""
    key = _uses_key(pk)
    pending = cache.get(key) or 0
    if pending <= 0:
        return 0
    try:
        cache.decr(key, pending)  # uses counted meanwhile stay in the counter
    except ValueError:
        return 0
    ApiKey.objects.filter(pk=pk).update(
        use_count=F("use_count") + pending, last_used_at=timezone.now()
    )
    return pending


def write_all_uses(pks=None) -> None:
    """Write the counted uses of these keys (or of every key this process counted)."""
    for pk in list(_counted_here if pks is None else pks):
        write_uses(pk)


@atexit.register
def _write_uses_at_exit() -> None:
    try:
        write_all_uses()
    except Exception:
        logger.warning("API key uses not written at exit", exc_info=True)


# Reads take a key or none; webhooks need one.
optional_key = [KeyAuth(required=False), anonymous]
required_key = [KeyAuth(required=True)]


class PerMinute(BaseThrottle):
    """A key's own limit per minute, or the anonymous limit per address."""

    def allow_request(self, request: HttpRequest) -> bool:
        who = getattr(request, "auth", None)
        if isinstance(who, ApiKey):
            ident, limit = f"key:{who.pk}", who.requests_per_minute
        else:
            ident, limit = f"addr:{client_address(request) or ''}", anon_per_minute()
        moment = now()
        window = int(moment // WINDOW)
        self.retry_after = (window + 1) * WINDOW - moment
        key = f"api-throttle:{ident}:{window}"
        if cache.add(key, 1, WINDOW + 5):
            return True
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, WINDOW + 5)
            return True
        return count <= limit

    def wait(self) -> float:
        return max(1.0, self.retry_after)
