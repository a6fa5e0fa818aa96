"""`manage.py demo_accounts`: the local demo's editor and reviewer logins (DEBUG only)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import translation

from claims.roles import EDITOR, REVIEWER, grant_role

DEMO_ACCOUNTS = {EDITOR: "editor-demo-2025", REVIEWER: "reviewer-demo-2025"}


class Command(BaseCommand):
    help = "Create or reset the demo accounts editor and reviewer. Refuses when DEBUG is off."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo accounts are for local development; DEBUG is off.")
        for role, password in DEMO_ACCOUNTS.items():
            user, _ = get_user_model().objects.get_or_create(username=role)
            # Known passwords on purpose: these accounts exist only on a developer's machine.
            user.set_password(password)
            user.save()
            grant_role(user, role)
        # SITE_URL is the demo's real address: `make run PORT=...` sets it. Pages are in the
        # site's default language (LANGUAGE_CODE), under its prefix.
        site = settings.SITE_URL
        with translation.override(settings.LANGUAGE_CODE):
            home, login, desk = (reverse(n) for n in ("claims:home", "login", "desk:dashboard"))
        self.stdout.write(
            f"\nfactcheck is starting on {site}{home}\n"
            f"  Log in at {site}{login} (the desk is {site}{desk}) as\n"
            f"    editor   / {DEMO_ACCOUNTS[EDITOR]}\n"
            f"    reviewer / {DEMO_ACCOUNTS[REVIEWER]}\n"
        )
