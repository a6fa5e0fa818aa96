"""The claims app: the newsroom's domain."""

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims and denials"

    def ready(self) -> None:
        from .models import Carriage, Claim, Report, Response, Verdict, derived
        from .roles import ensure_role_groups
        from .search import ensure_sqlite_index

        post_migrate.connect(ensure_role_groups, sender=self)
        # SQLite's full-text index of the search terms (claims/search.py).
        post_migrate.connect(ensure_sqlite_index, sender=self)
        # A claim's stored position, rating and search document follow its chain.
        for model in (Claim, Carriage, Response, Verdict, Report):
            post_save.connect(derived.keep_claims_in_step, sender=model)
            post_delete.connect(derived.keep_claims_in_step, sender=model)
