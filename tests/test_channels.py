"""
Verified official channels: an actor's channel counts as theirs once an editor verified it,
with proof; a response made on a channel that is not verified is flagged on the desk and on
the claim page.
"""

from http import HTTPStatus

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from claims.models import ActorChannel, OutletKind, mark_channels
from tests.factories import (
    create_actor,
    create_claim,
    create_editor,
    create_outlet,
    create_report,
    create_response,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def telegram_response(*, channel_url: str = "https://t.me/ministry_of_defense_ua"):
    ministry = create_actor(name="Ministry of Defence", kind="organisation")
    channel = create_outlet(name="Міноборони", kind=OutletKind.TELEGRAM, homepage=channel_url)
    report = create_report(outlet=channel, url=f"{channel_url}/5121", title="Це фейк")
    claim = create_claim(text="The mobilisation age will drop to 23")
    return create_response(claim=claim, responder=ministry, report=report, quote="Це фейк")


def verify(actor, url: str, *, by=None) -> ActorChannel:
    return ActorChannel.objects.create(
        actor=actor,
        url=url,
        verified_at=timezone.now(),
        verified_by=by,
        proof="https://www.mil.gov.ua/contacts/",
    )


def test_a_response_on_an_unverified_channel_is_flagged_on_the_claim_page_and_the_desk(client):
    response = telegram_response()
    page = client.get(response.claim.get_absolute_url()).content.decode()
    assert "Made on a channel not verified as Ministry of Defence’s" in page
    client.force_login(create_editor())
    desk = client.get(reverse("desk:claim_edit", args=[response.claim.slug]))
    assert desk.status_code == HTTPStatus.OK
    assert "Unverified channel: https://t.me/ministry_of_defense_ua" in desk.content.decode()


def test_a_verified_channel_is_not_flagged():
    response = telegram_response()
    verify(response.responder, "http://www.t.me/Ministry_of_Defense_UA/")
    [marked] = [response]
    mark_channels([marked])
    assert marked.channel_verified is True


def test_a_channel_on_file_but_not_verified_still_flags():
    response = telegram_response()
    ActorChannel.objects.create(actor=response.responder, url="https://t.me/ministry_of_defense_ua")
    mark_channels([response])
    assert response.channel_verified is False


def test_someone_elses_verified_channel_does_not_count():
    response = telegram_response()
    verify(create_actor(name="Someone else"), "https://t.me/ministry_of_defense_ua")
    mark_channels([response])
    assert response.channel_verified is False


def test_a_news_report_is_not_a_channel():
    response = create_response(report=create_report())
    mark_channels([response])
    assert response.channel_verified is None


def test_a_channel_cannot_be_verified_without_proof():
    actor = create_actor()
    with pytest.raises(IntegrityError), transaction.atomic():
        ActorChannel.objects.create(
            actor=actor, url="https://t.me/x_channel", verified_at=timezone.now()
        )


def test_editors_file_a_channel_and_a_reviewer_verifies_it_on_the_desk(client):
    from claims.models import HistoryEntry
    from tests.factories import create_reviewer

    response = telegram_response()
    ministry = response.responder
    client.force_login(create_editor())
    page = reverse("desk:actor_channels", args=[ministry.slug])
    assert client.get(page).status_code == HTTPStatus.OK
    added = client.post(
        reverse("desk:channel_add", args=[ministry.slug]),
        {"kind": "telegram", "url": "https://t.me/ministry_of_defense_ua"},
    )
    assert added.status_code == HTTPStatus.FOUND
    channel = ActorChannel.objects.get(actor=ministry)
    assert not channel.verified
    # The same channel twice is a form error, not a 500.
    again = client.post(
        reverse("desk:channel_add", args=[ministry.slug]),
        {"kind": "telegram", "url": "https://t.me/ministry_of_defense_ua"},
    )
    assert again.status_code == 422 and ActorChannel.objects.count() == 1
    # An editor may not verify; a reviewer must, with proof.
    verify_url = reverse("desk:channel_verify", args=[channel.pk])
    assert client.post(verify_url, {"proof": "https://www.mil.gov.ua/"}).status_code == 403
    reviewer = create_reviewer()
    client.force_login(reviewer)
    refused = client.post(verify_url, {"proof": ""})
    assert refused.status_code == 422
    assert "Verifying a channel needs the proof" in refused.content.decode()
    assert client.post(verify_url, {"proof": "https://www.mil.gov.ua/"}).status_code == 302
    channel.refresh_from_db()
    assert channel.verified and channel.verified_by == reviewer
    assert channel.proof == "https://www.mil.gov.ua/"
    client.logout()
    claim_page = client.get(response.claim.get_absolute_url()).content.decode()
    assert "Made on a channel not verified" not in claim_page
    # Taken back: the claim page flags the response again (its cached copy is dropped).
    client.force_login(reviewer)
    unverify = reverse("desk:channel_unverify", args=[channel.pk])
    refused = client.post(unverify, {"reason": ""})
    assert refused.status_code == 422
    assert "Say why the channel is no longer taken as verified" in refused.content.decode()
    assert client.post(unverify, {"reason": "Impersonation reported"}).status_code == 302
    client.logout()
    claim_page = client.get(response.claim.get_absolute_url()).content.decode()
    assert "Made on a channel not verified as Ministry of Defence’s" in claim_page
    notes = HistoryEntry.objects.filter(object_repr__contains="t.me/ministry_of_defense_ua")
    assert notes.count() == 3
