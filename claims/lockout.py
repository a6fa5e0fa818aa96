"""
Failed log-ins: django-axes locks one username at one address after AXES_FAILURE_LIMIT
failures. This handler adds a limit per address across usernames, against password spraying:
one address trying a password or two against many usernames never trips the per-username limit.

An address is locked for the cool-off (AXES_COOLOFF_TIME) once failed log-ins for
LOGIN_ADDRESS_USERNAME_LIMIT different usernames have come from it within the cool-off. Each
username counts once however often it failed, and a successful log-in clears its failures
(AXES_RESET_ON_SUCCESS), so a newsroom behind one office address is not locked out because a
few people mistyped: one person mistyping many times locks only their own username there.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The address a log-in comes from. Behind TRUSTED_PROXY_COUNT proxies it is the entry
    they appended to X-Forwarded-For; a client can prepend entries of its own, not append."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def address_is_locked(request: HttpRequest) -> bool:
    address = getattr(request, "axes_ip_address", None)
    if not address:
        return False
    usernames = (
        AccessAttempt.objects.filter(
            ip_address=address, attempt_time__gt=get_cool_off_threshold(request)
        )
        .values("username")
        .distinct()
        .count()
    )
    return usernames >= settings.LOGIN_ADDRESS_USERNAME_LIMIT


class AddressLimitHandler(AxesDatabaseHandler):
    """axes' database handler, plus the per-address limit across usernames."""

    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            return True
        request.login_address_locked = address_is_locked(request)
        return request.login_address_locked

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs) -> None:
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is None or request.axes_locked_out or not address_is_locked(request):
            return
        request.login_address_locked = request.axes_locked_out = True
        request.axes_credentials = credentials
        user_locked_out.send(
            "axes",
            request=request,
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address,
        )
