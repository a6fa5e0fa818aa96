"""The claims app: the newsroom's domain."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims and denials"

    def ready(self) -> None:
        from .roles import ensure_role_groups

        # Derived columns and the reader cache follow the chain through the write path
        # (models/writing.py), which calls them itself: no signals.
        post_migrate.connect(ensure_role_groups, sender=self)
