"""Reader-page caching: anonymous readers share cached pages; a change drops only the pages it
shows on (the claim's, the lists and feeds, its actors', outlets' and tags'), nothing else."""

import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import unquote

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.caching import cache_for_readers, changed
from claims.models import Actor, Attribution, Claim, Rating, Response, Stance, writing

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
    create_verdict,
)

calls = []


@cache_for_readers(timeout=60)
def page(request):
    calls.append(request.get_full_path())
    response = HttpResponse(f"render {len(calls)}")
    if request.GET.get("fail"):
        response.status_code = HTTPStatus.NOT_FOUND
    return response


@pytest.fixture(autouse=True)
def _fresh():
    cache.clear()
    calls.clear()


@pytest.fixture
def site_versions(db):
    """The site's and the lists' versions, as the migration leaves them (a transactional test
    run before in the same worker empties every table)."""
    from claims.models import reader_versions

    reader_versions.bump(["site", "lists"])


def get(path: str, **cookies):
    request = RequestFactory().get(path)
    request.COOKIES.update(cookies)
    return page(request)


def test_anonymous_readers_share_one_rendering_per_url():
    assert get("/claims/").content == b"render 1"
    assert get("/claims/").content == b"render 1"
    assert get("/claims/?page=2").content == b"render 2"
    assert len(calls) == 2


def test_htmx_fragments_are_cached_apart_from_whole_pages():
    get("/claims/")
    request = RequestFactory().get("/claims/", headers={"HX-Request": "true"})
    assert page(request).content == b"render 2"


def test_editors_are_never_served_from_the_cache_nor_from_a_shared_one():
    get("/claims/")
    response = get("/claims/", sessionid="editor-session")
    assert response.content == b"render 2"
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert get("/claims/", sessionid="editor-session").content == b"render 3"


def test_errors_are_not_cached():
    get("/claims/?fail=1")
    get("/claims/?fail=1")
    assert len(calls) == 2


def test_readers_pages_tell_a_shared_cache_how_long_to_keep_them(settings, site_versions):
    settings.READER_SHARED_MAX_AGE = 120
    settings.READER_STALE_WHILE_REVALIDATE = 30
    response = get("/claims/")
    control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "max-age=0", "s-maxage=120", "stale-while-revalidate=30"} <= control
    assert response["Surrogate-Key"] == "site lists"
    assert response["ETag"]
    assert response["Last-Modified"]


# What a change drops


# A list of one actor, outlet or tag asks whether the name exists before reading its versions.


def is_cached(client, url: str) -> bool:
    """Served from the page cache as it was rendered (a page rendered again may still find
    its pieces in the fragments' cache, in as few queries as a hit)."""
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK, url
    return response["X-Cache"] == "hit"


@pytest.fixture
def two_chains():
    """The Umerov chain, and an unrelated one with its own actors, outlet and tag."""
    chain = create_denied_chain()
    other_actor = create_actor(name="Naval Forces")
    other_tag = create_tag(name="navy")
    other_outlet = create_outlet(name="Black Sea News")
    other = create_claim(text="The fleet left port", subjects=[other_actor], tags=[other_tag])
    create_carriage(claim=other, report=create_report(outlet=other_outlet))
    create_response(claim=other, responder=other_actor, stance=Stance.DENIES)
    claim = chain["claim"]
    office = chain["denial"].responder
    chain_pages = [
        claim.get_absolute_url(),
        reverse("claims:actor_detail", args=[office.slug]),
        reverse("claims:actor_detail", args=[claim.claimant.slug]),
        reverse("claims:actor_detail", args=[claim.subjects.get().slug]),
        reverse("claims:outlet_detail", args=[chain["origin"].report.outlet.slug]),
        reverse("claims:tag_detail", args=[claim.tags.get().slug]),
        reverse("claims:actor_denied_rss", args=[office.slug]),
        reverse("claims:tag_denied_atom", args=[claim.tags.get().slug]),
    ]
    lists = [
        reverse("claims:home"),
        reverse("claims:claim_list"),
        reverse("claims:claim_list") + "?q=Umerov",
        reverse("claims:claim_list") + "?position=denied",
        reverse("claims:denied_rss"),
        reverse("claims:verdicts_atom"),
        reverse("claims:claim_export_csv"),
    ]
    other_pages = [
        other.get_absolute_url(),
        reverse("claims:actor_detail", args=[other_actor.slug]),
        reverse("claims:outlet_detail", args=[other_outlet.slug]),
        reverse("claims:tag_detail", args=[other_tag.slug]),
        reverse("claims:actor_denied_rss", args=[other_actor.slug]),
        reverse("claims:outlet_denied_atom", args=[other_outlet.slug]),
    ]
    return {**chain, "chain_pages": chain_pages, "lists": lists, "other_pages": other_pages}


