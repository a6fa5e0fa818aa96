"""No lost edits under real concurrency: 20 editors save one claim at once (PostgreSQL only),
whether it is still private (written at once) or public (the edit waits for review)."""

import threading
from http import HTTPStatus

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from claims.models import Claim, HistoryAction, HistoryEntry, PendingChange, writing

from .factories import create_claim, create_editor

SAVERS = 20

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent row locking needs PostgreSQL"
    ),
]


@pytest.fixture
def desk_db(transactional_db):
    """Threads need committed rows, so these tests use real transactions."""


def run_at_once(work) -> list:
    """Run `work(i)` in SAVERS threads released together; each thread has its own connection."""
    barrier = threading.Barrier(SAVERS)
    results: list = [None] * SAVERS

    def worker(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except Exception as error:
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(SAVERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results


def test_twenty_concurrent_saves_through_the_view(desk_db):
    # A private claim: its edits are written to the row at once.
    claim = create_claim(text="Umerov refused to return to Ukraine", approved=False)
    url = reverse("desk:claim_edit", args=[claim.slug])
    clients = []
    for i in range(SAVERS):
        client = Client()
        client.force_login(create_editor(username=f"editor{i}"))
        clients.append(client)

    def save(i: int) -> int:
        data = {
            "text": f"Edit number {i}",
            "first_seen_at": "2025-11-17T17:55",
            "language": "en",
            "version": 1,
        }
        return clients[i].post(url, data).status_code

    statuses = run_at_once(save)
    assert statuses.count(HTTPStatus.FOUND) == 1, statuses
    assert statuses.count(HTTPStatus.CONFLICT) == SAVERS - 1, statuses
    claim.refresh_from_db()
    assert claim.version == 2
    winner = statuses.index(HTTPStatus.FOUND)
    assert claim.text == f"Edit number {winner}"
    entries = HistoryEntry.objects.filter(claim=claim, action=HistoryAction.CHANGED)
    assert entries.count() == 1
    assert entries.get().user.username == f"editor{winner}"


def test_twenty_concurrent_saves_of_the_model(desk_db):
    claim = create_claim(text="Original", approved=False)
    editor = create_editor()

    def save(i: int) -> str:
        try:
            writing.save_edit(
                Claim.objects.get(pk=claim.pk),
                by=editor,
                version=1,
                values={"text": f"Edit {i}", "context": f"context {i}"},
            )
        except writing.EditConflict:
            return "conflict"
        return "saved"

    results = run_at_once(save)
    assert results.count("saved") == 1, results
    assert results.count("conflict") == SAVERS - 1, results
    claim.refresh_from_db()
    assert claim.version == 2
    # The winner's edit is whole: no mix of two editors' fields.
    assert claim.text.removeprefix("Edit ") == claim.context.removeprefix("context ")


def test_twenty_concurrent_edits_of_a_public_claim_leave_one_proposal(desk_db):
    """On a public claim the edit waits for review; the desk version still lets one win."""
    claim = create_claim(text="Original")
    editor = create_editor()

    def save(i: int) -> str:
        try:
            writing.save_edit(
                Claim.objects.get(pk=claim.pk),
                by=editor,
                version=1,
                values={"text": f"Edit {i}", "context": f"context {i}"},
            )
        except writing.EditConflict:
            return "conflict"
        return "saved"

    results = run_at_once(save)
    assert results.count("saved") == 1, results
    assert results.count("conflict") == SAVERS - 1, results
    claim.refresh_from_db()
    assert (claim.text, claim.version) == ("Original", 1)  # readers' row untouched
    proposal = PendingChange.objects.get(claim=claim)
    assert writing.desk_version(claim) == 2
    view = writing.with_pending(claim)
    assert view.text.removeprefix("Edit ") == view.context.removeprefix("context ")
    assert proposal.values["text"] == view.text
