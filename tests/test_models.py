"""The domain model: database constraints, the derived official position, QuerySet methods."""

import pytest
from django.db import IntegrityError, transaction

from claims.models import (
    Attribution,
    Carriage,
    Claim,
    OfficialPosition,
    Rating,
    Response,
    Stance,
    Verdict,
    VerdictState,
)
from claims.models.verdicts import BEST_RATING, WORST_RATING, WorkflowError

from .factories import (
    create_actor,
    create_carriage,
    create_claim,
    create_editor,
    create_outlet,
    create_report,
    create_response,
    create_reviewer,
    create_tag,
    create_verdict,
)


def assert_rejected(create) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


class TestConstraints:
    def test_response_needs_a_responder(self):
        claim = create_claim()
        assert_rejected(
            lambda: Response.objects.create(
                claim=claim,
                responder=None,
                stance=Stance.DENIES,
                attribution=Attribution.SPOKESPERSON,
            )
        )

    def test_response_stance_and_attribution_must_be_known_values(self):
        claim, actor = create_claim(), create_actor()
        assert_rejected(lambda: create_response(claim=claim, responder=actor, stance="shrugs"))
        assert_rejected(lambda: create_response(claim=claim, responder=actor, attribution="rumour"))

    def test_named_official_needs_a_name(self):
        assert_rejected(
            lambda: create_response(attribution=Attribution.NAMED_OFFICIAL, speaker_name="")
        )
        response = create_response(
            attribution=Attribution.NAMED_OFFICIAL, speaker_name="Rustem Umerov"
        )
        assert response.pk

    def test_claim_text_cannot_be_empty(self):
        assert_rejected(lambda: Claim.objects.create(text="", slug="empty"))

    def test_claim_slug_is_unique(self):
        create_claim(slug="same")
        assert_rejected(lambda: create_claim(slug="same"))

    def test_a_report_carries_a_claim_once(self):
        claim, report = create_claim(), create_report()
        create_carriage(claim=claim, report=report)
        assert_rejected(lambda: create_carriage(claim=claim, report=report))

    def test_carriage_role_must_be_known(self):
        assert_rejected(lambda: create_carriage(role="rumour"))

    def test_carriage_cannot_cite_itself(self):
        carriage = create_carriage()
        carriage.cites = carriage
        assert_rejected(carriage.save)

    def test_withdrawal_needs_a_reason(self):
        from django.utils import timezone

        assert_rejected(lambda: create_claim(withdrawn_at=timezone.now(), withdrawn_reason=""))

    def test_outlet_names_are_unique_ignoring_case(self):
        create_outlet(name="Interfax-Ukraine")
        assert_rejected(lambda: create_outlet(name="interfax-ukraine"))

    def test_canonical_url_is_unique(self):
        create_report(canonical_url="https://example.com/a")
        assert_rejected(lambda: create_report(canonical_url="https://example.com/a"))

    def test_verdict_reviewer_cannot_be_its_author(self):
        editor = create_editor()
        assert_rejected(lambda: create_verdict(author=editor, reviewer=editor))

    def test_published_verdict_needs_reviewer_date_and_rating(self):
        from django.utils import timezone

        assert_rejected(lambda: create_verdict(state=VerdictState.PUBLISHED, reviewer=None))
        assert_rejected(lambda: create_verdict(state=VerdictState.PUBLISHED, rating=""))
        assert_rejected(
            lambda: Verdict.objects.create(
                claim=create_claim(),
                author=create_editor(),
                reviewer=create_reviewer(),
                rating=Rating.FALSE,
                state=VerdictState.PUBLISHED,
                published_at=None,
            )
        )
        assert create_verdict(state=VerdictState.PUBLISHED, published_at=timezone.now()).pk

    def test_verdict_rating_must_be_on_the_scale(self):
        assert_rejected(lambda: create_verdict(rating="pants_on_fire"))

    def test_one_live_verdict_per_claim(self):
        claim = create_claim()
        create_verdict(claim=claim)
        assert_rejected(lambda: create_verdict(claim=claim))
        create_verdict(claim=claim, state=VerdictState.WITHDRAWN, withdrawn_reason="Superseded")

    def test_withdrawn_verdict_needs_a_reason(self):
        assert_rejected(lambda: create_verdict(state=VerdictState.WITHDRAWN))