def warm(client, urls):
    for url in urls:
        client.get(url)
        if not url.endswith(".csv"):  # exports stream: answered by ETag, not stored
            assert is_cached(client, url), url


def test_an_approved_response_drops_its_claims_page_feeds_and_searches_not_unchanged_lists(
    client, two_chains
):
    """A second denial leaves the claim's row in every list as it was (still "denied", same
    text, claimant and date): the claim's page, its responders' pages, the feeds that list
    denials, the exports and the searches for the words the quote adds are dropped; the lists
    that show the claim's row (actor, outlet and tag pages, filtered and unfiltered lists) and
    the searches for its other words stay cached, and so does everything about other claims."""
    claim = two_chains["claim"]
    spokesman = create_actor(name="Defence Ministry")
    office, tag = two_chains["denial"].responder, claim.tags.get()
    pages = [*two_chains["chain_pages"], *two_chains["lists"], *two_chains["other_pages"]]
    searches = [reverse("claims:claim_list") + q for q in ("?q=minister", "?q=Umerov+trip")]
    warm(client, [*pages, *searches, reverse("claims:actor_detail", args=[spokesman.slug])])
    editor, reviewer = create_editor(), create_reviewer()

    writing.create(
        Response,
        by=editor,
        values={
            "claim": claim,
            "responder": spokesman,
            "stance": Stance.DENIES,
            "attribution": Attribution.SPOKESPERSON,
            "quote": "The minister is on a working trip",
        },
    )
    # Pending work changes nothing readers see.
    assert all(is_cached(client, url) for url in pages if not url.endswith(".csv"))

    writing.approve(claim, by=reviewer)
    assert Claim.objects.get(pk=claim.pk).official_position == "denied"
    dropped = [
        claim.get_absolute_url(),
        reverse("claims:actor_detail", args=[office.slug]),  # its statements
        reverse("claims:actor_detail", args=[spokesman.slug]),
        reverse("claims:actor_denied_rss", args=[office.slug]),
        reverse("claims:tag_denied_atom", args=[tag.slug]),
        reverse("claims:home"),
        reverse("claims:denied_rss"),
        *searches,
    ]
    unchanged = [
        reverse("claims:claim_list") + "?q=Umerov",
        reverse("claims:actor_detail", args=[claim.claimant.slug]),
        reverse("claims:actor_detail", args=[claim.subjects.get().slug]),
        reverse("claims:outlet_detail", args=[two_chains["origin"].report.outlet.slug]),
        reverse("claims:tag_detail", args=[tag.slug]),
        reverse("claims:claim_list"),
        reverse("claims:claim_list") + "?position=denied",
        *two_chains["other_pages"],
    ]
    for url in dropped:
        assert not is_cached(client, url), f"{url} still served from the cache"
    for url in unchanged:
        assert is_cached(client, url), f"{url} was dropped, though it shows nothing new"
    assert "The minister is on a working trip" in client.get(claim.get_absolute_url()).text
    assert "The minister is on a working trip" in client.get(reverse("claims:denied_rss")).text


def test_an_approval_that_changes_the_claims_row_drops_every_list_showing_it(client, two_chains):
    claim = two_chains["claim"]
    outlet_page = reverse("claims:outlet_detail", args=[two_chains["origin"].report.outlet.slug])
    lists = [
        reverse("claims:actor_detail", args=[claim.subjects.get().slug]),
        outlet_page,
        reverse("claims:tag_detail", args=[claim.tags.get().slug]),
        reverse("claims:claim_list"),
        reverse("claims:claim_list") + "?position=denied",
        reverse("claims:claim_list") + "?position=mixed",
    ]
    warm(client, [*lists, *two_chains["other_pages"]])
    # A confirmation beside the denial: the claim's official position becomes "mixed".
    approve_new_response(claim, quote="He will stay abroad", stance=Stance.CONFIRMS)
    assert Claim.objects.get(pk=claim.pk).official_position == "mixed"
    for url in lists:
        assert not is_cached(client, url), f"{url} still served from the cache"
    assert "Mixed" in client.get(outlet_page).text
    for url in two_chains["other_pages"]:
        assert is_cached(client, url), url


