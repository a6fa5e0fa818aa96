"""`manage.py import_data FILE`: load an export into an empty database, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.portability import ImportRefused, import_from


class Command(BaseCommand):
    help = "Import a file written by export_data into a freshly migrated, empty database."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options) -> None:
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            with path.open(encoding="utf-8") as stream:
                header = import_from(stream)
        except ImportRefused as error:
            raise CommandError(str(error)) from None
        total = sum(header["counts"].values())
        self.stdout.write(f"Imported {total} rows; counts and sha256 match the export.")
