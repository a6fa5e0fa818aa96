"""API keys, per-address limits, and cursor walks that stay stable while rows arrive."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from claims.models import ApiKey, Stance
from tests.factories import create_claim, create_response

API = "/api/v1"


@pytest.fixture
def one_minute(monkeypatch):
    """Every request in the same minute's window, however slow the machine."""
    from claims.api import access

    monkeypatch.setattr(access, "now", lambda: 1_800_000_030.0)  # 30 s into a minute


@pytest.fixture
def partner_key():
    return ApiKey.issue(partner="Partner newsroom", requests_per_minute=5)


def test_a_key_is_stored_hashed_and_shown_once(partner_key):
    key, secret = partner_key
    stored = ApiKey.objects.get(pk=key.pk)
    assert secret not in (stored.hashed_key, stored.prefix)
    assert secret.startswith(stored.prefix)
    assert ApiKey.objects.matching(secret) == key
    assert ApiKey.objects.matching(secret + "x") is None


def test_a_key_counts_its_uses(client, partner_key):
    from claims.api.access import write_all_uses

    key, secret = partner_key
    for _ in range(3):
        assert client.get(f"{API}/tags", headers={"X-API-Key": secret}).status_code == 200
    key.refresh_from_db()
    assert key.use_count == 1  # the first use is written at once, the next ones batched
    assert key.last_used_at is not None
    write_all_uses()  # as at the process's exit, or the desk's key page
    key.refresh_from_db()
    assert key.use_count == 3