def test_a_response_moved_to_another_responder_drops_the_old_responders_pages(client, two_chains):
    denial = two_chains["denial"]
    office = denial.responder
    office_page = reverse("claims:actor_detail", args=[office.slug])
    other_page = two_chains["other_pages"][0]
    warm(client, [office_page, other_page])
    ministry = create_actor(name="Foreign Ministry")
    writing.save_edit(
        denial, by=create_editor(), version=writing.desk_version(denial),
        values={"responder": ministry},
    )  # fmt: skip
    assert is_cached(client, office_page)  # only a proposal so far
    writing.approve(denial.claim, by=create_reviewer())
    assert not is_cached(client, office_page)
    assert "It’s fake" not in client.get(office_page).text.replace("'", "’")
    assert is_cached(client, other_page)


def test_a_published_verdict_drops_its_claims_pages_not_others(client, two_chains):
    claim = Claim.objects.get(pk=two_chains["claim"].pk)
    claim.verdicts.all().delete()
    warm(
        client,
        [
            *two_chains["chain_pages"],
            reverse("claims:home"),
            reverse("claims:verdicts_rss"),
            *two_chains["other_pages"],
        ],
    )
    verdict = create_verdict(claim=claim, rating=Rating.FALSE)
    verdict.submit(by=verdict.author)
    verdict.publish(by=create_reviewer())
    for url in [*two_chains["chain_pages"], reverse("claims:home"), reverse("claims:verdicts_rss")]:
        assert not is_cached(client, url), url
    for url in two_chains["other_pages"]:
        assert is_cached(client, url), url


def test_a_new_name_drops_nothing_but_its_own_page(client, two_chains):
    warm(client, [*two_chains["lists"][:2], *two_chains["other_pages"]])
    _actor, created = writing.resolve_actor("Energy Ministry", by=create_editor(), create=True)
    assert created
    for url in [*two_chains["lists"][:2], *two_chains["other_pages"]]:
        assert is_cached(client, url), url


def test_renaming_a_name_that_claims_show_drops_every_page(client, two_chains):
    office = two_chains["denial"].responder
    warm(client, two_chains["other_pages"])
    # As the admin saves a name (the only place names are edited).
    Actor.objects.filter(pk=office.pk).update(name="OP")
    changed(names=[office])
    for url in two_chains["other_pages"]:
        assert not is_cached(client, url), url


# Conditional GET


def test_pages_and_feeds_answer_conditional_get_until_a_change(client, two_chains, site_versions):
    claim = two_chains["claim"]
    for url in (
        claim.get_absolute_url(),
        reverse("claims:denied_rss"),
        reverse("claims:claim_export_json"),
    ):
        first = client.get(url)
        assert first.status_code == HTTPStatus.OK
        by_etag = client.get(url, headers={"If-None-Match": first["ETag"]})
        assert by_etag.status_code == HTTPStatus.NOT_MODIFIED, url
        assert by_etag["ETag"] == first["ETag"]
        by_date = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
        assert by_date.status_code == HTTPStatus.NOT_MODIFIED, url
    etag = client.get(claim.get_absolute_url())["ETag"]
    verdict = claim.verdicts.get()
    verdict.withdraw(by=create_reviewer(), reason="New evidence.")
    again = client.get(claim.get_absolute_url(), headers={"If-None-Match": etag})
    assert again.status_code == HTTPStatus.OK
    assert again["ETag"] != etag


def test_a_hit_costs_one_query_for_its_versions(client, two_chains):
    claim = two_chains["claim"]
    pages = [
        claim.get_absolute_url(),
        reverse("claims:claim_list") + "?q=Umerov",
        reverse("claims:outlet_detail", args=[two_chains["origin"].report.outlet.slug]),
    ]
    for url in pages:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert is_cached(client, url), url
        assert ["claims_readerversion" in query["sql"] for query in queries] == [True], url


