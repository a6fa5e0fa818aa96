"""Editors talk and own work in the tool: a claim's thread with @mentions (kept in the history,
never public), assignments of claims and leads, and the desk emails they send."""

from http import HTTPStatus

import pytest
from django.core import mail
from django.urls import reverse

from claims.models import (
    Assignment,
    Carriage,
    Claim,
    FeedItem,
    HistoryAction,
    Lead,
    Note,
    NoteKind,
    NotificationPreference,
    OutletFeed,
    threads,
    writing,
)

from .factories import (
    create_carriage,
    create_denied_chain,
    create_editor,
    create_outlet,
    create_report,
    create_reviewer,
)

SECRET_NOTE = "Internal: the source is shaky, @bohdan please call the ministry"


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SITE_URL = "https://desk.example"


@pytest.fixture
def anna():
    return create_editor(username="anna", email="anna@example.org")


@pytest.fixture
def bohdan():
    return create_reviewer(username="Bohdan", email="bohdan@example.org")


def logged_by(author, text="Umerov refused to return"):
    claim = writing.create(Claim, by=author, values={"text": text}, slug="umerov-refused")
    writing.create(Carriage, by=author, values={"claim": claim, "report": create_report()})
    return claim


def test_a_mention_reaches_the_other_editors_dashboard_and_mailbox(
    client, anna, bohdan, django_capture_on_commit_callbacks
):
    claim = logged_by(anna)
    mail.outbox.clear()
    client.force_login(anna)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("desk:note_create", args=[claim.slug]), {"text": SECRET_NOTE})
    assert answer.status_code == HTTPStatus.FOUND
    note = Note.objects.get()
    assert (note.author, note.claim, list(note.mentions.all())) == (anna, claim, [bohdan])
    # Recorded in the claim's history, with the mention.
    entry = claim.history.get(action=HistoryAction.NOTED)
    assert entry.user == anna and entry.note == SECRET_NOTE
    assert entry.changes == {"mentions": [None, [bohdan.pk]]}
    # One email, to Bohdan only, with an absolute link to the desk page.
    assert [m.to for m in mail.outbox] == [["bohdan@example.org"]]
    message = mail.outbox[0]
    assert message.subject == "anna mentioned you: Umerov refused to return"
    assert "https://desk.example" + reverse("desk:claim_edit", args=[claim.slug]) in message.body
    assert SECRET_NOTE in message.body
    # Bohdan's dashboard lists it; Anna's thread shows it with the mention marked.
    client.force_login(bohdan)
    dashboard = client.get(reverse("desk:dashboard")).content.decode()
    assert "Mentions of you" in dashboard and "Internal: the source is shaky" in dashboard
    page = client.get(reverse("desk:claim_edit", args=[claim.slug])).content.decode()
    assert '<strong class="mention">@bohdan</strong>' in page


def test_unknown_names_stay_text_and_nobody_is_mailed(anna, django_capture_on_commit_callbacks):
    claim = logged_by(anna)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        note = threads.post_note(
            claim, by=anna, text="Ask @nobody and @anna, write to press@ministry.example"
        )
    assert list(note.mentions.all()) == []  # unknown, herself, and an email address
    assert mail.outbox == []


