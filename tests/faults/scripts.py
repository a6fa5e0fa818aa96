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


def confirm_then_hang() -> None:
    """Confirm an import, but stop for good half-way: after the report, snapshot, claim and
    carriage are written and before the response, inside the one transaction."""
    from claims.importer import pipeline
    from claims.models import ImportJob

    job = ImportJob.objects.get()
    # The importer writes through the one write path: hang when it comes to the response.
    real_create = pipeline.writing.create

    def hang(model, **kwargs):
        if model is pipeline.Response:
            print("inside the transaction", flush=True)
            time.sleep(600)  # the parent kills us here
        return real_create(model, **kwargs)

    pipeline.writing.create = hang
    pipeline.confirm(
        pipeline.Confirmation(
            outlet_name="Interfax-Ukraine",
            title="President's Office denies reports that Umerov refuses to return",
            canonical_url="https://interfax.example/news/1",
            claim_text="Umerov refused to return to Ukraine",
            claimant="Clash Report",
            responder="President's Office",
            stance="denies",
            attribution="anonymous_source",
            quote="It's fake",
        ),
        by=None,
        job=job,
    )


def extract_then_hang() -> None:
    """Run an import job in the worker's code path, hanging while it extracts."""
    from claims.importer import pipeline
    from claims.models import ImportJob

    def hang(*args, **kwargs):
        print("extracting", flush=True)
        time.sleep(600)

    pipeline.read_article = hang
    pipeline.run_import(ImportJob.objects.get())


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    django.setup()
    role = sys.argv[1]
    if role == "writer":
        writer(float(sys.argv[2]))
    elif role == "confirm":
        confirm_then_hang()
    elif role == "extract":
        extract_then_hang()
