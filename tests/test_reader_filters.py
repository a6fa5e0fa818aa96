"""The claim list's filters, search, sorting and pagination — and bad input that must not 500."""

from datetime import datetime, timedelta
from http import HTTPStatus
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim, Stance, VerdictState
from claims.views import COUNT_CAP, PAGE_SIZE
from tests.factories import (
    create_actor,
    create_carriage,
    create_claim,
    create_outlet,
    create_report,
    create_response,
    create_tag,
    create_verdict,
)

KYIV = ZoneInfo("Europe/Kyiv")


@pytest.fixture(autouse=True)
def _reader_settings(settings):
    # The filter selects are cached between requests; every test starts afresh.
    cache.clear()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def listed(client, **params) -> list[str]:
    """Claim texts on the list page for these query parameters, in page order."""
    response = client.get(reverse("claims:claim_list"), params)
    assert response.status_code == HTTPStatus.OK
    return texts(response.context["page"].items)


def texts(rows) -> list[str]:
    """The texts of a page's rows (ids and slugs), in page order."""
    found = dict(Claim.objects.filter(pk__in=[row.pk for row in rows]).values_list("pk", "text"))
    return [found[row.pk] for row in rows]


@pytest.fixture
def claims():
    now = timezone.now()
    office = create_actor(name="President's Office", slug="presidents-office")
    ministry = create_actor(name="Defence Ministry", slug="defence-ministry")
    agency = create_outlet(name="Agency", slug="agency")
    channel = create_outlet(name="Channel", slug="channel")
    war = create_tag(name="war", slug="war")
    denied = create_claim(
        text="Minister refused to return",
        language="en",
        tags=[war],
        first_seen_at=datetime(2025, 11, 17, 12, 0, tzinfo=KYIV),
    )
    create_response(claim=denied, responder=office, stance=Stance.DENIES, quote="It's fake")
    create_carriage(claim=denied, report=create_report(outlet=channel, title="Exclusive leak"))
    create_verdict(claim=denied, rating="unproven", state=VerdictState.PUBLISHED)

    confirmed = create_claim(
        text="Drone factory opened in Lviv",
        language="uk",
        first_seen_at=datetime(2025, 11, 10, 9, 0, tzinfo=KYIV),
        claimant=ministry,
    )
    create_response(claim=confirmed, responder=ministry, stance=Stance.CONFIRMS, quote="True")
    create_carriage(claim=confirmed, report=create_report(outlet=agency, title="Factory news"))
    create_verdict(claim=confirmed, rating="false", state=VerdictState.PUBLISHED)

    mixed = create_claim(
        text="Talks postponed again",
        language="en",
        first_seen_at=datetime(2025, 11, 1, 23, 30, tzinfo=KYIV),
    )
    create_response(claim=mixed, responder=office, stance=Stance.DENIES)
    create_response(claim=mixed, responder=ministry, stance=Stance.PARTIALLY_CONFIRMS)
    create_verdict(claim=mixed, rating="false", state=VerdictState.DRAFT)

    silent = create_claim(
        text="Border crossing closed", language="en", first_seen_at=now - timedelta(days=400)
    )
    create_response(
        claim=silent,
        responder=office,
        stance=Stance.DENIES,
        quote="withdrawn words",
        withdrawn_at=now,
        withdrawn_reason="misattributed",
    )
    return {"denied": denied, "confirmed": confirmed, "mixed": mixed, "silent": silent}


def test_default_is_every_visible_claim_newest_first(client, claims):
    create_claim(text="Withdrawn one", withdrawn_at=timezone.now(), withdrawn_reason="dup")
    assert listed(client) == [
        "Minister refused to return",
        "Drone factory opened in Lviv",
        "Talks postponed again",
        "Border crossing closed",
    ]


