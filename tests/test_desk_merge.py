"""
Merging a duplicate claim into the claim it duplicates: proposed by one editor, approved by a
second, never by the proposer; then everything moves, the old address answers 301 and the
feeds follow.
"""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from claims.models import (
    Carriage,
    ChangeKind,
    Claim,
    HistoryAction,
    HistoryEntry,
    PendingChange,
    Response,
    writing,
)
from claims.models.merging import plan_merge

from .factories import (
    create_actor,
    create_carriage,
    create_claim,
    create_denied_chain,
    create_editor,
    create_outlet,
    create_report,
    create_response,
    create_reviewer,
    create_tag,
)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()


@pytest.fixture
def two_claims():
    """A (the seed chain in miniature) and B, logged again as “refuses”, with one carriage of
    the same Interfax report, one of its own, the same denial and one more response."""
    chain = create_denied_chain()
    keep = chain["claim"]
    agency_report = chain["repeat"].report
    now = timezone.now()
    duplicate = create_claim(
        text="Umerov refuses to return to Ukraine",
        tags=[create_tag(name="nsdc")],
        subjects=[create_actor(name="Volodymyr Zelenskyy")],
        first_seen_at=now - timedelta(days=5),
    )
    same_carriage = create_carriage(claim=duplicate, report=agency_report, role="mention")
    telegram = create_report(
        outlet=create_outlet(name="Legitimny"), title="Umerov stays abroad", published_at=now
    )
    own_carriage = create_carriage(
        claim=duplicate, report=telegram, role="repeat", cites=same_carriage
    )
    same_denial = create_response(
        claim=duplicate,
        responder=chain["office"],
        stance="denies",
        attribution="anonymous_source",
        quote="It’s fake.",
        report=agency_report,
        responded_at=now - timedelta(days=2),
    )
    own_denial = create_response(
        claim=duplicate,
        responder=chain["umerov"],
        stance="denies",
        attribution="named_official",
        speaker_name="Rustem Umerov",
        quote="I am on a working trip.",
        responded_at=now - timedelta(hours=1),
    )
    return {
        **chain,
        "keep": keep,
        "duplicate": duplicate,
        "same_carriage": same_carriage,
        "own_carriage": own_carriage,
        "same_denial": same_denial,
        "own_denial": own_denial,
    }


def propose(client, duplicate, keep):
    preview = client.get(reverse("desk:merge_propose", args=[duplicate.slug]), {"into": keep.slug})
    assert preview.status_code == HTTPStatus.OK
    version = preview.context["form"].initial["version"]
    return client.post(
        reverse("desk:merge_propose", args=[duplicate.slug]),
        {"into": keep.slug, "version": version, "note": "Same claim, other tense."},
    )


def test_the_merge_page_shows_similar_claims_and_what_moves(client, two_claims):
    client.force_login(create_editor())
    duplicate, keep = two_claims["duplicate"], two_claims["keep"]
    page = client.get(reverse("desk:merge_propose", args=[duplicate.slug]))
    assert page.status_code == HTTPStatus.OK
    assert keep in page.context["similar"] and duplicate not in page.context["similar"]
    preview = client.get(reverse("desk:merge_propose", args=[duplicate.slug]), {"into": keep.slug})
    html = preview.content.decode()
    assert "1 carriage moves" in html and "1 response moves" in html
    assert "stays behind" in html and "Legitimny" in html
    # Looking changed nothing.
    assert not PendingChange.objects.filter(kind=ChangeKind.MERGED).exists()
    unknown = client.get(reverse("desk:merge_propose", args=[duplicate.slug]), {"into": "nope"})
    assert unknown.status_code == HTTPStatus.UNPROCESSABLE_ENTITY


def test_nothing_moves_until_a_second_editor_approves(client, two_claims):
    duplicate, keep = two_claims["duplicate"], two_claims["keep"]
    proposer = create_editor(username="proposer")
    client.force_login(proposer)
    response = propose(client, duplicate, keep)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("desk:claim_edit", args=[keep.slug])
    change = PendingChange.objects.get(kind=ChangeKind.MERGED)
    assert (change.claim, change.object_id, change.author) == (keep, duplicate.pk, proposer)
    duplicate.refresh_from_db()
    assert duplicate.withdrawn_at is None and duplicate.carriages.count() == 2
    # Readers still see both claims where they were.
    reader = Client()
    assert reader.get(duplicate.get_absolute_url()).status_code == HTTPStatus.OK
    # The review page shows the merge's plan.
    reviewer = create_reviewer(username="second")
    client.force_login(reviewer)
    review = client.get(reverse("desk:review_claim", args=[keep.slug])).content.decode()
    assert "into this claim" in review and "1 carriage moves" in review