class TestOfficialPosition:
    @pytest.mark.parametrize(
        ("stances", "expected"),
        [
            ([], OfficialPosition.NO_RESPONSE),
            ([Stance.DECLINES_COMMENT, Stance.CLARIFIES], OfficialPosition.NO_RESPONSE),
            ([Stance.DENIES], OfficialPosition.DENIED),
            ([Stance.RETRACTS], OfficialPosition.DENIED),
            ([Stance.CONFIRMS], OfficialPosition.CONFIRMED),
            ([Stance.PARTIALLY_CONFIRMS, Stance.CLARIFIES], OfficialPosition.CONFIRMED),
            ([Stance.DENIES, Stance.CONFIRMS], OfficialPosition.MIXED),
        ],
    )
    def test_derived_from_responses(self, stances, expected):
        claim = create_claim()
        for stance in stances:
            create_response(claim=claim, stance=stance)
        # Stored on the claim by every response written, and in the loaded instance too.
        assert Claim.objects.get(pk=claim.pk).official_position == expected
        assert claim.official_position == expected

    def test_withdrawn_responses_do_not_count(self):
        from django.utils import timezone

        claim = create_claim()
        create_response(
            claim=claim,
            stance=Stance.DENIES,
            withdrawn_at=timezone.now(),
            withdrawn_reason="Wrong claim",
        )
        assert Claim.objects.get(pk=claim.pk).official_position == OfficialPosition.NO_RESPONSE

    def test_filters_by_position(self):
        denied, confirmed, silent = create_claim(), create_claim(), create_claim()
        create_response(claim=denied, stance=Stance.DENIES)
        create_response(claim=confirmed, stance=Stance.CONFIRMS)
        assert list(Claim.objects.denied()) == [denied]
        assert list(Claim.objects.positioned(OfficialPosition.CONFIRMED)) == [confirmed]
        assert list(Claim.objects.positioned(OfficialPosition.NO_RESPONSE)) == [silent]


class TestRatings:
    def test_every_rating_maps_to_claim_review_numbers(self):
        assert WORST_RATING >= 1
        values = [rating.rating_value for rating in Rating]
        assert len(set(values)) == len(values), "each rating has its own number"
        for rating in Rating:
            review = rating.claim_review_rating()
            assert review["worstRating"] == WORST_RATING >= 1
            assert review["bestRating"] == BEST_RATING
            assert WORST_RATING <= review["ratingValue"] <= BEST_RATING
            assert review["alternateName"] == rating.label
            assert rating.meaning

    def test_scale_runs_from_true_to_false(self):
        assert Rating.TRUE.rating_value == BEST_RATING
        assert Rating.FALSE.rating_value == WORST_RATING == 1
        assert (
            Rating.MISLEADING.rating_value < Rating.UNPROVEN.rating_value < Rating.TRUE.rating_value
        )


class TestQuerySets:
    def test_published_shows_only_published_verdicts(self):
        published, draft = create_claim(), create_claim()
        create_verdict(claim=published, state=VerdictState.PUBLISHED)
        create_verdict(claim=draft)
        assert list(Claim.objects.published()) == [published]
        assert list(Verdict.objects.published().values_list("claim", flat=True)) == [published.pk]

    def test_with_denials_and_newest_denials(self):
        from datetime import timedelta

        from django.utils import timezone

        now = timezone.now()
        claim = create_claim()
        older = create_response(
            claim=claim, stance=Stance.DENIES, responded_at=now - timedelta(days=1)
        )
        newer = create_response(stance=Stance.DENIES, responded_at=now)
        create_response(stance=Stance.CONFIRMS, responded_at=now)
        assert list(Response.objects.denials().newest()) == [newer, older]
        assert set(Claim.objects.with_denials()) == {claim, newer.claim}

    def test_by_actor_outlet_and_tag(self):
        umerov, office = create_actor(name="Rustem Umerov"), create_actor(name="President's Office")
        tag = create_tag(name="umerov")
        outlet = create_outlet(name="Clash Report")
        about = create_claim(subjects=[umerov], tags=[tag])
        responded = create_claim()
        create_response(claim=responded, responder=office)
        create_carriage(claim=about, report=create_report(outlet=outlet))
        create_claim()  # unrelated
        assert list(Claim.objects.by_actor(umerov)) == [about]
        assert list(Claim.objects.by_actor(office)) == [responded]
        assert list(Claim.objects.by_outlet(outlet)) == [about]
        assert list(Claim.objects.by_tag(tag)) == [about]

    def test_filters_do_not_duplicate_claims(self):
        actor = create_actor()
        claim = create_claim(subjects=[actor], claimant=actor)
        create_response(claim=claim, responder=actor)
        create_response(claim=claim, responder=actor, stance=Stance.CLARIFIES)
        assert Claim.objects.by_actor(actor).count() == 1