@pytest.mark.parametrize(
    "position,expected",
    [
        ("denied", ["Minister refused to return"]),
        ("confirmed", ["Drone factory opened in Lviv"]),
        ("mixed", ["Talks postponed again"]),
        ("no_response", ["Border crossing closed"]),
    ],
)
def test_filter_by_official_position(client, claims, position, expected):
    assert listed(client, position=position) == expected


def test_filter_by_rating_counts_published_verdicts_only(client, claims):
    assert listed(client, rating="false") == ["Drone factory opened in Lviv"]
    assert listed(client, rating="unproven") == ["Minister refused to return"]
    assert listed(client, rating="true") == []


def test_filter_by_actor_covers_claimant_subject_and_responder(client, claims):
    assert listed(client, actor="defence-ministry") == [
        "Drone factory opened in Lviv",
        "Talks postponed again",
    ]
    # The office's only response to the border claim was withdrawn.
    assert listed(client, actor="presidents-office") == [
        "Minister refused to return",
        "Talks postponed again",
    ]


def test_filter_by_outlet_tag_and_language(client, claims):
    assert listed(client, outlet="channel") == ["Minister refused to return"]
    assert listed(client, tag="war") == ["Minister refused to return"]
    assert listed(client, language="uk") == ["Drone factory opened in Lviv"]


def test_filter_by_date_range_uses_whole_days_in_kyiv_time(client, claims):
    assert listed(client, date_from="2025-11-10", date_to="2025-11-17") == [
        "Minister refused to return",
        "Drone factory opened in Lviv",
    ]
    # 23:30 Kyiv time on 1 November is still 1 November.
    assert listed(client, date_from="2025-11-01", date_to="2025-11-01") == ["Talks postponed again"]


def test_filters_combine(client, claims):
    assert listed(client, position="denied", language="en", tag="war") == [
        "Minister refused to return"
    ]
    assert listed(client, position="denied", language="uk") == []


def test_sorting(client, claims):
    assert listed(client, sort="oldest")[0] == "Border crossing closed"
    assert listed(client, sort="text") == sorted(listed(client))


@pytest.mark.parametrize(
    "query,expected",
    [
        ("refused", ["Minister refused to return"]),  # claim text
        ("REFUSED minister", ["Minister refused to return"]),  # case, any order
        ("fake", ["Minister refused to return"]),  # a response quote
        ("exclusive leak", ["Minister refused to return"]),  # a carrying report's title
        ("factory", ["Drone factory opened in Lviv"]),  # text and title both
        ("withdrawn words", []),  # a withdrawn response's quote is not searched
        ("refused lviv", []),  # every word must match
        ("!!! &&& |||", None),  # no words: no search, every claim
    ],
)
def test_search_covers_claim_text_quotes_and_report_titles(client, claims, query, expected):
    result = listed(client, q=query)
    assert result == (listed(client) if expected is None else expected)


def test_search_finds_cyrillic_words(client):
    create_claim(text="Умєров відмовився повертатися в Україну")
    create_claim(text="Інша заява")
    assert listed(client, q="відмовився") == ["Умєров відмовився повертатися в Україну"]


def test_pagination(client):
    base = timezone.now()
    for n in range(PAGE_SIZE + 5):
        create_claim(text=f"Claim {n:02d}", first_seen_at=base - timedelta(minutes=n))
    first = client.get(reverse("claims:claim_list"))
    page = first.context["page"]
    assert (page.number, page.num_pages, page.count) == (1, 2, PAGE_SIZE + 5)
    assert len(page.items) == PAGE_SIZE
    assert 'rel="next" href="?page=2"' in first.content.decode()
    second = client.get(reverse("claims:claim_list"), {"page": "2"}).context["page"]
    assert texts(second.items) == [f"Claim {n:02d}" for n in range(25, 30)]
    assert second.has_previous and not second.has_next


def test_pagination_keeps_the_filters_in_its_links(client):
    for n in range(PAGE_SIZE + 1):
        create_claim(text=f"Claim {n}", language="en")
    html = client.get(reverse("claims:claim_list"), {"language": "en"}).content.decode()
    assert 'href="?language=en&amp;page=2"' in html
    assert 'hx-get="?language=en&amp;page=2"' in html