def test_a_muted_kind_is_not_sent(anna, bohdan, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(user=bohdan, muted=["mentioned"])
    claim = logged_by(anna)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        threads.post_note(claim, by=anna, text="@Bohdan look")
    assert mail.outbox == []
    # Still on his dashboard: only the email is off.
    assert Note.objects.mentioning(bohdan).count() == 1


def test_the_preferences_page_turns_kinds_off(client, bohdan):
    client.force_login(bohdan)
    url = reverse("desk:notification_settings")
    assert client.get(url).status_code == HTTPStatus.OK
    answer = client.post(url, {"wanted": ["returned", "approved"], "language": ""})
    assert answer.status_code == HTTPStatus.FOUND
    pref = NotificationPreference.objects.get(user=bohdan)
    assert set(pref.muted) == {"review_requested", "assigned", "mentioned"}
    bad = client.post(url, {"wanted": ["everything"], "language": "xx"})
    assert bad.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert set(NotificationPreference.objects.get(user=bohdan).muted) == set(pref.muted)


def test_return_keeps_the_note_in_the_thread_and_tells_the_author_only(
    anna, bohdan, django_capture_on_commit_callbacks
):
    claim = logged_by(anna)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        writing.return_work(claim, by=bohdan, note="Which outlet first said it?")
    assert [m.to for m in mail.outbox] == [["anna@example.org"]]
    assert mail.outbox[0].subject == "Returned to you: Umerov refused to return"
    assert "Which outlet first said it?" in mail.outbox[0].body
    # The author resubmits: the note stays in the thread, and the reviewer is asked again.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        writing.resubmit(claim, by=anna)
    returned = Note.objects.of(claim).get()
    assert (returned.kind, returned.author, returned.text) == (
        NoteKind.RETURNED,
        bohdan,
        "Which outlet first said it?",
    )
    assert [m.to for m in mail.outbox] == [["bohdan@example.org"]]
    assert mail.outbox[0].subject.startswith("Review requested")


def test_approval_tells_the_authors_never_the_reviewer(
    anna, bohdan, django_capture_on_commit_callbacks
):
    other = create_editor(username="olena", email="olena@example.org")
    claim = logged_by(anna)
    writing.create(Carriage, by=other, values={"claim": claim, "report": create_report()})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        writing.approve(claim, by=bohdan)
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@example.org", "olena@example.org"]
    assert all(m.subject.startswith("Approved") for m in mail.outbox)


def test_a_claim_entering_the_queue_asks_its_reviewer_once(
    anna, bohdan, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        claim = logged_by(anna)  # two writes, one request
    assert [m.to for m in mail.outbox] == [["bohdan@example.org"]]
    assert mail.outbox[0].subject == "Review requested: Umerov refused to return"
    # Assigned to another reviewer, only they are asked.
    olha = create_reviewer(username="olha", email="olha@example.org")
    threads.assign(claim, to=olha, by=anna)
    writing.approve(claim, by=bohdan)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        create_carriage(claim=claim)  # outside the write path: nothing
        writing.create(Carriage, by=anna, values={"claim": claim, "report": create_report()})
    assert [m.to for m in mail.outbox] == [["olha@example.org"]]


def test_assigning_tells_the_assignee_not_oneself(
    client, anna, bohdan, django_capture_on_commit_callbacks
):
    claim = logged_by(anna)
    client.force_login(anna)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("desk:claim_assign", args=[claim.slug]), {"editor": "anna"})
    assert Assignment.objects.get(claim=claim).editor == anna
    assert mail.outbox == []  # she took it herself
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("desk:claim_assign", args=[claim.slug]), {"editor": "Bohdan"})
    assert Assignment.objects.get(claim=claim).editor == bohdan
    assert [m.to for m in mail.outbox] == [["bohdan@example.org"]]
    assert mail.outbox[0].subject == "Assigned to you: Umerov refused to return"
    assert claim.history.filter(action=HistoryAction.ASSIGNED).count() == 2
    # Bohdan sees it as his; Anna's "my claims" still finds it (she logged it).
    client.force_login(bohdan)
    dashboard = client.get(reverse("desk:dashboard"), {"mine": "on"}).content.decode()
    assert "Assigned to you" in dashboard and "Umerov refused to return" in dashboard
    client.post(reverse("desk:claim_unassign", args=[claim.slug]))
    assert not Assignment.objects.exists()
    assert claim.history.filter(action=HistoryAction.UNASSIGNED).count() == 1
    # A stranger's name is refused, nothing saved.
    answer = client.post(reverse("desk:claim_assign", args=[claim.slug]), {"editor": "ghost"})
    assert answer.status_code == HTTPStatus.FOUND and not Assignment.objects.exists()


def test_my_claims_filter(client, anna, bohdan):
    logged_by(anna, "Anna's claim")
    theirs = writing.create(Claim, by=bohdan, values={"text": "Bohdan's claim"}, slug="b")
    client.force_login(anna)
    mine = client.get(reverse("desk:dashboard"), {"mine": "on"}).content.decode()
    assert "Anna&#x27;s claim" in mine and "Bohdan&#x27;s claim" not in mine
    threads.assign(theirs, to=anna, by=bohdan)
    mine = client.get(
        reverse("desk:dashboard"),
        {"mine": "on"},
        headers={"HX-Request": "true", "HX-Target": "claim-finder-results"},
    ).content.decode()
    assert "<html" not in mine and "Bohdan&#x27;s claim" in mine


def test_a_lead_can_be_assigned(client, anna, bohdan, django_capture_on_commit_callbacks):
    feed = OutletFeed.objects.create(outlet=create_outlet(), url="https://example.org/rss")
    item = FeedItem.objects.create(feed=feed, url="https://example.org/1", title="Denial")
    lead = Lead.objects.create(item=item, score=80)
    client.force_login(anna)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("desk:lead_assign", args=[lead.pk]), {"editor": "Bohdan"})
    assert Assignment.objects.get(lead=lead).editor == bohdan
    assert mail.outbox[0].subject == "Assigned to you: Denial"
    assert "https://desk.example" + reverse("importer:inbox") in mail.outbox[0].body
    client.force_login(bohdan)
    assert "Denial" in client.get(reverse("desk:dashboard")).content.decode()
    client.post(reverse("desk:lead_unassign", args=[lead.pk]))
    assert not Assignment.objects.exists()


