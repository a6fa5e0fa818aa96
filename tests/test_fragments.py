"""Pieces shared by reader pages (claims/fragments.py): a claim's row in the lists and what a
claim's page shows are rendered once per version of the claim, shared by every page and query
string that shows them, and dropped exactly when the claim changes for readers."""

import re
from http import HTTPStatus
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe

from claims import fragments
from claims.caching import changed, row_scope
from claims.models import (
    Actor,
    Attribution,
    OfficialPosition,
    Response,
    Stance,
    reader_versions,
    writing,
)
from claims.models.reader_versions import SITE

from .factories import (
    create_actor,
    create_claim,
    create_denied_chain,
    create_editor,
    create_reviewer,
)

MARK = "<li>the row kept in the cache</li>"
_requests = iter(range(1, 1_000_000))


def fresh(url: str) -> str:
    """The URL with a query string no page has had: the page cache cannot answer it."""
    return f"{url}{'&' if '?' in url else '?'}v={next(_requests)}"


def queries_for(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK, url
    return len(queries), response.text


def row_key(claim) -> str:
    """The claim's row's key in the active language (the one reverse() gives addresses in)."""
    scope = row_scope(claim.slug)
    found = reader_versions.versions([SITE, scope])
    request = SimpleNamespace(reader_versions={SITE: found.get(SITE, (0,))[0]})
    return fragments.key(request, "row", claim.pk, found.get(scope, (0,))[0])


def mark_row(claim) -> None:
    """Replace the claim's cached row, so a page that shows the mark took the row from the
    cache and a page that shows the claim rendered it again."""
    assert fragments.store().get(row_key(claim)) is not None, "the row was not kept"
    fragments.store().set(row_key(claim), mark_safe(MARK))


@pytest.fixture
def claims():
    chain = create_denied_chain()
    other = create_claim(text="The fleet left port", claimant=create_actor(name="Navy"))
    return {"claim": chain["claim"], "denial": chain["denial"], "other": other}


def edit_text(claim, text: str, *, approve: bool) -> None:
    writing.save_edit(
        claim, by=create_editor(), version=writing.desk_version(claim), values={"text": text}
    )
    if approve:
        writing.approve(claim, by=create_reviewer())


def test_a_claim_page_under_another_query_string_reuses_the_rendered_chain(client, claims):
    url = claims["claim"].get_absolute_url()
    first, page = queries_for(client, fresh(url))
    again, same = queries_for(client, fresh(url))
    assert first > 5
    assert again == 1  # the page's versions; the chain came from the cache
    assert re.sub(r"v=\d+", "", same) == re.sub(r"v=\d+", "", page)


def test_an_approved_change_drops_the_claims_chain_and_rows_and_nothing_else(client, claims):
    claim, other = claims["claim"], claims["other"]
    list_url = reverse("claims:claim_list")
    client.get(fresh(list_url))
    client.get(fresh(claim.get_absolute_url()))
    client.get(fresh(other.get_absolute_url()))
    mark_row(claim)
    mark_row(other)

    # A change waiting for review changes nothing readers see, cached pieces included.
    edit_text(claim, "Umerov stayed abroad", approve=False)
    page = client.get(fresh(list_url)).text
    assert page.count(MARK) == 2
    assert queries_for(client, fresh(claim.get_absolute_url()))[0] == 1

    writing.approve(claim, by=create_reviewer())
    page = client.get(fresh(list_url)).text
    assert "Umerov stayed abroad" in page  # rendered again
    assert page.count(MARK) == 1  # the other claim's row still from the cache
    count, claim_page = queries_for(client, fresh(claim.get_absolute_url()))
    assert count > 1 and "Umerov stayed abroad" in claim_page
    assert queries_for(client, fresh(other.get_absolute_url()))[0] == 1


def test_a_change_that_leaves_the_row_as_it_was_keeps_its_piece(client, claims):
    """A second denial changes the claim's page, not its row (still "denied", same text,
    claimant and date): the lists take the row from the cache, the claim page renders anew."""
    claim = claims["claim"]
    list_url = reverse("claims:claim_list")
    client.get(fresh(list_url))
    mark_row(claim)
    writing.create(
        Response,
        by=create_editor(),
        values={
            "claim": claim,
            "responder": create_actor(name="Defence Ministry"),
            "stance": Stance.DENIES,
            "attribution": Attribution.SPOKESPERSON,
            "quote": "The minister is on a working trip",
        },
    )
    writing.approve(claim, by=create_reviewer())
    assert MARK in client.get(fresh(list_url)).text
    assert "working trip" in client.get(fresh(claim.get_absolute_url())).text


def test_a_list_keeps_its_matches_until_its_scopes_move_on(client, claims):
    newest = reverse("claims:claim_list") + "?sort=newest"
    first, page = queries_for(client, fresh(newest))
    again, same = queries_for(client, fresh(newest + "&page=1"))
    assert again < first  # no scan for the matches
    assert claims["claim"].text in page and claims["claim"].text in same
    claim = create_claim(text="The port reopened")  # made outside the write path
    assert claim.text not in client.get(fresh(newest)).text  # kept, as the page is
    changed(claim_ids=[claim.pk])  # as its approval does
    assert claim.text in client.get(fresh(newest)).text


def test_rows_are_shared_by_lists_with_other_filters(client, claims):
    claim = claims["claim"]
    client.get(fresh(reverse("claims:claim_list")))
    mark_row(claim)
    for url in (
        reverse("claims:claim_list") + "?position=denied",
        reverse("claims:claim_list") + "?q=Umerov",
        reverse("claims:actor_detail", args=[claim.claimant.slug]),
        reverse("claims:tag_detail", args=[claim.tags.get().slug]),
    ):
        assert MARK in client.get(fresh(url)).text, url


def test_a_list_whose_rows_are_cached_reads_only_their_ids_and_versions(client, claims):
    url = reverse("claims:claim_list") + "?q=Umerov"
    client.get(fresh(url))
    with CaptureQueriesContext(connection) as queries:
        page = client.get(fresh(url)).text
    assert claims["claim"].text in page
    sql = " ".join(query["sql"] for query in queries)
    assert "claims_verdict" not in sql  # the rows' published verdicts
    assert "claims_actor" not in sql  # their claimants
    edit_text(claims["claim"], "Umerov stayed abroad", approve=True)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(fresh(url)).text
    assert "Umerov stayed abroad" in page  # the changed row, read and rendered again
    assert "claims_actor" in " ".join(query["sql"] for query in queries)


def test_renaming_a_name_that_rows_show_drops_every_row(client, claims):
    claim = claims["claim"]
    client.get(fresh(reverse("claims:claim_list")))
    mark_row(claim)
    Actor.objects.filter(pk=claim.claimant_id).update(name="Clash")
    changed(names=[claim.claimant])  # as the admin's save does
    page = client.get(fresh(reverse("claims:claim_list"))).text
    assert MARK not in page
    assert "Claimed by <a" in page and ">Clash</a>" in page


def test_pieces_are_kept_per_interface_language(client, claims):
    client.get(fresh(reverse("claims:claim_list")))
    client.get(fresh(claims["claim"].get_absolute_url()))
    for language in ("uk", "en"):
        with translation.override(language):
            label = str(OfficialPosition.DENIED.label)
            list_url = reverse("claims:claim_list")
            claim_url = claims["claim"].get_absolute_url()
        assert list_url.startswith(f"/{language}/")
        assert label in client.get(fresh(list_url)).text
        assert label in client.get(fresh(claim_url)).text
    with translation.override("uk"):
        assert str(OfficialPosition.DENIED.label) != "Denied"  # the catalogue has it


def test_editors_pages_render_everything(client, claims):
    client.get(fresh(reverse("claims:claim_list")))
    mark_row(claims["claim"])
    client.force_login(create_editor())
    page = client.get(fresh(reverse("claims:claim_list"))).text
    assert MARK not in page
    assert claims["claim"].text in page


def test_fragments_can_be_turned_off(client, claims, settings):
    settings.READER_FRAGMENTS = False
    url = claims["claim"].get_absolute_url()
    client.get(fresh(reverse("claims:claim_list")))
    assert fragments.store().get(row_key(claims["claim"])) is None
    assert queries_for(client, fresh(url))[0] > 1
    assert queries_for(client, fresh(url))[0] > 1


def test_a_denial_feed_item_is_rendered_again_only_when_its_claim_changes(client, claims):
    feed = reverse("claims:denied_rss")
    first = client.get(fresh(feed)).content
    again, same = queries_for(client, fresh(feed))
    assert same.encode() == first  # every item from the cache
    assert again == 1  # the page's versions; which denials it shows, from the cache too
    denial = claims["denial"]
    writing.save_edit(
        denial, by=create_editor(), version=writing.desk_version(denial),
        values={"quote": "Not true at all"},
    )  # fmt: skip
    assert b"Not true at all" not in client.get(fresh(feed)).content  # waiting for review
    writing.approve(denial.claim, by=create_reviewer())
    assert b"Not true at all" in client.get(fresh(feed)).content


def test_home_keeps_each_block_under_its_feeds_version(client, claims):
    home = reverse("claims:home")
    first, page = queries_for(client, fresh(home))
    again, same = queries_for(client, fresh(home))
    assert first > 1
    assert again == 1  # the page's versions; both blocks came from the cache
    assert re.sub(r"v=\d+", "", same) == re.sub(r"v=\d+", "", page)
    denial = claims["denial"]
    writing.save_edit(
        denial, by=create_editor(), version=writing.desk_version(denial),
        values={"quote": "Not true at all"},
    )  # fmt: skip
    assert "Not true at all" not in client.get(fresh(home)).text  # waiting for review
    writing.approve(denial.claim, by=create_reviewer())
    assert "Not true at all" in client.get(fresh(home)).text


def test_the_verdicts_feed_keeps_its_items_under_its_version(client, claims, settings):
    rss, atom = reverse("claims:verdicts_rss"), reverse("claims:verdicts_atom")
    first, body = queries_for(client, fresh(rss))
    again, same = queries_for(client, fresh(rss))
    assert first > 1 and again == 1  # the page's versions; the items from the cache
    assert queries_for(client, fresh(atom))[0] == 1  # the same items, written as Atom
    settings.READER_FRAGMENTS = False
    assert client.get(fresh(rss)).text == body == same
    settings.READER_FRAGMENTS = True
    edit_text(claims["claim"], "Umerov stayed abroad", approve=True)  # the rated claim's text
    assert "Umerov stayed abroad" in client.get(fresh(rss)).text


def test_actor_and_outlet_pages_keep_what_they_gather(client, claims, settings):
    chain_outlet = claims["claim"].carriages.first().report.outlet
    for url in (
        reverse("claims:actor_detail", args=[claims["denial"].responder.slug]),
        reverse("claims:outlet_detail", args=[chain_outlet.slug]),
    ):
        first, page = queries_for(client, fresh(url))
        again, same = queries_for(client, fresh(url))
        assert again < first, url  # the matches, statements, track record from the cache
        settings.READER_FRAGMENTS = False
        off = client.get(fresh(url)).text
        settings.READER_FRAGMENTS = True
        assert re.sub(r"v=\d+", "", same) == re.sub(r"v=\d+", "", page) == re.sub(r"v=\d+", "", off)