def test_signed_in_editors_always_see_fresh_pages(client):
    client.force_login(create_editor())
    client.get(reverse("claims:claim_list"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("claims:claim_list"))
    assert response.status_code == HTTPStatus.OK
    assert len(queries) > 1, "an editor's page is rendered, not taken from the cache"
    assert 'hx-headers=\'{"x-csrftoken"' in response.content.decode()


def test_reader_responses_are_sent_in_one_chunk(client):
    """A feed is written in many small pieces; sent as such they stall on TCP acknowledgements."""
    for _ in range(2):  # a miss, then a hit
        response = client.get(reverse("claims:denied_rss"))
        assert response.status_code == HTTPStatus.OK
        assert len(response._container) == 1


# Purging a proxy in front


@pytest.fixture
def purges(settings):
    """The Surrogate-Key of each PURGE a proxy in front receives (it answers one)."""
    received = []

    class Purges(BaseHTTPRequestHandler):
        def do_PURGE(self):
            received.append(self.headers["Surrogate-Key"])
            self.send_response(HTTPStatus.OK)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Purges)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    settings.READER_PURGE_URL = f"http://127.0.0.1:{server.server_port}/purge"
    yield received
    thread.join(timeout=5)
    server.server_close()


def test_an_approval_asks_the_proxy_to_purge_the_changed_scopes(
    purges, two_chains, django_capture_on_commit_callbacks
):
    claim = two_chains["claim"]
    verdict = claim.verdicts.get()
    with django_capture_on_commit_callbacks(execute=True):
        verdict.withdraw(by=create_reviewer(), reason="New evidence.")
    keys = set(purges[0].split())
    assert {"lists", f"claim:{claim.slug}", f"tag:{claim.tags.get().slug}"} <= keys
    assert not any(key.startswith("claim:") and key != f"claim:{claim.slug}" for key in keys)


def test_a_purge_that_fails_is_logged_not_raised(settings, two_chains, caplog):
    from claims.caching import purge

    settings.READER_PURGE_URL = "http://127.0.0.1:9/purge"  # nothing listens there
    purge(["lists"])
    assert "purge" in caplog.text


def test_a_ukrainian_search_names_its_words_in_an_ascii_surrogate_key(client, db):
    """A proxy splits Surrogate-Key on spaces: a Cyrillic word's scope is percent-encoded
    there, not MIME-encoded with the rest of the header into one unsplittable word."""
    create_claim(text="Умєров відмовився повертатися в Україну")
    response = client.get(reverse("claims:claim_list") + "?q=Умєров")
    keys = response["Surrogate-Key"].split()
    assert response["Surrogate-Key"].isascii()
    assert "site" in keys
    assert any(unquote(key).endswith(":_умєров") for key in keys if key.startswith("search:"))


def test_a_purge_sends_the_keys_pages_carry(purges, db):
    """A change to a Cyrillic word's searches purges the key their pages carry (urllib sends
    no header it cannot write in Latin-1: the purge would fail after the change committed)."""
    from claims.caching import purge

    purge(["lists", "search:обмін"])
    assert purges == ["lists search:%D0%BE%D0%B1%D0%BC%D1%96%D0%BD"]


def test_an_edit_waits_for_review_and_its_approval_drops_the_cached_copies(client, two_chains):
    claim = two_chains["claim"]
    pages = [claim.get_absolute_url(), reverse("claims:claim_list")]
    warm(client, [*pages, *two_chains["other_pages"]])
    new_text = "Umerov refused to come back to Ukraine"
    writing.save_edit(
        claim, by=create_editor(), version=writing.desk_version(claim), values={"text": new_text}
    )
    for url in pages:  # readers keep the cached, approved page
        assert is_cached(client, url)
        assert new_text not in client.get(url).text
    writing.approve(claim, by=create_reviewer())
    for url in pages:
        assert new_text in client.get(url).text
    assert all(is_cached(client, url) for url in two_chains["other_pages"])


def test_an_approved_correction_drops_the_claims_pages(client, two_chains):
    claim = two_chains["claim"]
    verdict = claim.verdicts.get()
    warm(client, [claim.get_absolute_url(), reverse("claims:verdicts_rss")])
    verdict.correct(by=create_editor(), text="A date was wrong.")
    assert is_cached(client, claim.get_absolute_url())  # pending
    writing.approve(claim, by=create_reviewer())
    assert "A date was wrong." in client.get(claim.get_absolute_url()).text


