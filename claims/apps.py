"""The claims app: the newsroom's domain."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.urls import register_converter


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims and denials"

    def ready(self) -> None:
        from .ids import IdConverter
        from .roles import ensure_role_groups
        from .search import ensure_sqlite_index

        # `<id:pk>` in every URLconf: ids that fit the database, so any other number is a 404.
        register_converter(IdConverter, "id")
        # And in queries, a number no id column can hold matches nothing instead of failing.
        from . import lookups  # noqa: F401  (registers them)

        # Derived columns and the reader cache follow the chain through the write path
        # (models/writing.py), which calls them itself: no signals.
        post_migrate.connect(ensure_role_groups, sender=self)
        # SQLite's full-text index of the search terms (claims/search.py).
        post_migrate.connect(ensure_sqlite_index, sender=self)
