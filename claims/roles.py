"""Desk roles. Each role is a Group (created by a data migration) carrying model permissions."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission

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