def test_count_is_capped(client, monkeypatch):
    monkeypatch.setattr("claims.views.COUNT_CAP", 3)
    for n in range(5):
        create_claim(text=f"Claim {n}")
    response = client.get(reverse("claims:claim_list"))
    assert response.context["page"].count_capped
    assert "More than 3 claims" in response.content.decode()
    assert COUNT_CAP >= 1000 and COUNT_CAP % PAGE_SIZE == 0


# Bad input: never a 500.


@pytest.mark.parametrize(
    "params",
    [
        {"rating": "excellent"},
        {"position": "sideways"},
        {"actor": "no-such-actor"},
        {"outlet": "no-such-outlet"},
        {"tag": "no-such-tag"},
        {"language": "not a language!"},
        {"date_from": "yesterday", "date_to": "2025-13-45"},
        {"date_from": "2025-11-20", "date_to": "2025-11-01"},
        {"sort": "random()"},
        {"page": "abc"},
        {"page": "-3"},
        {"page": "0"},
        {"page": "99999999999999999999999"},
        {"page": "1e9"},
        {"q": "x" * 5000},
        {"q": "fake\x00"},
        {"q": "\x00"},
        {"actor": "presidents\x00-office"},
        {"rating": "false\x00"},
        {"language": "en\x00"},
        {"date_from": "2025-11-01\x00"},
        {"q": "' OR 1=1 --"},
        {"q": "fake & | ! <-> :*"},
        {"q": "\u202e\u200b\U0001f600 emoji"},
    ],
)
def test_bad_input_never_500s(client, claims, params):
    response = client.get(reverse("claims:claim_list"), params)
    assert response.status_code == HTTPStatus.OK
    htmx = client.get(reverse("claims:claim_list"), params, headers={"HX-Request": "true"})
    assert htmx.status_code == HTTPStatus.OK
    for export in ("claims:claim_export_csv", "claims:claim_export_json"):
        exported = client.get(reverse(export), params)
        assert exported.status_code == HTTPStatus.OK
        b"".join(exported.streaming_content)


def test_unknown_filter_values_are_reported_and_ignored(client, claims):
    response = client.get(reverse("claims:claim_list"), {"actor": "nobody", "position": "denied"})
    html = response.content.decode()
    assert "Some filters were not understood" in html
    assert texts(response.context["page"].items) == ["Minister refused to return"]


def test_out_of_range_page_gives_the_last_page(client, claims):
    response = client.get(reverse("claims:claim_list"), {"page": "500"})
    assert response.context["page"].number == 1
    assert len(response.context["page"].items) == 4


def test_long_query_is_cut_and_still_searches(client, claims):
    response = client.get(reverse("claims:claim_list"), {"q": "refused " + "z" * 4990})
    assert response.status_code == HTTPStatus.OK
    assert len(response.context["filters"].q) <= 200


def test_nul_bytes_are_stripped_not_rejected(client, claims):
    assert listed(client, q="ref\x00used") == ["Minister refused to return"]
    assert listed(client, tag="w\x00ar") == ["Minister refused to return"]


