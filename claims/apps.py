"""The claims app: the newsroom's domain."""

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.urls import register_converter


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims and denials"

    def ready(self) -> None:
        from .ids import IdConverter
        from .models import Carriage, Claim, Report, Response, Verdict, derived
        from .roles import ensure_role_groups

        # `<id:pk>` in every URLconf: ids that fit the database, so any other number is a 404.
        register_converter(IdConverter, "id")
        # And in queries, a number no id column can hold matches nothing instead of failing.
        from . import lookups  # noqa: F401  (registers them)

        post_migrate.connect(ensure_role_groups, sender=self)
        # A claim's stored position, rating and search document follow its chain.
        for model in (Claim, Carriage, Response, Verdict, Report):
            post_save.connect(derived.keep_claims_in_step, sender=model)
            post_delete.connect(derived.keep_claims_in_step, sender=model)