# Lists and feeds: dropped only where the changed claim is, or was


def approve_new_response(claim, *, quote: str, stance=Stance.DENIES) -> None:
    writing.create(
        Response,
        by=create_editor(),
        values={
            "claim": claim,
            "responder": claim.claimant or create_actor(name="Spokesman"),
            "stance": stance,
            "attribution": Attribution.SPOKESPERSON,
            "quote": quote,
        },
    )
    writing.approve(claim, by=create_reviewer())


def test_an_approval_drops_the_filtered_lists_and_searches_that_show_the_claim_only(
    client, two_chains, monkeypatch
):
    from datetime import timedelta

    from django.utils import timezone

    # Lists show their first claim only, and the Umerov claim is not the first in any sort
    # (the list's first pages depend on every claim on them: another test).
    monkeypatch.setattr("claims.views.COUNT_CAP", 1)
    create_claim(text="Alpha claim", first_seen_at=timezone.now() - timedelta(days=30))
    claim = two_chains["claim"]
    tag = claim.tags.get()
    showing = [
        "/en/claims/?q=Umerov",
        "/en/claims/?q=refused+return",
        "/en/claims/?q=journey",  # a word of the new quote: the claim is found by it now
        "/en/claims/?position=denied",  # it leaves this list
        "/en/claims/?position=mixed",  # and joins this one
        "/en/claims/?language=en&position=denied",
        f"/en/claims/?tag={tag.slug}",
        f"/en/claims/?actor={claim.claimant.slug}&sort=oldest",
        "/en/feeds/denied.rss",  # the new denial is the newest
        "/en/",
    ]
    not_showing = [
        "/en/claims/?q=fleet",
        "/en/claims/?q=fleet+port",
        "/en/claims/?position=confirmed",
        "/en/claims/?rating=true",
        "/en/claims/?tag=navy",
        "/en/claims/?actor=naval-forces",
        "/en/claims/?outlet=black-sea-news&page=2",
        "/en/claims/?tag=no-such-tag&q=fleet",  # an unknown tag is ignored, as the list does
        "/en/claims/",
    ]
    warm(client, [*showing, *not_showing])
    # A confirmation beside the denial moves the claim from "denied" to "mixed".
    approve_new_response(claim, quote="A journey agreed with the President", stance=Stance.CONFIRMS)
    for url in showing:
        assert not is_cached(client, url), f"{url} still served from the cache"
    for url in not_showing:
        assert is_cached(client, url), f"{url} was dropped by an unrelated change"
    assert "Umerov" in client.get("/en/claims/?q=journey").text


def test_a_search_is_dropped_by_the_words_a_change_adds_or_the_phrases_it_makes(client, two_chains):
    """A new quote that leaves the claim's row as it was drops the searches for the words it
    adds, and the ranked searches (two words or more) whose words it holds as written, word
    for word: they list the claims holding the exact phrase first. Searches for the claim's
    other words stay cached."""
    claim = two_chains["claim"]
    dropped = [
        "/en/claims/?q=journey",  # added: the claim is found by it now
        "/en/claims/?q=Ukraine+refused",  # both words were there, the phrase is new
    ]
    unchanged = ["/en/claims/?q=Umerov", "/en/claims/?q=Umerov+return", "/en/claims/?q=fleet"]
    warm(client, [*dropped, *unchanged])
    approve_new_response(claim, quote="Ukraine refused his journey")
    assert Claim.objects.get(pk=claim.pk).official_position == "denied"
    for url in dropped:
        assert not is_cached(client, url), f"{url} still served from the cache"
    for url in unchanged:
        assert is_cached(client, url), f"{url} was dropped, though it shows nothing new"
    assert "Umerov refused" in client.get("/en/claims/?q=journey").text