def test_the_note_form_validates_and_answers_htmx_with_the_thread(client, anna):
    claim = logged_by(anna)
    client.force_login(anna)
    url = reverse("desk:note_create", args=[claim.slug])
    empty = client.post(url, {"text": "   "})
    assert empty.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert 'class="errorlist"' in empty.content.decode()
    too_long = client.post(url, {"text": "x" * 5001}, headers={"HX-Request": "true"})
    assert too_long.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "<html" not in too_long.content.decode()
    fragment = client.post(url, {"text": "Checked."}, headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert fragment.status_code == HTTPStatus.OK and "<html" not in html and "Checked." in html
    assert Note.objects.count() == 1


def test_notes_are_never_public(client, bohdan):
    chain = create_denied_chain()
    claim = chain["claim"]
    threads.post_note(claim, by=bohdan, text=SECRET_NOTE)
    writing.return_work(
        logged_by(bohdan, "Other"), by=create_reviewer(), note="RETURN-NOTE-NOT-PUBLIC"
    )
    pages = [
        claim.get_absolute_url(),
        reverse("claims:claim_list"),
        reverse("claims:home"),
        reverse("claims:claim_export_json"),
        reverse("claims:claim_export_csv"),
        reverse("claims:denied_rss"),
        reverse("claims:verdicts_atom"),
        reverse("claims:actor_detail", args=[chain["office"].slug]),
        f"/api/v1/claims/{claim.pk}",
        "/api/v1/claims",
    ]
    client.logout()
    for url in pages:
        answer = client.get(url)
        assert answer.status_code == HTTPStatus.OK, url
        body = b"".join(answer) if answer.streaming else answer.content
        assert b"source is shaky" not in body, url
        assert b"RETURN-NOTE-NOT-PUBLIC" not in body, url


def test_email_url_parsing():
    from factcheck.settings import mailer_from_url

    assert mailer_from_url("console://")["BACKEND"].endswith("console.EmailBackend")
    smtp = mailer_from_url("smtp+tls://desk%40example.org:p%40ss@mail.example.org")["OPTIONS"]
    assert (smtp["host"], smtp["port"], smtp["username"], smtp["password"]) == (
        "mail.example.org",
        587,
        "desk@example.org",
        "p@ss",
    )
    assert smtp["use_tls"] and not smtp["use_ssl"]
    plain = mailer_from_url("smtp://mail.example.org:2525")["OPTIONS"]
    assert (plain["port"], plain["use_tls"], plain["username"]) == (2525, False, "")
    with pytest.raises(SystemExit, match="EMAIL_URL has an unknown scheme"):
        mailer_from_url("imap://mail.example.org")


def test_emails_are_rendered_in_the_recipients_language(
    settings, anna, bohdan, django_capture_on_commit_callbacks
):
    from claims.notifications import language_of

    settings.LANGUAGES = [("en", "English"), ("uk", "Українська")]
    assert language_of(bohdan) == "en"
    NotificationPreference.objects.create(user=bohdan, language="uk")
    assert language_of(bohdan) == "uk"
    NotificationPreference.objects.filter(user=bohdan).update(language="xx")
    assert language_of(bohdan) == settings.LANGUAGE_CODE  # an unknown code: the default


def test_verdict_review_return_and_publication_tell_the_right_people(
    anna, bohdan, django_capture_on_commit_callbacks
):
    from .factories import create_verdict

    claim = create_carriage().claim  # a public claim with a public source
    verdict = create_verdict(claim=claim, author=anna, rating="false")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        verdict.submit(by=anna)
    assert "bohdan@example.org" in [m.to[0] for m in mail.outbox]
    assert "anna@example.org" not in [m.to[0] for m in mail.outbox]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        verdict.return_to_draft(by=bohdan, note="Cite the second source.")
    assert [m.to for m in mail.outbox] == [["anna@example.org"]]
    assert Note.objects.of(claim).get().text == "Cite the second source."
    verdict.submit(by=anna)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        verdict.publish(by=bohdan)
    assert [(m.to, m.subject.split(":")[0]) for m in mail.outbox] == [
        (["anna@example.org"], "Approved")
    ]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        verdict.correct(by=anna, text="A date was wrong.")
    assert "bohdan@example.org" in [m.to[0] for m in mail.outbox]
