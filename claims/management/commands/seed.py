"""`manage.py seed`: load the seed chains from seeds/ (safe to run again)."""

from django.core.management.base import BaseCommand

from claims.seeding import load_all_seeds


class Command(BaseCommand):
    help = "Load the seed chains from seeds/*.json. Existing rows are left untouched."

    def handle(self, *args, **options) -> None:
        created = load_all_seeds()
        if created:
            summary = ", ".join(
                f"{count} {name.lower()}" for name, count in sorted(created.items())
            )
            self.stdout.write(self.style.SUCCESS(f"Seeded: {summary}."))
        else:
            self.stdout.write("Seed data already loaded; nothing changed.")
