"""`manage.py approve_claim SLUG --reviewer USERNAME`: approve a claim's pending work from the
shell, through the write path and its two-person rule (a reviewer who made none of it)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.models import Claim, writing


class Command(BaseCommand):
    help = "Approve all of a claim's pending work as a reviewer who made none of it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--reviewer", required=True, help="The approving reviewer's username.")

    def handle(self, *args, slug: str, reviewer: str, **options) -> None:
        claim = Claim.objects.filter(slug=slug).first()
        if claim is None:
            raise CommandError(f"No claim with the slug {slug!r}.")
        user = get_user_model().objects.filter(username=reviewer).first()
        if user is None:
            raise CommandError(f"No user called {reviewer!r}.")
        try:
            count = writing.approve(claim, by=user)
        except writing.ReviewError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Approved {count} pending change(s) on {claim.slug}.")
