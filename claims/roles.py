"""Desk roles. Each role is a Group (created by a data migration) carrying model permissions,
and one decorator (`role_required`) that every desk and importer view checks them with.

Editors log chains and draft verdicts; reviewers are second editors who may also approve or
return other editors' work (the review gate, models/writing.py, checks that again)."""

import logging
from collections.abc import Callable
from functools import wraps

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

logger = logging.getLogger("claims.desk.views")

EDITOR = "editor"
REVIEWER = "reviewer"
ROLES = (EDITOR, REVIEWER)

# Editors log chains and draft verdicts; reviewers may also approve them.
EDITOR_PERMISSIONS = [
    f"{action}_{model}"
    for model in (
        "tag",
        "outlet",
        "actor",
        "report",
        "snapshot",
        "claim",
        "carriage",
        "response",
        "verdict",
        "correction",
    )
    for action in ("add", "change", "view")
]
REVIEWER_PERMISSIONS = [*EDITOR_PERMISSIONS, "review_verdict"]
ROLE_PERMISSIONS = {EDITOR: EDITOR_PERMISSIONS, REVIEWER: REVIEWER_PERMISSIONS}


def role_group(role: str, *, using: str = "default") -> Group:
    """The role's group, re-created with its permissions if it has gone (e.g. after `flush`)."""
    group, created = Group.objects.using(using).get_or_create(name=role)
    if created:
        group.permissions.set(
            Permission.objects.using(using).filter(
                content_type__app_label="claims", codename__in=ROLE_PERMISSIONS[role]
            )
        )
    return group


def ensure_role_groups(sender, using: str = "default", **kwargs) -> None:
    """post_migrate: `flush` empties auth tables and recreates permissions, but not groups."""
    for role in ROLES:
        role_group(role, using=using)


def is_editor(user: AbstractBaseUser | AnonymousUser) -> bool:
    return user.is_authenticated and user.has_perm("claims.change_claim")


def is_reviewer(user: AbstractBaseUser | AnonymousUser) -> bool:
    return user.is_authenticated and user.has_perm("claims.review_verdict")


def grant_role(user, role: str) -> None:
    """Put a user in a role's group; desk roles also give access to the admin."""
    if role not in ROLES:
        raise ValueError(f"Unknown role {role!r}; choose one of {', '.join(ROLES)}.")
    user.groups.add(role_group(role))
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


def role_required(check: Callable) -> Callable:
    """Anonymous users go to the login page (htmx: a client-side redirect); signed-in users
    without the role get 403, logged (ASVS 16.3.2)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                if getattr(request, "htmx", False):
                    page = request.htmx.current_url_abs_path or request.get_full_path()
                    query = urlencode({REDIRECT_FIELD_NAME: page})
                    return HttpResponseClientRedirect(f"{resolve_url('login')}?{query}")
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                logger.warning(
                    "desk: refused %s %s to user %s", request.method, request.path, request.user.pk
                )
                raise PermissionDenied(_("The desk is for editors and reviewers."))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


editor_required = role_required(is_editor)
reviewer_required = role_required(is_reviewer)