def test_reflected_input_is_escaped(client, claims):
    payload = '"><script>alert(1)</script>'
    html = client.get(reverse("claims:claim_list"), {"q": payload}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    html = client.get(reverse("claims:claim_list"), {"actor": payload}).content.decode()
    assert "<script>alert(1)</script>" not in html


@pytest.mark.parametrize(
    "name",
    [
        "claims:claim_detail",
        "claims:actor_detail",
        "claims:outlet_detail",
        "claims:tag_detail",
        "claims:actor_denied_rss",
        "claims:actor_denied_atom",
        "claims:outlet_denied_rss",
        "claims:outlet_denied_atom",
        "claims:tag_denied_rss",
        "claims:tag_denied_atom",
    ],
)
def test_unknown_slugs_are_404(client, name):
    assert client.get(reverse(name, args=["no-such-thing"])).status_code == HTTPStatus.NOT_FOUND


def test_non_get_methods_are_refused(client, claims):
    response = client.post(reverse("claims:claim_list"))
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_htmx_response_pushes_the_clean_url(client, claims):
    response = client.get(
        reverse("claims:claim_list"),
        {"q": "", "rating": "", "position": "denied", "actor": "nobody", "page": "1"},
        headers={"HX-Request": "true"},
    )
    assert response["HX-Push-Url"] == reverse("claims:claim_list") + "?position=denied"
    response = client.get(reverse("claims:claim_list"), headers={"HX-Request": "true"})
    assert response["HX-Push-Url"] == reverse("claims:claim_list")


def test_search_uses_the_full_text_index_on_postgresql_and_like_on_sqlite(client, claims):
    from django.db import connection

    from claims.search import search_claims

    sql = str(search_claims(Claim.objects.all(), "refused minister").query)
    if connection.vendor == "postgresql":
        # One match against the stored search document's tokens (and again with their
        # ten-day period), served by its GIN index (0007, 0019).
        assert 'claim_search_tokens("claims_claim"."search_document", ' in sql
        assert " to_tsvector(" not in sql  # nothing parsed per row
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY(%s)",
                [["claim_search_idx", "claim_visible_newest_idx", "claim_text_trgm_idx"]],
            )
            indexes = dict(cursor.fetchall())
        assert (
            "USING gin (claim_search_tokens(search_document, first_seen_at))"
            in (indexes["claim_search_idx"])
        )
        assert "gist_trgm_ops" in indexes["claim_text_trgm_idx"]
        assert "claim_visible_newest_idx" in indexes
    else:
        # SQLite: its FTS5 index of the stored search terms (claims/search.py).
        assert "claim_search MATCH" in sql and "to_tsvector" not in sql


def test_id_list_filters_match_the_exists_filters(claims):
    from claims.models import Actor, Claim, Outlet, Tag

    for actor in Actor.objects.all():
        assert set(Claim.objects.involving(actor)) == set(Claim.objects.by_actor(actor))
    for outlet in Outlet.objects.all():
        assert set(Claim.objects.carried_by(outlet)) == set(Claim.objects.by_outlet(outlet))
    for tag in Tag.objects.all():
        assert set(Claim.objects.tagged(tag)) == set(Claim.objects.by_tag(tag))


def test_selects_offer_the_most_active_actors_and_keep_the_chosen_one(client, claims, monkeypatch):
    from claims.models import Actor

    monkeypatch.setattr("claims.filters.MAX_CHOICES", 1)
    quiet = create_actor(name="Quiet Person", slug="quiet-person")
    create_claim(text="Something about nobody", claimant=quiet)
    office = Actor.objects.get(slug="presidents-office")
    create_response(claim=claims["confirmed"], responder=office, stance=Stance.CLARIFIES)
    response = client.get(reverse("claims:claim_list"))
    # The office responded four times, more than anyone else.
    assert response.context["choices"]["actors"] == [("presidents-office", "President's Office")]
    cache.clear()
    response = client.get(reverse("claims:claim_list"), {"actor": "quiet-person"})
    assert ("quiet-person", "Quiet Person") in response.context["choices"]["actors"]
    assert 'value="quiet-person" selected' in response.content.decode()


def test_positioned_matches_the_official_position_of_each_claim(claims):
    from claims.models import OfficialPosition

    for position in OfficialPosition.values:
        assert set(Claim.objects.positioned(position)) == {
            claim
            for claim in Claim.objects.prefetch_related("responses")
            if OfficialPosition.from_stances(
                {r.stance for r in claim.responses.all() if r.withdrawn_at is None}
            )
            == position
        }, position
    with pytest.raises(ValueError):
        Claim.objects.positioned("sideways")
