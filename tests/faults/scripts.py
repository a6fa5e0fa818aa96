"""Child processes for the fault tests (run with `python -m tests.faults.scripts ROLE`)."""

import os
import sys
import time

import django


def writer(seconds: float) -> None:
    """Create claims in a loop; print each id only after its commit returned (acknowledged)."""
    from django.db import DatabaseError, close_old_connections, connection

    from claims.models import Claim

    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline:
        n += 1
        try:
            claim = Claim.objects.create(
                text=f"Write under load {n}", slug=f"load-{os.getpid()}-{n}"
            )
        except DatabaseError as error:
            print(f"error {type(error).__name__}", flush=True)
            connection.close()  # a broken connection is replaced on the next query
            time.sleep(0.05)
            continue
        print(f"ack {claim.pk}", flush=True)
        close_old_connections()
        time.sleep(0.01)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    django.setup()
    writer(float(sys.argv[2]))