class TestVerdictWorkflow:
    def make_reviewable(self):
        verdict = create_verdict(rating=Rating.UNPROVEN)
        create_carriage(claim=verdict.claim)
        verdict.submit(by=verdict.author)
        return verdict

    def test_submit_then_publish_by_second_editor(self):
        verdict = self.make_reviewable()
        reviewer = create_reviewer()
        verdict.publish(by=reviewer)
        verdict.refresh_from_db()
        assert verdict.state == VerdictState.PUBLISHED
        assert verdict.reviewer == reviewer
        assert verdict.published_at is not None

    def test_author_cannot_publish_own_verdict(self):
        verdict = self.make_reviewable()
        with pytest.raises(WorkflowError):
            verdict.publish(by=verdict.author)
        verdict.refresh_from_db()
        assert verdict.state == VerdictState.IN_REVIEW

    def test_needs_a_carriage_and_a_rating(self):
        verdict = create_verdict(rating="")
        verdict.submit(by=verdict.author)
        with pytest.raises(WorkflowError, match="rating"):
            verdict.publish(by=create_reviewer())
        verdict.rating = Rating.FALSE
        with pytest.raises(WorkflowError, match="carriage"):
            verdict.publish(by=create_reviewer())

    def test_returned_verdict_keeps_the_note(self):
        verdict = self.make_reviewable()
        verdict.return_to_draft(by=create_reviewer(), note="Find Clash Report's post.")
        verdict.refresh_from_db()
        assert verdict.state == VerdictState.DRAFT
        assert verdict.review_note == "Find Clash Report's post."

    def test_draft_cannot_be_published_directly(self):
        verdict = create_verdict()
        create_carriage(claim=verdict.claim)
        with pytest.raises(WorkflowError):
            verdict.publish(by=create_reviewer())

    def test_corrections_are_dated(self):
        verdict = self.make_reviewable()
        verdict.publish(by=create_reviewer())
        correction = verdict.correct(by=create_reviewer(), text="Fixed the date of the trip.")
        assert verdict.date_modified == correction.published_at
        assert Carriage.objects.count() == 1


class TestHistory:
    def test_workflow_actions_are_recorded_with_user_and_fields(self):
        from claims.models import HistoryAction, HistoryEntry

        verdict = create_verdict(rating=Rating.FALSE)
        create_carriage(claim=verdict.claim)
        verdict.submit(by=verdict.author)
        reviewer = create_reviewer()
        verdict.return_to_draft(by=reviewer, note="Needs the original post.")
        entries = list(HistoryEntry.objects.filter(claim=verdict.claim).order_by("at", "pk"))
        # The return note also goes into the claim's thread, which the history records.
        assert [e.action for e in entries] == [
            HistoryAction.SUBMITTED,
            HistoryAction.RETURNED,
            HistoryAction.NOTED,
        ]
        assert entries[0].user == verdict.author
        assert entries[0].changes["state"] == ["draft", "in_review"]
        assert entries[1].user == reviewer
        assert entries[1].note == "Needs the original post."
        assert entries[1].changes["review_note"] == ["", "Needs the original post."]