def test_a_change_to_a_claims_row_drops_the_searches_showing_it_not_those_finding_it_further_on(
    client, two_chains, monkeypatch
):
    """A search names the claims whose rows it shows: when a claim's position changes (a
    confirmation beside the denial), the search pages showing its row are dropped, and the
    searches filtered by a position it leaves or joins; the pages of the same searches that
    show only other claims stay cached, and show the claim's new row once it is on them."""
    monkeypatch.setattr("claims.views.PAGE_SIZE", 1)  # one row a page
    claim = two_chains["claim"]  # "Umerov refused to return to Ukraine", three days old
    create_claim(text="Umerov met the minister in Ukraine")  # newer: first in every search
    showing = [
        "/en/claims/?q=Umerov&page=2",
        "/en/claims/?q=Ukraine&page=2",
        "/en/claims/?q=refused",
        "/en/claims/?q=Umerov&position=denied",  # it leaves these results
        "/en/claims/?q=Umerov&position=mixed",  # and joins these
    ]
    not_showing = [
        "/en/claims/?q=Umerov",
        "/en/claims/?q=Ukraine",
        "/en/claims/?q=Umerov&position=confirmed",
        "/en/claims/?q=fleet",
    ]
    warm(client, [*showing, *not_showing])
    approve_new_response(claim, quote="He will stay abroad", stance=Stance.CONFIRMS)
    assert Claim.objects.get(pk=claim.pk).official_position == "mixed"
    for url in showing:
        assert not is_cached(client, url), f"{url} still served from the cache"
    for url in not_showing:
        assert is_cached(client, url), f"{url} was dropped, though it does not show the claim"
    assert "position-mixed" in client.get("/en/claims/?q=Umerov&page=2").text
    assert "refused" in client.get("/en/claims/?q=Umerov&position=mixed").text
    assert "refused" not in client.get("/en/claims/?q=Umerov&position=denied").text


