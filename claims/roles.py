"""Desk roles. Each role is a Group (created by a data migration) carrying model permissions."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group

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


def is_editor(user: AbstractBaseUser | AnonymousUser) -> bool:
    return user.is_authenticated and user.has_perm("claims.change_claim")


def is_reviewer(user: AbstractBaseUser | AnonymousUser) -> bool:
    return user.is_authenticated and user.has_perm("claims.review_verdict")


def grant_role(user, role: str) -> None:
    """Put a user in a role's group; desk roles also give access to the admin."""
    if role not in ROLES:
        raise ValueError(f"Unknown role {role!r}; choose one of {', '.join(ROLES)}.")
    user.groups.add(Group.objects.get(name=role))
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
