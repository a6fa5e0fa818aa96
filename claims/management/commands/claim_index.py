"""`manage.py claim_index`: rebuild this server's nearest-neighbour index file of claim vectors
from the database (claims/vector_index.py; docs/deploy.md says when to run it)."""

import time

from django.core.management.base import BaseCommand

from claims import vector_index, vectors


class Command(BaseCommand):
    help = "Rebuild the claim vector index file from the database."

    def handle(self, *args, **options) -> None:
        encoder = vectors.encoder()
        started = time.perf_counter()
        count, covers = vector_index.build(encoder.name, encoder.dims)
        vector_index.forget()
        self.stdout.write(f"{vector_index.index_path(encoder.name)}: {count} vectors up to id "
                          f"{covers}, built in {time.perf_counter() - started:.1f} s.")  # fmt: skip