def test_a_search_page_whose_row_changes_answers_a_conditional_get_anew(client, two_chains):
    """The ETag of a search covers the rows it shows: a client holding the page before a
    row's change is sent the new page, not a 304."""
    claim = two_chains["claim"]
    url = "/en/claims/?q=refused"
    first = client.get(url)
    etag = first["ETag"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == HTTPStatus.NOT_MODIFIED
    approve_new_response(claim, quote="He will stay abroad", stance=Stance.CONFIRMS)
    again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == HTTPStatus.OK
    assert again["ETag"] != etag
    assert "position-mixed" in again.text


def test_an_unfiltered_list_is_dropped_only_by_a_claim_it_can_show(client, monkeypatch):
    """The list shows its first COUNT_CAP claims in each sort: a change to an older claim,
    far down every sort, leaves its pages cached."""
    from datetime import timedelta

    from django.utils import timezone

    monkeypatch.setattr("claims.views.COUNT_CAP", 1)
    now = timezone.now()
    speaker = create_actor(name="General Staff")
    claims = {
        text: create_claim(text=text, claimant=speaker, first_seen_at=now - timedelta(days=age))
        for text, age in (("Alpha claim", 1), ("Middle claim", 2), ("Zulu claim", 3))
    }
    pages = ["/en/claims/", "/en/claims/?sort=oldest", "/en/claims/?sort=text"]
    warm(client, pages)
    # Not the newest, the oldest, nor the first A to Z: on none of the pages.
    approve_new_response(claims["Middle claim"], quote="Nothing to add")
    assert all(is_cached(client, url) for url in pages)
    approve_new_response(claims["Zulu claim"], quote="We deny it")  # the oldest
    for url in pages:
        assert not is_cached(client, url), url


def test_a_positions_list_is_dropped_only_by_a_row_among_its_first(client, monkeypatch):
    """A list of one official position shows its first COUNT_CAP claims in each sort and
    their number up to COUNT_CAP + 1: a claim far down every sort may change its official
    position without dropping it. Lists with more filters or another one, and the pages that
    count positions (an outlet's track record) or show more than rows, are dropped by any
    change to a row they hold."""
    from datetime import timedelta

    from django.utils import timezone

    monkeypatch.setattr("claims.views.COUNT_CAP", 1)  # the first 2 rows matter
    now = timezone.now()
    speaker, tag = create_actor(name="General Staff"), create_tag(name="front")
    outlet = create_outlet(name="Front News")
    claims = {}
    for age, text in enumerate(("Alpha", "Bravo", "Charlie", "Delta", "Echo"), start=1):
        claims[text] = create_claim(
            text=f"{text} claim", subjects=[speaker], tags=[tag], language="en",
            first_seen_at=now - timedelta(days=age),
        )  # fmt: skip
        create_carriage(claim=claims[text], report=create_report(outlet=outlet))
    language = claims["Charlie"].language
    kept = [
        "/en/claims/?position=no_response",  # it leaves it from the middle of every sort
        "/en/claims/?position=no_response&sort=text&page=2",
        "/en/claims/?outlet=no-such-outlet",  # ignored: the unfiltered list
        "/en/claims/",
    ]
    dropped = [
        "/en/claims/?position=denied",  # it joins it, as its first row
        f"/en/claims/?position=no_response&language={language}",  # two filters: every row
        f"/en/claims/?actor={speaker.slug}&tag={tag.slug}",
        # Only a position's list is looked into.
        f"/en/claims/?language={language}&sort=oldest",
        f"/en/claims/?actor={speaker.slug}&page=2",
        f"/en/claims/?tag={tag.slug}&sort=text",
        f"/en/claims/?outlet={outlet.slug}",
        f"/en/outlets/{outlet.slug}/",  # counts its claims by position
        f"/en/actors/{speaker.slug}/",
        f"/en/tags/{tag.slug}/",
    ]
    warm(client, [*kept, *dropped])
    approve_new_response(claims["Charlie"], quote="We deny it")
    assert Claim.objects.get(pk=claims["Charlie"].pk).official_position == "denied"
    for url in dropped:
        assert not is_cached(client, url), f"{url} still served from the cache"
    for url in kept:
        assert is_cached(client, url), f"{url} was dropped, though it shows nothing new"
    assert 'id="record-denied">1<' in client.get(f"/en/outlets/{outlet.slug}/").text
    # The newest claim is the first row of each of those lists, newest first.
    approve_new_response(claims["Alpha"], quote="We deny it too")
    for url in kept:
        assert not is_cached(client, url), f"{url} still served from the cache"


def test_a_verdict_drops_the_verdict_feeds_and_a_response_on_an_old_claim_does_not(
    client, two_chains, monkeypatch
):
    monkeypatch.setattr("claims.feeds.ITEMS", 1)  # the feeds show the newest item only
    claim, other = two_chains["claim"], Claim.objects.get(text="The fleet left port")
    verdict = create_verdict(claim=other, rating=Rating.FALSE)
    verdict.submit(by=verdict.author)
    verdict.publish(by=create_reviewer())  # the newest verdict: the feed's only item
    feeds = ["/en/feeds/verdicts.rss", "/en/feeds/verdicts.atom"]
    warm(client, [*feeds, "/en/feeds/denied.rss"])
    # The Umerov claim's verdict is older than the feed's one item.
    approve_new_response(claim, quote="Still abroad", stance=Stance.CONFIRMS)
    assert all(is_cached(client, url) for url in [*feeds, "/en/feeds/denied.rss"])
    approve_new_response(other, quote="The fleet is at sea", stance=Stance.CONFIRMS)
    for url in feeds:
        assert not is_cached(client, url), url


def test_while_one_request_renders_a_changed_page_others_get_the_previous_one():
    from claims.caching import Validators
    from claims.models import reader_versions

    assert get("/claims/").content == b"render 1"
    reader_versions.bump(["lists"])
    request = RequestFactory().get("/claims/")
    rendering = Validators(request, ["site", "lists"]).key + ":rendering"
    cache.add(rendering, 1)  # another request is rendering the new page
    stale = get("/claims/")
    assert (stale.content, stale["X-Cache"]) == (b"render 1", "stale")
    cache.delete(rendering)  # it finished (or died): the next reader renders it
    fresh = get("/claims/")
    assert (fresh.content, fresh["X-Cache"]) == (b"render 2", "miss")
    assert get("/claims/")["X-Cache"] == "hit"


def test_a_list_is_rendered_again_at_most_once_per_max_age_and_a_claim_page_at_once(
    client, two_chains, settings, monkeypatch
):
    """A page gathering many claims is served as rendered for READER_LIST_MAX_AGE seconds
    (no query at all), then rendered again; the claim's own page shows the change at once."""
    import time as clock

    claim = two_chains["claim"]
    lists = ["/en/claims/", "/en/", "/en/feeds/denied.rss"]
    # The cache's clock stands still until the test moves it (a loaded machine is slow).
    now = clock.time()
    monkeypatch.setattr("claims.caching.time.time", lambda: now)
    warm(client, [*lists, claim.get_absolute_url()])
    settings.READER_LIST_MAX_AGE = 5
    approve_new_response(claim, quote="Back in Kyiv", stance=Stance.CONFIRMS)
    assert "Back in Kyiv" in client.get(claim.get_absolute_url()).content.decode()
    for url in lists:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert (len(queries), response["X-Cache"]) == (0, "hit"), url
    monkeypatch.setattr("claims.caching.time.time", lambda: now + 5.1)
    for url in lists:
        assert client.get(url)["X-Cache"] == "miss", url
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url)["X-Cache"] == "hit", url
        assert len(queries) == 0, url


