"""
Who is asking, and how often: API keys and per-address limits.

Anyone may read without a key, within ANON_PER_MINUTE requests a minute per address. A key
(sent as `X-API-Key`) lifts that to the key's own limit and counts every use; a key that is
wrong or revoked is refused (401), never quietly treated as anonymous.

Limits are fixed one-minute windows counted in the shared cache, so they hold across app
servers when the cache is Redis.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import APIKeyHeader
from ninja.throttling import BaseThrottle

from claims.models import ApiKey

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
        api_key.count_use()
        return api_key


def anonymous(request: HttpRequest) -> Anonymous:
    return Anonymous(address=request.META.get("REMOTE_ADDR", ""))


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
            ident, limit = f"addr:{request.META.get('REMOTE_ADDR', '')}", anon_per_minute()
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
