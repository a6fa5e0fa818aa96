"""The stored official position, published rating and search document stay in step with the
chain, whichever way the chain is written (models/derived.py)."""

import importlib
import threading
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection, connections, transaction
from django.urls import reverse

from claims.models import Claim, OfficialPosition, Stance, VerdictState, derived, writing
from claims.search import search_claims

from .factories import (
    create_actor,
    create_carriage,
    create_claim,
    create_denied_chain,
    create_editor,
    create_report,
    create_response,
    create_reviewer,
    create_verdict,
)


def stored(claim: Claim) -> tuple[str, str]:
    fresh = Claim.objects.get(pk=claim.pk)
    return fresh.official_position, fresh.published_rating


def found(text: str) -> set[str]:
    return set(search_claims(Claim.objects.all(), text).values_list("slug", flat=True))


def test_responses_move_the_position_and_withdrawing_one_moves_it_back():
    claim = create_claim()
    assert stored(claim) == (OfficialPosition.NO_RESPONSE, "")
    denial = create_response(claim=claim, stance=Stance.DENIES)
    assert stored(claim)[0] == OfficialPosition.DENIED
    confirmation = create_response(claim=claim, stance=Stance.CONFIRMS)
    assert stored(claim)[0] == OfficialPosition.MIXED
    editor, reviewer = create_editor(), create_reviewer()
    writing.withdraw(denial, by=editor, version=denial.version, reason="Wrong claim")
    assert stored(claim)[0] == OfficialPosition.MIXED  # the withdrawal waits for review
    writing.approve(claim, by=reviewer)
    assert stored(claim)[0] == OfficialPosition.CONFIRMED
    writing.withdraw(confirmation, by=editor, version=confirmation.version, reason="Misread")
    writing.approve(claim, by=reviewer)
    assert stored(claim)[0] == OfficialPosition.NO_RESPONSE
    assert not derived.stale().exists()


def test_a_pending_response_does_not_move_the_position():
    claim = create_claim()
    editor = create_editor()
    response = create_response(claim=claim, stance=Stance.DENIES, approved=False)
    assert stored(claim)[0] == OfficialPosition.NO_RESPONSE
    writing.save_edit(response, by=editor, version=1, values={"stance": Stance.CONFIRMS})
    assert stored(claim)[0] == OfficialPosition.NO_RESPONSE
    writing.approve(claim, by=create_reviewer())
    assert stored(claim)[0] == OfficialPosition.CONFIRMED


def test_the_admin_cannot_delete_chain_rows_behind_the_derived_columns(client):
    """The admin's "delete selected" would delete through a queryset, past the write path:
    the admin is read-only for the chain, so the stored columns cannot fall out of step."""
    from django.contrib.admin.sites import site

    from claims.models import Carriage, Response, Verdict

    chain = create_denied_chain()
    superuser = create_editor(is_superuser=True, is_staff=True)
    request = type("Request", (), {"user": superuser})()
    for model in (Claim, Carriage, Response, Verdict):
        assert not site._registry[model].has_delete_permission(request)
    client.force_login(superuser)
    url = reverse("admin:claims_response_changelist")
    pks = [chain["denial"].pk]
    client.post(url, {"action": "delete_selected", "_selected_action": pks, "post": "yes"})
    assert stored(chain["claim"]) == (OfficialPosition.DENIED, "unproven")


def test_desk_edit_of_a_stance_moves_the_position(client):
    claim = create_claim()
    response = create_response(claim=claim, stance=Stance.DENIES)
    client.force_login(create_editor())
    writing.save_edit(
        response,
        by=create_editor(),
        version=response.version,
        values={"stance": Stance.CONFIRMS},
    )
    assert stored(claim)[0] == OfficialPosition.DENIED  # readers' position until approval
    writing.approve(claim, by=create_reviewer())
    assert stored(claim)[0] == OfficialPosition.CONFIRMED


def test_the_verdict_workflow_sets_and_clears_the_published_rating():
    claim = create_claim()
    create_carriage(claim=claim)  # publishing needs a source
    author, reviewer = create_editor(username="author"), create_reviewer(username="reviewer")
    verdict = create_verdict(claim=claim, rating="false", author=author)
    assert stored(claim)[1] == ""  # a draft is not public
    verdict.submit(by=author)
    verdict.publish(by=reviewer)
    assert stored(claim)[1] == "false"
    assert list(Claim.objects.rated("false")) == [claim]
    verdict.withdraw(by=reviewer, reason="Rated the wrong claim")
    assert stored(claim)[1] == ""
    assert not Claim.objects.rated("false").exists()


def test_published_and_track_record_read_the_stored_columns():
    chain = create_denied_chain()
    other = create_claim()
    create_response(claim=other, stance=Stance.RETRACTS)
    create_verdict(claim=other, rating="false", state=VerdictState.PUBLISHED)
    assert set(Claim.objects.published()) == {chain["claim"], other}
    assert Claim.objects.all().track_record() == {
        "claims": 2,
        "denied": 2,
        "false_or_misleading": 1,
    }


def test_a_claim_loaded_beside_a_response_gets_the_new_values():
    claim = create_claim()
    response = create_response(claim=claim, stance=Stance.DENIES)
    assert response.claim.official_position == OfficialPosition.DENIED