def test_methodologys_counts_wait_for_their_own_max_age(client, two_chains, settings, monkeypatch):
    """Methodology counts every claim (a scan of the table): it is served as rendered for
    READER_COUNTS_MAX_AGE seconds, longer than the lists, then counts again."""
    import time as clock

    now = clock.time()
    monkeypatch.setattr("claims.caching.time.time", lambda: now)
    settings.READER_LIST_MAX_AGE, settings.READER_COUNTS_MAX_AGE = 5, 60
    methodology = reverse("claims:methodology")
    warm(client, [methodology])
    create_claim(text="A newly published claim")
    changed(claim_ids=[Claim.objects.get(text="A newly published claim").pk])
    monkeypatch.setattr("claims.caching.time.time", lambda: now + 30)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(methodology)["X-Cache"] == "hit"
    assert len(queries) == 0
    monkeypatch.setattr("claims.caching.time.time", lambda: now + 60.1)
    assert client.get(methodology)["X-Cache"] == "miss"
    assert "3 published claims" in client.get(methodology).text


def test_a_withdrawn_verdict_drops_the_list_of_the_rating_it_had(client, two_chains):
    claim = two_chains["claim"]
    verdict = claim.verdicts.get()
    rated = reverse("claims:claim_list") + f"?rating={verdict.rating}"
    warm(client, [rated])
    assert claim.text in client.get(rated).text
    verdict.withdraw(by=create_reviewer(), reason="The rating rested on a misread source.")
    assert Claim.objects.get(pk=claim.pk).published_rating == ""
    assert not is_cached(client, rated), f"{rated} still served from the cache"
    assert claim.text not in client.get(rated).text


# Served before the rest of the middleware (ReaderPagesMiddleware)


def test_a_page_served_from_the_cache_has_the_headers_the_stack_gave_it(
    client, two_chains, settings
):
    settings.READER_LIST_MAX_AGE = 0  # every page reads its versions
    claim = two_chains["claim"]
    for url in [claim.get_absolute_url(), "/en/claims/", "/uk/feeds/denied.rss"]:
        rendered = client.get(url)
        with CaptureQueriesContext(connection) as queries:
            served = client.get(url)
        assert (rendered["X-Cache"], served["X-Cache"]) == ("miss", "hit"), url
        assert [query["sql"].split()[:4] for query in queries] == [
            ["SELECT", "scope,", "version,", "changed_at"]
        ], url
        unchanged = {"Content-Type", "Content-Language", "Vary", "X-Frame-Options", "ETag"}
        unchanged |= {"Cache-Control", "Last-Modified", "Surrogate-Key", "Content-Length"}
        for header in unchanged:
            assert served.get(header) == rendered.get(header), (url, header)
        assert set(served.headers) == set(rendered.headers), url


def test_a_conditional_get_is_answered_from_the_cache_with_304(client, two_chains):
    url = two_chains["claim"].get_absolute_url()
    etag = client.get(url)["ETag"]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers={"If-None-Match": etag})
    assert (response.status_code, response.content, len(queries)) == (304, b"", 1)
    approve_new_response(two_chains["claim"], quote="Back in Kyiv", stance=Stance.CONFIRMS)
    changed_page = client.get(url, headers={"If-None-Match": etag})
    assert changed_page.status_code == HTTPStatus.OK
    assert "Back in Kyiv" in changed_page.text


def test_editors_pages_never_come_from_the_readers_cache(client, two_chains):
    url = "/en/claims/"
    client.get(url)
    assert client.get(url)["X-Cache"] == "hit"
    client.force_login(create_editor())
    response = client.get(url)
    assert "X-Cache" not in response
    assert "no-store" in response["Cache-Control"]
