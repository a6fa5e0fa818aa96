"""The verdict workflow through the desk: draft, submit, approve or return, correct, withdraw."""

from http import HTTPStatus

import pytest
from django.contrib.admin.sites import site as admin_site
from django.db import IntegrityError, transaction
from django.urls import reverse

from claims.models import HistoryAction, HistoryEntry, Rating, Verdict, VerdictState, writing
from claims.models.verdicts import WorkflowError

from .factories import (
    create_carriage,
    create_claim,
    create_editor,
    create_reviewer,
    create_verdict,
)

HTMX = {"HX-Request": "true"}


def in_review(*, author=None, rating=Rating.UNPROVEN) -> Verdict:
    verdict = create_verdict(author=author or create_reviewer(), rating=rating)
    create_carriage(claim=verdict.claim)
    verdict.submit(by=verdict.author)
    return verdict


class TestDrafting:
    def test_draft_edit_and_submit(self, client):
        editor = create_editor()
        client.force_login(editor)
        claim = create_claim()
        response = client.post(
            reverse("desk:verdict_create", args=[claim.slug]),
            {"rating": "unproven", "summary": "Only an anonymous denial.", "rationale": "…"},
        )
        verdict = Verdict.objects.get()
        assert response["Location"] == reverse("desk:verdict_edit", args=[verdict.pk])
        assert (verdict.author, verdict.state, verdict.rating) == (editor, "draft", "unproven")
        response = client.post(
            reverse("desk:verdict_edit", args=[verdict.pk]),
            {"rating": "false", "summary": "Changed", "rationale": "", "version": 1},
        )
        assert response.status_code == HTTPStatus.FOUND
        verdict.refresh_from_db()
        assert (verdict.rating, verdict.version) == ("false", 2)
        response = client.post(reverse("desk:verdict_submit", args=[verdict.pk]))
        assert response.status_code == HTTPStatus.FOUND
        verdict.refresh_from_db()
        assert verdict.state == VerdictState.IN_REVIEW
        actions = list(
            HistoryEntry.objects.filter(claim=claim).order_by("pk").values_list("action", flat=True)
        )
        assert actions == [HistoryAction.CREATED, HistoryAction.CHANGED, HistoryAction.SUBMITTED]

    def test_a_claim_has_one_live_verdict(self, client):
        client.force_login(create_editor())
        verdict = create_verdict()
        response = client.get(reverse("desk:verdict_create", args=[verdict.claim.slug]))
        assert response["Location"] == reverse("desk:verdict_edit", args=[verdict.pk])

    def test_stale_verdict_save_gets_409(self, client):
        client.force_login(create_editor())
        verdict = create_verdict(summary="Theirs")
        Verdict.objects.filter(pk=verdict.pk).update(summary="Saved meanwhile", version=2)
        response = client.post(
            reverse("desk:verdict_edit", args=[verdict.pk]),
            {"rating": "false", "summary": "Mine", "rationale": "", "version": 1},
            headers=HTMX,
        )
        assert response.status_code == HTTPStatus.CONFLICT
        assert "Saved meanwhile" in response.content.decode()
        verdict.refresh_from_db()
        assert (verdict.summary, verdict.rating) == ("Saved meanwhile", "unproven")

    def test_in_review_verdict_cannot_be_edited(self, client):
        verdict = in_review()
        client.force_login(verdict.author)
        response = client.post(
            reverse("desk:verdict_edit", args=[verdict.pk]),
            {"rating": "false", "summary": "x", "version": verdict.version},
        )
        assert response.status_code == HTTPStatus.CONFLICT
        verdict.refresh_from_db()
        assert verdict.rating == Rating.UNPROVEN
        fragment = client.post(
            reverse("desk:verdict_edit", args=[verdict.pk]),
            {"rating": "false", "summary": "x", "version": verdict.version},
            headers=HTMX,
        )
        assert fragment.status_code == HTTPStatus.CONFLICT
        assert "Only a draft can be edited" in fragment.content.decode()
        assert "<html" not in fragment.content.decode()


