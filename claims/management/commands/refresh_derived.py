"""`manage.py refresh_derived [--check]`: the stored official position, rating and search
document of every claim, recomputed from its chain (after raw SQL edits or a restore from
elsewhere); `--check` only counts the claims whose stored values disagree with their chain."""

from django.core.management.base import BaseCommand, CommandError

from claims.models import derived


class Command(BaseCommand):
    help = "Recompute every claim's stored official position, rating and search document."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Change nothing; fail if any claim's position or rating is out of step.",
        )

    def handle(self, *args, check: bool, **options) -> None:
        if check:
            stale = derived.stale().count()
            if stale:
                raise CommandError(
                    f"{stale} claim(s) out of step with their chain: run refresh_derived."
                )
            self.stdout.write("Every claim's stored position and rating match its chain.")
            return

        def progress(done: int, span: int) -> None:
            self.stdout.write(f"  {done} claims refreshed")

        total = derived.refresh_all(progress=progress if options["verbosity"] > 1 else None)
        self.stdout.write(self.style.SUCCESS(f"Refreshed {total} claims."))
