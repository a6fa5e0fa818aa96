"""`manage.py claim_vectors [--batch N] [--limit N]`: compute the vectors of every claim text
and carriage wording that is missing or out of date (all of them after a change of model), in
batches, and report the time per text with the extrapolation to a million claims."""

import time

from django.core.management.base import BaseCommand, CommandParser

from claims import vectors
from claims.models import Claim


class Command(BaseCommand):
    help = "Compute missing or outdated claim vectors, in batches."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=256, help="Claims per batch.")
        parser.add_argument("--limit", type=int, help="Stop after this many claims (a sample).")

    def handle(self, *args, batch: int, limit: int | None, **options) -> None:
        encoder = vectors.encoder()
        ids = Claim.objects.order_by("pk").values_list("pk", flat=True)
        if limit:
            ids = ids[:limit]
        ids = list(ids)
        started = time.perf_counter()
        encoded = 0
        for start in range(0, len(ids), batch):
            encoded += vectors.refresh(ids[start : start + batch], using=encoder)
        elapsed = time.perf_counter() - started
        self.stdout.write(f"{encoder.name}: {len(ids)} claims checked, {encoded} texts encoded "
                          f"in {elapsed:.1f} s.")  # fmt: skip
        if encoded:
            per_text = elapsed / encoded
            self.stdout.write(f"{per_text * 1000:.1f} ms per text; a million claims would take "
                              f"{per_text * 1_000_000 / 3600:.1f} hours on this machine "
                              "(one thread).")  # fmt: skip
