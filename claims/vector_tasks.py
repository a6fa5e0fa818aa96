"""Claim vectors are computed in the task worker (`manage.py db_worker`), after the write that
changed a claim's text or a carriage's wording has committed."""

from functools import partial

from django.db import transaction
from django.tasks import task


@task
def refresh_claim_vectors(claim_id: int) -> int:
    """Encode what changed of one claim, then add it to this server's index file if it is due
    (claims/vector_index.py)."""
    from claims import vector_index, vectors

    count = vectors.refresh([claim_id])
    if count:
        vector_index.save_if_behind()
    return count


def enqueue_refresh(claim_id: int | None) -> None:
    if claim_id is not None:
        transaction.on_commit(partial(refresh_claim_vectors.enqueue, claim_id))
