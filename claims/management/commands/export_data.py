"""`manage.py export_data FILE`: the whole database as JSON lines with a content hash."""

from pathlib import Path

from django.core.management.base import BaseCommand

from claims.portability import export_to


class Command(BaseCommand):
    help = "Export users and every claims model (history included) to a JSON-lines file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options) -> None:
        with path.open("w", encoding="utf-8") as stream:
            header = export_to(stream)
        total = sum(header["counts"].values())
        self.stdout.write(f"Exported {total} rows to {path} (sha256 {header['sha256']}).")
