"""The claims app: the newsroom's domain."""

from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims and denials"