class TestTwoPersonRule:
    def test_author_cannot_approve_through_the_view(self, client):
        verdict = in_review()
        client.force_login(verdict.author)  # a reviewer, but the author
        response = client.post(reverse("desk:verdict_publish", args=[verdict.pk]), headers=HTMX)
        assert response.status_code == HTTPStatus.CONFLICT
        assert "The author of a verdict cannot approve it" in response.content.decode()
        response = client.post(reverse("desk:verdict_publish", args=[verdict.pk]))
        assert response.status_code == HTTPStatus.CONFLICT
        assert "<html" in response.content.decode()
        verdict.refresh_from_db()
        assert verdict.state == VerdictState.IN_REVIEW and verdict.reviewer is None

    def test_author_is_not_offered_the_approve_button(self, client):
        verdict = in_review()
        client.force_login(verdict.author)
        html = client.get(reverse("desk:verdict_edit", args=[verdict.pk])).content.decode()
        assert "Approve and publish" not in html
        assert "another editor with the reviewer role must approve" in html

    def test_author_cannot_approve_through_the_model(self):
        verdict = in_review()
        with pytest.raises(WorkflowError):
            verdict.publish(by=verdict.author)
        with pytest.raises(WorkflowError):
            verdict.return_to_draft(by=verdict.author, note="Looks fine to me")

    def test_author_cannot_approve_in_the_database(self):
        verdict = in_review()
        with pytest.raises(IntegrityError), transaction.atomic():
            Verdict.objects.filter(pk=verdict.pk).update(reviewer=verdict.author)

    def test_author_cannot_approve_through_the_admin_action(self, rf):
        # The admin is read-only for verdicts: no publish action, no change permission.
        verdict = in_review()
        request = rf.post("/admin/claims/verdict/")
        request.user = verdict.author
        model_admin = admin_site._registry[Verdict]
        assert "publish" not in model_admin.get_actions(request)
        assert not model_admin.has_change_permission(request, verdict)
        verdict.refresh_from_db()
        assert verdict.state == VerdictState.IN_REVIEW

    def test_author_cannot_approve_through_the_admin_changelist(self, client):
        verdict = in_review()
        client.force_login(verdict.author)
        response = client.post(
            reverse("admin:claims_verdict_changelist"),
            {"action": "publish", "_selected_action": [verdict.pk]},
            follow=True,
        )
        assert response.status_code in {HTTPStatus.OK, HTTPStatus.FORBIDDEN}
        verdict.refresh_from_db()
        assert verdict.state == VerdictState.IN_REVIEW


class TestReview:
    def test_second_editor_publishes(self, client):
        verdict = in_review()
        reviewer = create_reviewer()
        client.force_login(reviewer)
        response = client.post(reverse("desk:verdict_publish", args=[verdict.pk]))
        assert response.status_code == HTTPStatus.FOUND
        verdict.refresh_from_db()
        assert (verdict.state, verdict.reviewer) == (VerdictState.PUBLISHED, reviewer)
        page = client.get(verdict.claim.get_absolute_url()).content.decode()
        assert "Unproven" in page

    def test_editor_without_review_role_cannot_publish(self, client):
        verdict = in_review()
        client.force_login(create_editor())
        response = client.post(reverse("desk:verdict_publish", args=[verdict.pk]))
        assert response.status_code == HTTPStatus.FORBIDDEN
        verdict.refresh_from_db()
        assert verdict.state == VerdictState.IN_REVIEW

    def test_cannot_publish_without_rating(self, client):
        verdict = in_review(rating="")
        client.force_login(create_reviewer())
        response = client.post(reverse("desk:verdict_publish", args=[verdict.pk]))
        assert response.status_code == HTTPStatus.CONFLICT
        assert "Choose a rating" in response.content.decode()

    def test_cannot_publish_without_a_carriage(self, client):
        verdict = create_verdict(author=create_editor())
        verdict.submit(by=verdict.author)
        client.force_login(create_reviewer())
        response = client.post(reverse("desk:verdict_publish", args=[verdict.pk]))
        assert response.status_code == HTTPStatus.CONFLICT
        assert "at least one source carriage" in response.content.decode()

    def test_returned_verdict_keeps_the_note_and_shows_it_to_the_author(self, client):
        author = create_editor()
        verdict = in_review(author=author)
        client.force_login(create_reviewer())
        url = reverse("desk:verdict_return", args=[verdict.pk])
        empty = client.post(url, {"note": "  "}, headers=HTMX)
        assert empty.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
        response = client.post(url, {"note": "Find Clash Report's original post."})
        assert response.status_code == HTTPStatus.FOUND
        verdict.refresh_from_db()
        assert verdict.state == VerdictState.DRAFT
        assert verdict.review_note == "Find Clash Report's original post."
        client.force_login(author)
        html = client.get(reverse("desk:dashboard")).content.decode()
        returned = html.split('id="returned-heading"')[1].split("</section>")[0]
        assert verdict.claim.text in returned
        assert "Find Clash Report&#x27;s original post." in returned
        page = client.get(reverse("desk:verdict_edit", args=[verdict.pk])).content.decode()
        assert "Find Clash Report&#x27;s original post." in page

    def test_correct_and_withdraw_published_verdict(self, client):
        verdict = in_review()
        verdict.publish(by=create_reviewer())
        client.force_login(create_reviewer())
        response = client.post(
            reverse("desk:verdict_correct", args=[verdict.pk]), {"text": "Fixed the trip's date."}
        )
        assert response.status_code == HTTPStatus.FOUND
        assert verdict.corrections.get().text == "Fixed the trip's date."
        # Pending until a second editor approves it with the claim's other pending work.
        assert not verdict.corrections.get().approved_at
        writing.approve(verdict.claim, by=create_reviewer())
        assert verdict.corrections.get().approved_at
        no_reason = client.post(reverse("desk:verdict_withdraw", args=[verdict.pk]), {})
        assert no_reason.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
        response = client.post(
            reverse("desk:verdict_withdraw", args=[verdict.pk]), {"reason": "New evidence."}
        )
        assert response.status_code == HTTPStatus.FOUND
        verdict.refresh_from_db()
        assert (verdict.state, verdict.withdrawn_reason) == ("withdrawn", "New evidence.")
        actions = set(
            HistoryEntry.objects.filter(claim=verdict.claim).values_list("action", flat=True)
        )
        assert {HistoryAction.CORRECTED, HistoryAction.WITHDRAWN} <= actions

    def test_draft_cannot_be_corrected(self, client):
        verdict = create_verdict()
        client.force_login(create_reviewer())
        response = client.post(reverse("desk:verdict_correct", args=[verdict.pk]), {"text": "x"})
        assert response.status_code == HTTPStatus.CONFLICT
        assert not verdict.corrections.exists()