def test_stale_finds_a_claim_whose_stored_values_were_overwritten():
    claim = create_denied_chain()["claim"]
    Claim.objects.filter(pk=claim.pk).update(
        official_position=OfficialPosition.CONFIRMED, published_rating=""
    )
    assert list(derived.stale()) == [claim]
    assert derived.refresh_all() == 1
    assert not derived.stale().exists()
    assert stored(claim) == (OfficialPosition.DENIED, "unproven")


def test_the_migration_fill_computes_what_the_models_compute():
    """Migrations 0007 (frozen SQL: position and rating) and 0010 (search terms and document)
    fill existing claims: they must agree with derived.py."""
    chain = create_denied_chain()
    mixed = create_claim()
    create_response(claim=mixed, stance=Stance.DENIES)
    create_response(claim=mixed, stance=Stance.PARTIALLY_CONFIRMS)
    create_claim()
    expected = {c.pk: (c.official_position, c.published_rating) for c in Claim.objects.all()}
    documents = {
        pk: rest for pk, *rest in Claim.objects.values_list("pk", "search_terms", "search_document")
    }
    Claim.objects.update(official_position=OfficialPosition.NO_RESPONSE, published_rating="")
    Claim.objects.update(search_terms="", search_document=None)
    migration = importlib.import_module("claims.migrations.0007_derived_listing_columns")
    migration.fill(connection)
    assert {c.pk: (c.official_position, c.published_rating) for c in Claim.objects.all()} == (
        expected
    )
    search = importlib.import_module("claims.migrations.0013_search_terms")
    # What RunPython's fill uses of the schema editor (SQLite's cannot open inside a test's
    # transaction).
    schema_editor = SimpleNamespace(
        connection=connection,
        execute=lambda sql, params=(): connection.cursor().execute(sql, params),
    )
    search.fill(apps, schema_editor)
    filled = {
        pk: rest for pk, *rest in Claim.objects.values_list("pk", "search_terms", "search_document")
    }
    assert filled == documents
    assert expected[chain["claim"].pk] == (OfficialPosition.DENIED, "unproven")


def test_search_finds_a_claim_by_its_text_quote_and_report_title():
    chain = create_denied_chain()
    slug = chain["claim"].slug
    assert found("refused") == {slug}  # the claim's text
    assert found("fake") == {slug}  # the denial's quote
    assert found("Interfax") == set()
    assert found("denies reports") == {slug}  # a carrying report's title


def test_search_follows_withdrawals_and_edited_titles():
    claim = create_claim(text="Minister resigned")
    report = create_report(title="Exclusive from Kyiv")
    carriage = create_carriage(claim=claim, report=report)
    response = create_response(claim=claim, stance=Stance.DENIES, quote="Nonsense entirely")
    assert found("exclusive") == found("nonsense") == {claim.slug}
    editor, reviewer = create_editor(), create_reviewer()
    writing.save_edit(
        report, by=editor, version=report.version, values={"title": "Scoop from Lviv"}
    )
    assert found("lviv") == set()  # pending review
    writing.approve(claim, by=reviewer)
    assert found("exclusive") == set()
    assert found("lviv") == {claim.slug}
    writing.withdraw(response, by=editor, version=response.version, reason="Wrong claim")
    writing.withdraw(carriage, by=editor, version=carriage.version, reason="Not carried")
    writing.approve(claim, by=reviewer)
    assert found("nonsense") == found("lviv") == set()
    assert found("resigned") == {claim.slug}


def test_a_desk_created_response_is_filterable_once_approved(client):
    claim = create_claim()
    create_actor(name="President's Office")
    client.force_login(create_editor())
    client.post(
        reverse("desk:response_create", args=[claim.slug]),
        {
            "responder": "President's Office",
            "stance": Stance.DENIES,
            "attribution": "anonymous_source",
            "quote": "It's fake",
            "responded_at": "2025-11-17T17:55",
        },
    )
    assert claim.responses.exists(), "the desk form did not save"
    listed = client.get(reverse("claims:claim_list"), {"position": "denied"})
    assert claim.text not in listed.content.decode()  # not before a second editor approves
    writing.approve(claim, by=create_reviewer())
    listed = client.get(reverse("claims:claim_list"), {"position": "denied"})
    assert claim.text in listed.content.decode()


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions")
def test_concurrent_denial_and_confirmation_give_mixed(transactional_db):
    """Two editors answer one claim at the same moment: neither refresh may lose the other's
    response (the claim row is locked before recomputing)."""
    claim = create_claim()
    barrier = threading.Barrier(2)
    errors = []

    def respond(stance: str) -> None:
        try:
            with transaction.atomic():
                barrier.wait(timeout=10)
                create_response(claim=Claim.objects.get(pk=claim.pk), stance=stance)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=respond, args=(stance,))
        for stance in (Stance.DENIES, Stance.CONFIRMS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    assert stored(claim)[0] == OfficialPosition.MIXED


def test_refresh_derived_command_checks_and_repairs():
    from io import StringIO

    from django.core.management import CommandError, call_command

    claim = create_denied_chain()["claim"]
    out = StringIO()
    call_command("refresh_derived", "--check", stdout=out)
    assert "match" in out.getvalue()
    Claim.objects.filter(pk=claim.pk).update(published_rating="true")
    with pytest.raises(CommandError, match="1 claim"):
        call_command("refresh_derived", "--check", stdout=StringIO())
    call_command("refresh_derived", stdout=out)
    assert "Refreshed 1 claims." in out.getvalue()
    assert stored(claim) == (OfficialPosition.DENIED, "unproven")