def test_a_busy_key_is_counted_right_without_a_write_per_request(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from claims.api.access import USES_PER_WRITE, write_all_uses

    key, secret = ApiKey.issue(partner="Busy partner", requests_per_minute=10_000)
    uses = 2 * USES_PER_WRITE + 7
    with CaptureQueriesContext(connection) as queries:
        for _ in range(uses):
            client.get(f"{API}/tags", headers={"X-API-Key": secret})
    writes = [q for q in queries if q["sql"].startswith('UPDATE "claims_apikey"')]
    assert len(writes) == 3  # the first use, then one per USES_PER_WRITE
    key.refresh_from_db()
    assert key.use_count == 2 * USES_PER_WRITE + 1
    write_all_uses()
    key.refresh_from_db()
    assert key.use_count == uses


def test_the_desk_shows_every_use_counted_so_far(client, partner_key):
    from django.urls import reverse

    from tests.factories import create_user

    key, secret = partner_key
    for _ in range(4):
        client.get(f"{API}/tags", headers={"X-API-Key": secret})
    client.force_login(create_user(username="admin", is_superuser=True, is_staff=True))
    assert client.get(reverse("desk:api_keys")).status_code == HTTPStatus.OK
    key.refresh_from_db()
    assert key.use_count == 4


def test_head_answers_like_get_without_a_body(client):
    claim = create_claim()
    for path in (f"{API}/claims", f"{API}/claims/{claim.pk}", f"{API}/tags", f"{API}/denials"):
        got, head = client.get(path), client.head(path)
        assert head.status_code == HTTPStatus.OK, path
        assert head["Content-Type"] == got["Content-Type"]
        assert head["Content-Length"] == got["Content-Length"]
        assert head.content == b""


def test_readers_behind_a_proxy_are_throttled_each_by_their_own_address(
    client, settings, one_minute
):
    settings.API_ANON_PER_MINUTE = 1
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    first = client.get(f"{API}/tags", HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    second = client.get(f"{API}/tags", HTTP_X_FORWARDED_FOR="198.51.100.8", **proxy)
    again = client.get(f"{API}/tags", HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    assert [first.status_code, second.status_code, again.status_code] == [200, 200, 429]


def test_a_revoked_key_stops_working(client, partner_key):
    key, secret = partner_key
    assert client.get(f"{API}/tags", headers={"X-API-Key": secret}).status_code == HTTPStatus.OK
    key.revoke()
    answer = client.get(f"{API}/tags", headers={"X-API-Key": secret})
    assert answer.status_code == HTTPStatus.UNAUTHORIZED
    assert answer["Content-Type"] == "application/problem+json"
    assert "revoked" in answer.json()["detail"]


def test_a_wrong_key_is_refused_not_treated_as_anonymous(client):
    answer = client.get(f"{API}/claims", headers={"X-API-Key": "fck_not-a-key"})
    assert answer.status_code == HTTPStatus.UNAUTHORIZED
    assert answer.json()["status"] == 401


def test_anonymous_reads_are_throttled_per_address(client, settings, one_minute):
    settings.API_ANON_PER_MINUTE = 3
    for _ in range(3):
        assert client.get(f"{API}/tags").status_code == HTTPStatus.OK
    answer = client.get(f"{API}/tags")
    assert answer.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert answer["Content-Type"] == "application/problem+json"
    assert answer["Retry-After"] == "30"
    # Another address has its own allowance.
    assert client.get(f"{API}/tags", REMOTE_ADDR="203.0.113.9").status_code == HTTPStatus.OK


def test_a_key_has_its_own_higher_limit(client, settings, partner_key, one_minute):
    settings.API_ANON_PER_MINUTE = 1
    _, secret = partner_key  # 5 a minute
    client.get(f"{API}/tags")
    assert client.get(f"{API}/tags").status_code == HTTPStatus.TOO_MANY_REQUESTS
    statuses = [
        client.get(f"{API}/tags", headers={"X-API-Key": secret}).status_code for _ in "x" * 6
    ]
    assert statuses == [200] * 5 + [429]


def test_cached_reads_are_still_counted_and_throttled(client, settings, one_minute):
    settings.API_ANON_PER_MINUTE = 2
    claim = create_claim()
    path = f"{API}/claims/{claim.pk}"
    assert [client.get(path).status_code for _ in range(3)] == [200, 200, 429]


def walk(client, path: str, *, during=None, **params) -> list[int]:
    """Every id of a list, page by page; `during(page_number)` runs between pages."""
    seen, cursor, pages = [], None, 0
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        body = client.get(path, query).json()
        seen += [item["id"] for item in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return seen
        if during:
            during(pages)
        cache.clear()  # factories skip the desk's cache invalidation
        assert pages < 100


def test_a_cursor_walk_over_a_growing_list_returns_every_item_once(client, settings):
    settings.API_ANON_PER_MINUTE = 1000
    now = timezone.now()
    # Some share a first-seen time: the id breaks the tie.
    claims = [create_claim(first_seen_at=now - timedelta(hours=n // 3)).pk for n in range(23)] + [
        create_claim(first_seen_at=None).pk for _ in range(3)
    ]
    denials = [
        create_response(stance=Stance.DENIES, responded_at=now - timedelta(hours=n % 5)).pk
        for n in range(17)
    ]
    added = []

    def arrive(page: int) -> None:
        # New claims and denials arrive at the top of the newest-first lists mid-walk.
        added.append(create_claim(first_seen_at=timezone.now() + timedelta(hours=page)).pk)
        create_response(stance=Stance.DENIES, responded_at=timezone.now() + timedelta(hours=1))

    for order in ("newest", "oldest"):
        seen = walk(client, f"{API}/claims", during=arrive, page_size=4, order=order)
        assert len(seen) == len(set(seen))  # nothing twice
        assert set(claims) <= set(seen)  # nothing that was there is skipped
        seen = walk(client, f"{API}/denials", during=arrive, page_size=5, order=order)
        assert len(seen) == len(set(seen))
        assert set(denials) <= set(seen)
    # Oldest first, what arrives during the walk comes at the end, so it is seen too.
    assert set(added[:2]) <= set(walk(client, f"{API}/claims", page_size=4, order="oldest"))


def test_name_lists_walk_by_id(client, settings):
    from tests.factories import create_tag

    settings.API_ANON_PER_MINUTE = 1000
    tags = [create_tag().pk for _ in range(7)]
    assert walk(client, f"{API}/tags", page_size=3) == tags


def test_admins_issue_a_key_shown_once_and_revoke_it(client):
    from tests.factories import create_user

    admin = create_user(username="admin", is_superuser=True, is_staff=True)
    client.force_login(admin)
    answer = client.post(
        reverse("desk:api_key_create"), {"partner": "Kyiv Post", "requests_per_minute": 100}
    )
    assert answer.status_code == HTTPStatus.FOUND
    page = client.get(reverse("desk:api_keys")).content.decode()
    key = ApiKey.objects.get()
    secret = page.split(f"<code>{key.prefix}", 1)[1].split("</code>", 1)[0]
    secret = key.prefix + secret
    assert ApiKey.objects.matching(secret) == key
    assert secret not in client.get(reverse("desk:api_keys")).content.decode()  # only once
    client.post(reverse("desk:api_key_revoke", args=[key.pk]))
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert ApiKey.objects.matching(secret) is None


def test_editors_cannot_manage_keys(client):
    from tests.factories import create_editor

    client.force_login(create_editor())
    assert client.get(reverse("desk:api_keys")).status_code == HTTPStatus.FORBIDDEN
    answer = client.post(reverse("desk:api_key_create"), {"partner": "x", "requests_per_minute": 1})
    assert answer.status_code == HTTPStatus.FORBIDDEN
    assert not ApiKey.objects.exists()


@pytest.fixture
def involved():
    """An actor's and an outlet's denials in every way a denial counts for them, with times
    that tie, beside denials that count for neither and responses readers cannot see."""
    from claims.models import Stance
    from tests.factories import create_actor, create_carriage, create_outlet, create_report

    now = timezone.now()
    office, other = create_actor(name="Defence Ministry"), create_actor(name="Someone else")
    outlet = create_outlet(name="Kyiv Wire")
    times = iter(now - timedelta(hours=n // 2) for n in range(40))  # pairs share a time

    def denial(claim, responder=other, **fields):
        return create_response(claim=claim, responder=responder, responded_at=next(times), **fields)

    made, about = create_claim(claimant=office), create_claim(subjects=[office])
    answered, carried = create_claim(), create_claim()
    create_response(claim=answered, responder=office, stance=Stance.CONFIRMS)
    create_carriage(claim=carried, report=create_report(outlet=outlet))
    expected = {
        "actor": [
            denial(create_claim(), office).pk,
            denial(made).pk,
            denial(made).pk,
            denial(about, report=create_report()).pk,
            denial(answered).pk,
            denial(made, office, channel_url="https://t.me/ministry/5").pk,
        ],
        "outlet": [
            denial(carried).pk,
            denial(carried, channel_url="https://t.me/someone/7").pk,
            denial(create_claim(), report=create_report(outlet=outlet)).pk,
        ],
    }
    for _ in range(4):
        denial(create_claim())
    denial(made, approved=False)
    denial(create_claim(), office, withdrawn_at=now, withdrawn_reason="Wrong office")
    denial(about, stance=Stance.CLARIFIES)
    cache.clear()
    return {"actor": office, "outlet": outlet, "expected": expected}


@pytest.mark.parametrize("large", [False, True], ids=["few-claims", "many-claims"])
def test_denials_by_actor_or_outlet_walk_in_order(client, settings, monkeypatch, involved, large):
    """Every denial that counts, newest (or oldest) first with ties broken by id, each once,
    whichever way the actor's denials are looked up."""
    from claims.models import Response, responses

    settings.API_ANON_PER_MINUTE = 1000
    if large:
        monkeypatch.setattr(responses, "LARGE_ACTOR", 2)
    for name in ("actor", "outlet"):
        expected = list(
            Response.objects.filter(pk__in=involved["expected"][name])
            .order_by("-responded_at", "-pk")
            .values_list("pk", flat=True)
        )
        params = {name: involved[name].slug, "page_size": 2}
        assert walk(client, f"{API}/denials", **params) == expected
        assert walk(client, f"{API}/denials", order="oldest", **params) == expected[::-1]


def test_denials_by_actor_or_outlet_take_a_fixed_number_of_queries(client, involved):
    """The scopes' versions, the name (an actor with its size), the page's rows with what
    they show, their reports' snapshots and the responders' channels, however long the page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for name in ("actor", "outlet"):
        with CaptureQueriesContext(connection) as captured:
            client.get(f"{API}/denials", {name: involved[name].slug, "page_size": 100})
        assert len(captured) == 5, [q["sql"][:60] for q in captured]