def test_the_proposer_cannot_approve_the_merge(client, two_claims):
    duplicate, keep = two_claims["duplicate"], two_claims["keep"]
    proposer = create_reviewer(username="proposer")
    client.force_login(proposer)
    propose(client, duplicate, keep)
    with pytest.raises(writing.ReviewRefused):
        writing.approve(keep, by=proposer)
    response = client.post(
        reverse("desk:review_approve", args=[keep.slug]),
        {"fingerprint": writing.claim_fingerprint(keep)},
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert Claim.objects.get(pk=duplicate.pk).withdrawn_at is None


def test_an_approved_merge_moves_the_chain_and_the_old_address_answers_301(client, two_claims):
    w = two_claims
    duplicate, keep = w["duplicate"], w["keep"]
    old_url = duplicate.get_absolute_url()
    history_before = HistoryEntry.objects.filter(claim=duplicate).count()
    client.force_login(create_editor(username="proposer"))
    propose(client, duplicate, keep)
    client.force_login(create_reviewer(username="second"))
    approved = client.post(
        reverse("desk:review_approve", args=[keep.slug]),
        {"fingerprint": writing.claim_fingerprint(keep)},
    )
    assert approved.status_code == HTTPStatus.FOUND
    duplicate.refresh_from_db()
    keep.refresh_from_db()
    # The duplicate is a withdrawn claim pointing to the kept one.
    assert duplicate.withdrawn_at is not None and duplicate.duplicate_of == keep
    # Its own carriage and response moved; the identical ones stayed behind.
    assert Carriage.objects.get(pk=w["own_carriage"].pk).claim == keep
    assert Response.objects.get(pk=w["own_denial"].pk).claim == keep
    assert Carriage.objects.get(pk=w["same_carriage"].pk).claim == duplicate
    assert Response.objects.get(pk=w["same_denial"].pk).claim == duplicate
    # What cited the duplicate's carriage of the Interfax report cites the kept one.
    assert Carriage.objects.get(pk=w["own_carriage"].pk).cites == w["repeat"]
    assert keep.carriages.filter(report=w["repeat"].report).count() == 1
    assert keep.responses.count() == 2
    assert {t.name for t in keep.tags.all()} == {"umerov", "nsdc"}
    assert {a.name for a in keep.subjects.all()} == {"Rustem Umerov", "Volodymyr Zelenskyy"}
    assert keep.first_seen_at == duplicate.first_seen_at  # the earlier sighting
    # History: the duplicate's entries moved, and the merge is recorded on both claims.
    assert HistoryEntry.objects.filter(claim=keep, action=HistoryAction.MERGED).count() == 1
    assert HistoryEntry.objects.filter(claim=duplicate, action=HistoryAction.MERGED).count() == 1
    assert HistoryEntry.objects.filter(claim=keep).count() > history_before
    # The old address answers 301 to the kept claim; the withdrawn duplicate keeps a notice.
    reader = Client()
    moved = reader.get(old_url)
    assert moved.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert moved["Location"] == keep.get_absolute_url()
    notice = reader.get(duplicate.get_absolute_url())
    assert notice.status_code == HTTPStatus.OK and keep.text in notice.content.decode()
    # The kept claim's page shows the moved carriage and response.
    page = reader.get(keep.get_absolute_url()).content.decode()
    assert "Legitimny" in page and "I am on a working trip." in page
    # Feeds: one item per denial, each pointing to the kept claim.
    feed = reader.get(reverse("claims:denied_rss")).content.decode()
    assert feed.count("It&#x27;s fake") + feed.count("It's fake") <= 2  # title and description
    assert old_url not in feed and duplicate.get_absolute_url() not in feed
    assert feed.count(keep.get_absolute_url()) >= 2
    assert "I am on a working trip." in feed


def test_merge_refusals(two_claims):
    duplicate, keep = two_claims["duplicate"], two_claims["keep"]
    editor = create_editor()
    version = writing.desk_version(duplicate)
    with pytest.raises(writing.MergeRefused):
        writing.propose_merge(duplicate, into=duplicate, by=editor, version=version)
    # The kept claim has a verdict; the duplicate may not have one.
    with pytest.raises(writing.MergeRefused, match="verdict"):
        writing.propose_merge(keep, into=duplicate, by=editor, version=writing.desk_version(keep))
    # A duplicate with work waiting for review is approved or returned first.
    writing.save_edit(
        duplicate, by=editor, version=version, values={"context": "Seen on Telegram."}
    )
    with pytest.raises(writing.MergeRefused, match="waiting for review"):
        writing.propose_merge(
            duplicate, into=keep, by=editor, version=writing.desk_version(duplicate)
        )
    # A stale version is a conflict.
    with pytest.raises(writing.EditConflict):
        writing.propose_merge(duplicate, into=keep, by=editor, version=version)
    assert not PendingChange.objects.filter(kind=ChangeKind.MERGED).exists()


def test_a_merge_proposed_twice_is_refused(two_claims):
    duplicate, keep = two_claims["duplicate"], two_claims["keep"]
    editor = create_editor()
    writing.propose_merge(duplicate, into=keep, by=editor, version=writing.desk_version(duplicate))
    plan = plan_merge(duplicate, keep)
    assert "already waiting" in " ".join(plan.problems)
    with pytest.raises(writing.MergeRefused):
        writing.propose_merge(
            duplicate, into=keep, by=editor, version=writing.desk_version(duplicate)
        )


def test_a_duplicate_changed_after_the_proposal_stops_the_approval(two_claims):
    duplicate, keep = two_claims["duplicate"], two_claims["keep"]
    writing.propose_merge(
        duplicate, into=keep, by=create_editor(), version=writing.desk_version(duplicate)
    )
    other = create_editor(username="other")
    writing.save_edit(
        duplicate,
        by=other,
        version=writing.desk_version(duplicate),
        values={"context": "More context."},
    )
    with pytest.raises(writing.ReviewConflict):
        writing.approve(keep, by=create_reviewer(username="second"))
    assert Claim.objects.get(pk=duplicate.pk).withdrawn_at is None


def test_an_approved_merge_drops_both_claims_reader_pages_and_jsonld_follows(two_claims):
    from .test_caching import is_cached

    duplicate, keep = two_claims["duplicate"], two_claims["keep"]
    reader = Client()
    pages = [keep.get_absolute_url(), duplicate.get_absolute_url(), reverse("claims:denied_rss")]
    for url in pages:
        reader.get(url)
        assert is_cached(reader, url), url
    writing.propose_merge(
        duplicate, into=keep, by=create_editor(), version=writing.desk_version(duplicate)
    )
    assert all(is_cached(reader, url) for url in pages)  # nothing moves before approval
    writing.approve(keep, by=create_reviewer(username="second"))
    assert not is_cached(reader, keep.get_absolute_url())
    assert not is_cached(reader, reverse("claims:denied_rss"))
    # The old address is no longer the cached claim page: it answers 301.
    assert reader.get(pages[1]).status_code == HTTPStatus.MOVED_PERMANENTLY
    # ClaimReview JSON-LD of the kept claim lists the moved appearance.
    html = reader.get(keep.get_absolute_url()).content.decode()
    ld = html[html.index('type="application/ld+json"') :]
    assert "Umerov stays abroad" in ld[: ld.index("</script>")]


# Taking a proposal back, and proposing again after a return


def test_the_proposer_withdraws_a_pending_merge(client, two_claims):
    duplicate, keep = two_claims["duplicate"], two_claims["keep"]
    proposer = create_editor(username="proposer")
    client.force_login(proposer)
    propose(client, duplicate, keep)
    page = client.get(reverse("desk:merge_propose", args=[duplicate.slug])).content.decode()
    assert "Withdraw the merge proposal" in page
    # Another editor may not take it back.
    other = create_editor(username="other")
    client.force_login(other)
    page = client.get(reverse("desk:merge_propose", args=[duplicate.slug])).content.decode()
    assert "Withdraw the merge proposal" not in page
    withdraw = reverse("desk:merge_withdraw", args=[duplicate.slug])
    assert client.post(withdraw).status_code == HTTPStatus.FORBIDDEN
    with pytest.raises(writing.MergeRefused, match="Only the editor who proposed"):
        writing.withdraw_merge(duplicate, by=other)
    assert PendingChange.objects.filter(kind=ChangeKind.MERGED).exists()
    # The proposer can.
    client.force_login(proposer)
    response = client.post(withdraw, {"withdraw-note": "Not the same claim after all."})
    assert response.status_code == HTTPStatus.FOUND
    assert not PendingChange.objects.filter(kind=ChangeKind.MERGED).exists()
    assert not PendingChange.objects.pending().filter(claim=keep).exists()
    entries = HistoryEntry.objects.filter(action=HistoryAction.MERGE_WITHDRAWN)
    assert {(e.claim_id, e.user, e.note) for e in entries} == {
        (duplicate.pk, proposer, "Not the same claim after all."),
        (keep.pk, proposer, "Not the same claim after all."),
    }
    history = client.get(reverse("desk:claim_history", args=[keep.slug])).content.decode()
    assert "withdrew the proposed merge of" in history
    # Nothing had moved; nothing is left to withdraw, and a new proposal may be made.
    duplicate.refresh_from_db()
    assert duplicate.withdrawn_at is None and duplicate.carriages.count() == 2
    with pytest.raises(writing.MergeRefused, match="No merge"):
        writing.withdraw_merge(duplicate, by=proposer)
    assert propose(client, duplicate, keep).status_code == HTTPStatus.FOUND
    assert PendingChange.objects.pending().filter(kind=ChangeKind.MERGED).count() == 1


def test_an_administrator_may_withdraw_anyones_merge(two_claims):
    duplicate, keep = two_claims["duplicate"], two_claims["keep"]
    writing.propose_merge(
        duplicate, into=keep, by=create_editor(), version=writing.desk_version(duplicate)
    )
    admin = get_user_model().objects.create_superuser("admin", "admin@example.org", "x")
    writing.withdraw_merge(duplicate, by=admin)
    assert not PendingChange.objects.filter(kind=ChangeKind.MERGED).exists()
    entry = HistoryEntry.objects.get(action=HistoryAction.MERGE_WITHDRAWN, claim=duplicate)
    assert (entry.user, entry.note) == (admin, "Withdrawn before review.")


def test_a_returned_merge_can_be_proposed_again(client, two_claims):
    duplicate, keep = two_claims["duplicate"], two_claims["keep"]
    proposer = create_editor(username="proposer")
    client.force_login(proposer)
    propose(client, duplicate, keep)
    writing.return_work(keep, by=create_reviewer(username="second"), note="Check the dates.")
    returned = PendingChange.objects.get(kind=ChangeKind.MERGED)
    assert returned.state == "returned"
    preview = client.get(reverse("desk:merge_propose", args=[duplicate.slug]), {"into": keep.slug})
    assert preview.context["plan"].possible
    assert "was returned by the reviewer" in preview.content.decode()
    # Proposed again (by anyone): the returned proposal is replaced, and the history says so.
    client.force_login(create_editor(username="another"))
    assert propose(client, duplicate, keep).status_code == HTTPStatus.FOUND
    (merge,) = PendingChange.objects.filter(kind=ChangeKind.MERGED)
    assert merge.pk != returned.pk and merge.state == "pending"
    assert HistoryEntry.objects.filter(
        action=HistoryAction.MERGE_WITHDRAWN, claim=keep, note="Replaced by a new proposal."
    ).exists()
    # And it goes through as any merge does.
    writing.approve(keep, by=create_reviewer(username="third"))
    duplicate.refresh_from_db()
    assert duplicate.duplicate_of == keep and duplicate.withdrawn_at is not None


def test_a_returned_merge_can_be_withdrawn(two_claims):
    duplicate, keep = two_claims["duplicate"], two_claims["keep"]
    proposer = create_editor(username="proposer")
    writing.propose_merge(
        duplicate, into=keep, by=proposer, version=writing.desk_version(duplicate)
    )
    writing.return_work(keep, by=create_reviewer(username="second"), note="Not the same.")
    writing.withdraw_merge(duplicate, by=proposer, note="Agreed.")
    assert not PendingChange.objects.filter(kind=ChangeKind.MERGED).exists()
    assert plan_merge(duplicate, keep).possible