class TestDashboard:
    def test_lists_drafts_reviews_and_published(self, client):
        me, other = create_reviewer(username="me"), create_editor(username="other")
        mine = create_verdict(author=me, claim=create_claim(text="My draft claim"))
        theirs = in_review(author=other)
        published = in_review(author=other)
        published.publish(by=me)
        client.force_login(me)
        html = client.get(reverse("desk:dashboard")).content.decode()
        drafts = html.split('id="drafts-heading"')[1].split("</section>")[0]
        review = html.split('id="review-heading"')[1].split("</section>")[0]
        recent = html.split('id="published-heading"')[1].split("</section>")[0]
        assert mine.claim.text in drafts
        assert theirs.claim.text in review
        assert published.claim.text in recent
        assert published.claim.text not in review

    def test_editor_sees_own_in_review_but_no_review_queue(self, client):
        me = create_editor()
        mine = in_review(author=me)
        other = in_review()
        client.force_login(me)
        html = client.get(reverse("desk:dashboard")).content.decode()
        review = html.split('id="review-heading"')[1].split("</section>")[0]
        assert mine.claim.text in review
        assert "For you to review" not in review
        assert other.claim.text not in review


class TestReaderPagesShowNoDrafts:
    def test_draft_and_in_review_verdicts_stay_off_the_reader_site(self, client):
        draft = create_verdict(summary="SECRET DRAFT SUMMARY", rating=Rating.FALSE)
        reviewing = in_review()
        Verdict.objects.filter(pk=reviewing.pk).update(summary="SECRET REVIEW SUMMARY")
        for verdict in (draft, reviewing):
            html = client.get(verdict.claim.get_absolute_url()).content.decode()
            assert "SECRET" not in html
            assert "Not rated yet." in html
        home = client.get(reverse("claims:home")).content.decode()
        assert "SECRET" not in home and "Rated:" not in home


class TestClaimFinder:
    def test_finds_claims_by_words_with_and_without_htmx(self, client):
        client.force_login(create_editor())
        wanted = create_claim(text="Umerov refused to return to Ukraine")
        other = create_claim(text="Umerov met the Japanese ambassador")
        url = reverse("desk:dashboard")
        page = client.get(url, {"q": "refused umerov"}).content.decode()
        assert wanted.text in page and other.text not in page
        fragment = client.get(
            url,
            {"q": "ambassador"},
            headers={**HTMX, "HX-Target": "claim-finder-results"},
        ).content.decode()
        assert "<html" not in fragment and 'id="claim-finder-results"' in fragment
        assert other.text in fragment and wanted.text not in fragment
