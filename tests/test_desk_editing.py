"""Logging a claim chain through the desk: forms, 422 fragments, 409 conflicts and history."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from claims.models import (
    Actor,
    Carriage,
    Claim,
    HistoryAction,
    HistoryEntry,
    Outlet,
    Report,
    Response,
    Tag,
    writing,
)

from .factories import (
    create_actor,
    create_carriage,
    create_claim,
    create_editor,
    create_outlet,
    create_report,
    create_response,
    create_tag,
)

HTMX = {"HX-Request": "true"}


@pytest.fixture
def editor(client):
    user = create_editor(username="olena")
    client.force_login(user)
    return user


def claim_data(claim: Claim | None = None, **overrides) -> dict:
    data = {
        "text": "Umerov refused to return to Ukraine",
        "subjects": "",
        "claimant": "",
        "first_seen_at": "2025-11-17T17:55",
        "tags": "",
        "language": "en",
        "context": "",
    }
    if claim is not None:
        data["version"] = claim.version
    return {**data, **overrides}


class TestClaims:
    def test_create_claim_without_javascript(self, client, editor):
        umerov = create_actor(name="Rustem Umerov")
        zelenskyy = create_actor(name="Volodymyr Zelenskyy")
        clash = create_actor(name="Clash Report")
        tag = create_tag(name="umerov")
        response = client.post(
            reverse("desk:claim_create"),
            claim_data(
                subjects="rustem umerov, Volodymyr Zelenskyy",
                claimant="Clash Report",
                tags="umerov",
            ),
        )
        claim = Claim.objects.get()
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"] == reverse("desk:claim_edit", args=[claim.slug])
        assert claim.slug == "umerov-refused-to-return-to-ukraine"
        assert set(claim.subjects.all()) == {umerov, zelenskyy}
        assert claim.claimant == clash
        assert list(claim.tags.all()) == [tag]
        assert claim.created_by == editor
        assert claim.first_seen_at.isoformat() == "2025-11-17T15:55:00+00:00"  # Kyiv is UTC+2
        entry = HistoryEntry.objects.get(claim=claim)
        assert entry.action == HistoryAction.CREATED
        assert entry.user == editor
        assert entry.changes["text"] == [None, "Umerov refused to return to Ukraine"]
        assert sorted(entry.changes["subjects"][1]) == sorted([umerov.pk, zelenskyy.pk])

    def test_htmx_success_redirects_the_client(self, client, editor):
        response = client.post(reverse("desk:claim_create"), claim_data(), headers=HTMX)
        assert response.status_code == HTTPStatus.OK
        assert response["HX-Redirect"] == reverse(
            "desk:claim_edit", args=[Claim.objects.get().slug]
        )

    def test_unknown_name_is_a_422_fragment_for_htmx(self, client, editor):
        response = client.post(
            reverse("desk:claim_create"), claim_data(claimant="Nobody Known"), headers=HTMX
        )
        assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
        html = response.content.decode()
        assert "<html" not in html
        assert 'id="claim-form"' in html
        assert "No actor called “Nobody Known” yet" in html
        assert 'value="Umerov refused to return to Ukraine"' in html  # the editor's input is kept
        assert not Claim.objects.exists()

    def test_invalid_form_without_javascript_is_the_whole_page(self, client, editor):
        response = client.post(reverse("desk:claim_create"), claim_data(text=""))
        assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
        assert "<html" in response.content.decode()
        assert not Claim.objects.exists()

    def test_edit_records_a_field_by_field_diff(self, client, editor):
        # A private claim (not yet approved): edits are written to the row at once.
        claim = create_claim(text="Umerov refused to return", language="", approved=False)
        tag = create_tag(name="presidents_office")
        response = client.post(
            reverse("desk:claim_edit", args=[claim.slug]),
            claim_data(claim, text="Umerov refused to return to Ukraine", tags=tag.name),
        )
        assert response.status_code == HTTPStatus.FOUND
        claim.refresh_from_db()
        assert claim.text == "Umerov refused to return to Ukraine"
        assert claim.version == 2
        entry = HistoryEntry.objects.get(claim=claim, action=HistoryAction.CHANGED)
        assert entry.user == editor
        assert entry.changes["text"] == ["Umerov refused to return", claim.text]
        assert entry.changes["tags"] == [[], [tag.pk]]
        assert entry.changes["language"] == ["", "en"]
        assert "context" not in entry.changes

    def test_stale_save_gets_409_and_changes_nothing(self, client, editor):
        claim = create_claim(text="Original text", language="en", approved=False)
        url = reverse("desk:claim_edit", args=[claim.slug])
        first = client.post(url, claim_data(claim, text="First editor's text"))
        assert first.status_code == HTTPStatus.FOUND
        stale = client.post(url, claim_data(claim, text="Second editor's text", context="Mine"))
        assert stale.status_code == HTTPStatus.CONFLICT
        claim.refresh_from_db()
        assert claim.text == "First editor's text"
        assert claim.context == ""
        assert claim.version == 2
        assert HistoryEntry.objects.filter(claim=claim).count() == 1
        html = stale.content.decode()
        assert "Someone else saved this" in html
        assert "Second editor&#x27;s text" in html and "First editor&#x27;s text" in html
        # The re-apply form carries the saved version, so saving it again goes through.
        assert 'name="version" value="2"' in html
        reapplied = client.post(
            url, claim_data(text="Second editor's text", context="Mine", version=2)
        )
        assert reapplied.status_code == HTTPStatus.FOUND
        claim.refresh_from_db()
        assert (claim.text, claim.context, claim.version) == ("Second editor's text", "Mine", 3)

    def test_stale_save_over_htmx_is_a_409_fragment(self, client, editor):
        claim = create_claim()
        Claim.objects.filter(pk=claim.pk).update(version=5)
        response = client.post(
            reverse("desk:claim_edit", args=[claim.slug]),
            claim_data(claim, text="Changed"),
            headers=HTMX,
        )
        assert response.status_code == HTTPStatus.CONFLICT
        html = response.content.decode()
        assert "<html" not in html and 'id="claim-form"' in html
        assert 'name="version" value="5"' in html

    def test_edit_form_carries_its_version(self, client, editor):
        claim = create_claim()
        Claim.objects.filter(pk=claim.pk).update(version=7)
        html = client.get(reverse("desk:claim_edit", args=[claim.slug])).content.decode()
        assert 'name="version" value="7"' in html
        assert f'hx-post="{reverse("desk:dashboard")}claims/' in html and 'method="post"' in html

    def test_missing_version_is_a_validation_error(self, client, editor):
        claim = create_claim(text="Kept")
        response = client.post(reverse("desk:claim_edit", args=[claim.slug]), claim_data(text="X"))
        assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
        claim.refresh_from_db()
        assert claim.text == "Kept"

    def test_withdraw_claim_keeps_it_in_history(self, client, editor):
        claim = create_claim(approved=False)
        url = reverse("desk:withdraw", args=["claim", claim.pk])
        assert client.post(url, {"reason": "", "version": 1}).status_code == 422
        response = client.post(url, {"reason": "Duplicate of another claim", "version": 1})
        assert response.status_code == HTTPStatus.FOUND
        claim.refresh_from_db()
        assert claim.withdrawn_at is not None
        assert claim.withdrawn_reason == "Duplicate of another claim"
        entry = HistoryEntry.objects.get(claim=claim)
        assert entry.action == HistoryAction.WITHDRAWN
        assert entry.note == "Duplicate of another claim"
        # Gone from the reader site, still on the desk.
        assert client.get(claim.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
        assert client.get(reverse("desk:claim_edit", args=[claim.slug])).status_code == 200

    def test_claim_with_a_published_verdict_needs_a_reviewer_to_withdraw(self, client, editor):
        from .factories import create_reviewer, create_verdict

        verdict = create_verdict(state="published")
        url = reverse("desk:withdraw", args=["claim", verdict.claim.pk])
        response = client.post(url, {"reason": "Unpublish quietly", "version": 1})
        assert response.status_code == HTTPStatus.FORBIDDEN
        verdict.claim.refresh_from_db()
        assert verdict.claim.withdrawn_at is None
        client.force_login(create_reviewer())
        response = client.post(url, {"reason": "Merged into another claim", "version": 1})
        assert response.status_code == HTTPStatus.FOUND
        # The claim is public: its withdrawal waits for a second editor.
        verdict.claim.refresh_from_db()
        assert verdict.claim.withdrawn_at is None
        writing.approve(verdict.claim, by=create_reviewer())
        verdict.claim.refresh_from_db()
        assert verdict.claim.withdrawn_reason == "Merged into another claim"

    def test_withdrawal_without_reason_over_htmx_is_a_422_fragment(self, client, editor):
        logged = create_response()
        response = client.post(
            reverse("desk:withdraw", args=["response", logged.pk]),
            {"reason": " ", "version": 1},
            headers=HTMX,
        )
        assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
        html = response.content.decode()
        assert "<html" not in html and 'id="withdraw-form"' in html
        assert "This field is required" in html or "Give a reason" in html

    def test_withdrawals_show_on_the_desk_and_in_the_history(self, client, editor):
        carriage = create_carriage(wording="As carried", approved=False)
        client.post(
            reverse("desk:withdraw", args=["carriage", carriage.pk]),
            {"reason": "Wrong report picked", "version": 1},
        )
        page = client.get(reverse("desk:claim_edit", args=[carriage.claim.slug])).content.decode()
        assert 'class="withdrawn"' in page and "Withdrawn: Wrong report picked" in page
        history = " ".join(
            client.get(reverse("desk:claim_history", args=[carriage.claim.slug]))
            .content.decode()
            .split()
        )
        assert "olena</strong> withdrew carriage" in history
        assert "<blockquote>Wrong report picked</blockquote>" in history
        assert '<th scope="row">Withdrawn reason</th><td class="old">—</td>' in history

    def test_stale_withdrawal_is_refused(self, client, editor):
        claim = create_claim()
        Claim.objects.filter(pk=claim.pk).update(version=2)
        response = client.post(
            reverse("desk:withdraw", args=["claim", claim.pk]), {"reason": "Dup", "version": 1}
        )
        assert response.status_code == HTTPStatus.CONFLICT
        claim.refresh_from_db()
        assert claim.withdrawn_at is None


class TestCarriages:
    def test_add_carriage_with_a_new_report(self, client, editor):
        claim = create_claim()
        outlet = create_outlet(name="Clash Report")
        response = client.post(
            reverse("desk:carriage_create", args=[claim.slug]),
            {
                "report": "",
                "new_report_outlet": "clash report",
                "new_report_url": "https://x.com/clashreport/status/1",
                "new_report_title": "Umerov refused to return",
                "new_report_published_at": "",
                "role": "origin",
                "wording": "Umerov allegedly refused to return to Ukraine",
                "cites": "",
            },
        )
        assert response.status_code == HTTPStatus.FOUND
        carriage = Carriage.objects.get()
        assert carriage.claim == claim and carriage.role == "origin"
        assert carriage.report.outlet == outlet
        assert carriage.report.url == "https://x.com/clashreport/status/1"
        assert carriage.created_by == editor
        actions = set(HistoryEntry.objects.filter(claim=claim).values_list("object_repr", "action"))
        assert (str(carriage.report), HistoryAction.CREATED) in actions
        assert (str(carriage), HistoryAction.CREATED) in actions

    def test_add_carriage_of_existing_report_citing_another(self, client, editor):
        claim = create_claim()
        origin = create_carriage(claim=claim, role="origin")
        report = create_report(title="Interfax-Ukraine article")
        response = client.post(
            reverse("desk:carriage_create", args=[claim.slug]),
            {"report": report.pk, "role": "mention", "wording": "", "cites": origin.pk},
        )
        assert response.status_code == HTTPStatus.FOUND
        assert Carriage.objects.get(report=report).cites == origin

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"report": ""}, "Pick the report, or give the new report"),
            ({"new_report_title": "Untitled outlet"}, "A new report needs its outlet"),
        ],
    )
    def test_carriage_needs_a_report(self, client, editor, data, message):
        claim = create_claim()
        response = client.post(
            reverse("desk:carriage_create", args=[claim.slug]),
            {"role": "repeat", **data},
            headers=HTMX,
        )
        assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
        assert message in response.content.decode()
        assert not Carriage.objects.exists() and not Report.objects.exists()

    def test_a_report_carries_a_claim_once(self, client, editor):
        carriage = create_carriage()
        response = client.post(
            reverse("desk:carriage_create", args=[carriage.claim.slug]),
            {"report": carriage.report.pk, "role": "repeat"},
        )
        assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
        assert "already carries the claim" in response.content.decode()

    def test_edit_and_withdraw_carriage(self, client, editor):
        # Still private (not yet approved): the edit is written to the row at once.
        carriage = create_carriage(wording="old", approved=False)
        url = reverse("desk:carriage_edit", args=[carriage.pk])
        data = {"report": carriage.report.pk, "role": "origin", "wording": "new", "version": 1}
        assert client.post(url, data).status_code == HTTPStatus.FOUND
        assert client.post(url, data).status_code == HTTPStatus.CONFLICT
        carriage.refresh_from_db()
        assert (carriage.wording, carriage.role, carriage.version) == ("new", "origin", 2)
        entry = HistoryEntry.objects.get(object_id=carriage.pk, action=HistoryAction.CHANGED)
        assert entry.claim == carriage.claim
        assert entry.changes == {"role": ["repeat", "origin"], "wording": ["old", "new"]}
        response = client.post(
            reverse("desk:withdraw", args=["carriage", carriage.pk]),
            {"reason": "Wrong report", "version": 2},
        )
        assert response.status_code == HTTPStatus.FOUND
        assert Carriage.objects.current().count() == 0
        assert Carriage.objects.count() == 1


class TestReports:
    def test_edit_report_is_versioned_and_in_every_carrying_claims_history(self, client, editor):
        report = create_report(title="Old title", outlet=create_outlet(name="Interfax-Ukraine"))
        # Carried by private carriages only, the report is private: written at once.
        first = create_carriage(report=report, approved=False)
        second = create_carriage(report=report, approved=False)
        url = reverse("desk:report_edit", args=[report.pk])
        page = client.get(url).content.decode()
        assert 'name="version" value="1"' in page and first.claim.text in page
        data = {
            "outlet": "Interfax-Ukraine",
            "url": "https://en.interfax.com.ua/news/1.html",
            "title": "New title",
            "published_at": "2025-11-17T17:55",
            "tags": "",
            "version": 1,
        }
        response = client.post(url, data)
        assert response["Location"] == reverse("desk:claim_edit", args=[first.claim.slug])
        report.refresh_from_db()
        assert (report.title, report.version) == ("New title", 2)
        for claim in (first.claim, second.claim):
            entry = HistoryEntry.objects.get(claim=claim, action=HistoryAction.CHANGED)
            assert entry.changes["title"] == ["Old title", "New title"]
            assert entry.user == editor
        stale = client.post(url, {**data, "title": "Stale title"}, headers=HTMX)
        assert stale.status_code == HTTPStatus.CONFLICT
        assert 'id="report-form"' in stale.content.decode()
        report.refresh_from_db()
        assert report.title == "New title"


class TestResponses:
    def test_add_response(self, client, editor):
        claim = create_claim()
        office = create_actor(name="President's Office")
        report = create_report()
        response = client.post(
            reverse("desk:response_create", args=[claim.slug]),
            {
                "responder": "President's Office",
                "stance": "denies",
                "attribution": "anonymous_source",
                "speaker_name": "",
                "quote": "It's fake",
                "report": report.pk,
                "responded_at": "2025-11-17T17:55",
            },
        )
        assert response.status_code == HTTPStatus.FOUND
        logged = Response.objects.get()
        assert (logged.claim, logged.responder, logged.report) == (claim, office, report)
        assert logged.quote == "It's fake"
        assert HistoryEntry.objects.get(object_id=logged.pk).user == editor

    def test_named_official_needs_a_name(self, client, editor):
        claim = create_claim()
        actor = create_actor()
        response = client.post(
            reverse("desk:response_create", args=[claim.slug]),
            {
                "responder": actor.name,
                "stance": "denies",
                "attribution": "named_official",
                "responded_at": "2025-11-17T17:55",
            },
            headers=HTMX,
        )
        assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
        assert "needs the speaker" in response.content.decode()
        assert not Response.objects.exists()

    def test_edit_response_conflict_shows_both_values(self, client, editor):
        logged = create_response(quote="It's fake")
        url = reverse("desk:response_edit", args=[logged.pk])
        data = {
            "responder": logged.responder.name,
            "stance": "denies",
            "attribution": "spokesperson",
            "quote": "It is fake",
            "responded_at": "2025-11-17T17:55",
            "version": 1,
        }
        Response.objects.filter(pk=logged.pk).update(quote="Fake", version=2)
        response = client.post(url, data)
        assert response.status_code == HTTPStatus.CONFLICT
        html = response.content.decode()
        assert "It is fake" in html and "Fake" in html
        logged.refresh_from_db()
        assert logged.quote == "Fake"

    def test_withdraw_response(self, client, editor):
        logged = create_response(approved=False)
        response = client.post(
            reverse("desk:withdraw", args=["response", logged.pk]),
            {"reason": "Misattributed", "version": 1},
            headers=HTMX,
        )
        assert response.status_code == HTTPStatus.OK and response["HX-Redirect"]
        logged.refresh_from_db()
        assert logged.withdrawn_reason == "Misattributed"


class TestNames:
    def test_autocomplete_returns_options(self, client, editor):
        create_actor(name="Rustem Umerov", role="NSDC Secretary")
        create_actor(name="Volodymyr Zelenskyy")
        response = client.get(
            reverse("desk:autocomplete", args=["actors"]), {"field": "claimant", "claimant": "umer"}
        )
        assert response.status_code == HTTPStatus.OK
        html = response.content.decode()
        assert '<option value="Rustem Umerov">NSDC Secretary</option>' in html
        assert "Zelenskyy" not in html

    def test_autocomplete_keeps_earlier_names_of_a_list(self, client, editor):
        create_tag(name="umerov")
        response = client.get(
            reverse("desk:autocomplete", args=["tags"]),
            {"field": "tags", "tags": "presidents_office, ume", "multiple": "1"},
        )
        assert '<option value="presidents_office, umerov">' in response.content.decode()

    def test_name_inputs_have_a_datalist_and_htmx(self, client, editor):
        create_actor(name="Rustem Umerov")
        html = client.get(reverse("desk:claim_create")).content.decode()
        assert 'list="id_claimant-names"' in html
        assert '<datalist id="id_claimant-names"><option value="Rustem Umerov">' in html
        assert 'hx-trigger="input changed delay:300ms"' in html

    def test_create_actor_inline_with_htmx(self, client, editor):
        response = client.post(
            reverse("desk:name_create", args=["actors"]),
            {
                "new-actors-name": "President's Office",
                "new-actors-kind": "organisation",
                "new-actors-role": "",
            },
            headers=HTMX,
        )
        assert response.status_code == HTTPStatus.OK
        assert "Added President&#x27;s Office" in response.content.decode()
        actor = Actor.objects.get()
        assert (actor.slug, actor.kind) == ("presidents-office", "organisation")

    def test_create_outlet_and_tag_without_javascript(self, client, editor):
        back = reverse("desk:claim_create")
        response = client.post(
            reverse("desk:name_create", args=["outlets"]),
            {"new-outlets-name": "Clash Report", "new-outlets-kind": "social", "next": back},
        )
        assert response.status_code == HTTPStatus.FOUND and response["Location"] == back
        response = client.post(
            reverse("desk:name_create", args=["tags"]),
            {"new-tags-name": "umerov", "next": "https://evil.example/"},
        )
        assert response["Location"] == reverse("desk:dashboard")
        assert Outlet.objects.get().name == "Clash Report"
        assert Tag.objects.get().slug == "umerov"

    def test_name_taken_between_check_and_save_is_a_422(self, client, editor, monkeypatch):
        from claims.desk.forms import NewOutletForm

        create_outlet(name="Clash Report")
        # As if another editor added it after this form was validated.
        monkeypatch.setattr(NewOutletForm, "clean_name", lambda form: form.cleaned_data["name"])
        monkeypatch.setattr(NewOutletForm, "validate_constraints", lambda form: None)
        response = client.post(
            reverse("desk:name_create", args=["outlets"]),
            {"new-outlets-name": "CLASH REPORT", "new-outlets-kind": "social"},
            headers=HTMX,
        )
        assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
        assert "There is already a outlet" not in response.content.decode()
        assert "There is already an outlet called that." in response.content.decode()
        assert Outlet.objects.count() == 1

    def test_duplicate_name_is_refused(self, client, editor):
        create_outlet(name="Clash Report")
        response = client.post(
            reverse("desk:name_create", args=["outlets"]),
            {"new-outlets-name": "clash report", "new-outlets-kind": "social"},
            headers=HTMX,
        )
        assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
        assert Outlet.objects.count() == 1


class TestHistoryPage:
    def test_shows_who_changed_which_field_from_what_to_what(self, client, editor):
        claim = create_claim(text="Before", language="uk", approved=False)
        client.post(
            reverse("desk:claim_edit", args=[claim.slug]),
            claim_data(
                claim, text="After", language="en", claimant=create_actor(name="Clash").name
            ),
        )
        html = client.get(reverse("desk:claim_history", args=[claim.slug])).content.decode()
        assert "olena" in html
        assert "changed" in html
        assert (
            '<th scope="row">Text</th><td class="old">Before</td><td class="new">After</td>' in html
        )
        assert (
            '<th scope="row">Claimant</th><td class="old">—</td><td class="new">Clash</td>' in html
        )
