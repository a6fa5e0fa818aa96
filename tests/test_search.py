"""Reader search in Ukrainian, Russian and English: the query set (tests/search/queries.json)
over its corpus, ranking, and the search terms kept in step with the chain."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from claims.models import Carriage, Claim, writing
from claims.search import search_claims
from claims.search_terms import document, keys, query
from tests.factories import (
    create_claim,
    create_editor,
    create_report,
    create_response,
    create_reviewer,
)
from tests.search.corpus import finds, form_figures, load_corpus, queries

QUERIES = queries()


@pytest.fixture
def corpus():
    return load_corpus()


def found(corpus: dict[int, str], text: str) -> set[str]:
    return {
        corpus[pk] for pk in search_claims(Claim.objects.all(), text).values_list("pk", flat=True)
    }


def test_the_query_set_is_large_enough():
    assert len(QUERIES) >= 40
    scripts = {"cyrillic": 0, "latin": 0}
    for item in QUERIES:
        scripts["latin" if item["q"].isascii() else "cyrillic"] += 1
    assert scripts["cyrillic"] >= 30 and scripts["latin"] >= 10


def test_every_query_finds_exactly_its_claims(corpus):
    wrong = {}
    for item in QUERIES:
        got, expected = found(corpus, item["q"]), set(item["expect"])
        if got != expected:
            wrong[item["q"]] = {"missing": expected - got, "extra": got - expected}
    assert not wrong


def test_names_are_never_mangled():
    # pymorphy3 reads Russian "Умеров" as a form of "умер"; the word itself stays a term.
    assert " умеров " in document(["Умеров отказался"])
    assert "_умер" not in query("Умер").alternatives[0]
    assert keys("Мінекономіки") == ("_мінекономіки",)


def test_inflected_forms_meet_their_base_forms():
    """The lemmatiser on forms.json (written before measuring): an inflected form is found by
    its base form; some different words share a reading (рада, банка are real homographs)."""
    figures = form_figures()
    assert figures["same"] / figures["same_total"] >= 0.95, figures["missed"]
    for held, typed in [
        ("умер", "Умеров"),
        ("умер", "Умєров"),
        ("Умеров", "умер"),
        ("фея", "фейк"),
    ]:
        assert not finds(held, typed), (held, typed)


def test_exact_phrase_first_then_newest(client, corpus):
    # Both hold "Офіс президента" in some form; u12 word for word, u1 as "Офісі президента".
    url = reverse("claims:claim_list")
    page = client.get(url, {"q": "Офіс президента"}).content.decode()
    assert page.index("Офіс президента готує заміну уряду") < page.index(
        "Умєров відмовився повертатися в Україну"
    )
    # Sorted by date when asked.
    page = client.get(url, {"q": "Офіс президента", "sort": "oldest"}).content.decode()
    assert page.index("Офіс президента готує") < page.index("Зеленський звільнив")


def test_search_page_finds_cyrillic_in_any_case(client, corpus):
    response = client.get(reverse("claims:claim_list"), {"q": "УМЄРОВА"})
    assert response.status_code == HTTPStatus.OK
    assert "Умєров відмовився повертатися в Україну" in response.content.decode()


def test_search_terms_follow_the_chain():
    """Through the write path: what readers search is what approval made public."""
    claim = create_claim(text="Умєров відмовився повертатися в Україну")
    editor, reviewer = create_editor(), create_reviewer()
    assert not search_claims(Claim.objects.all(), "фейком").exists()
    response = create_response(claim=claim, quote="Це фейк")
    assert search_claims(Claim.objects.all(), "фейком").get() == claim
    writing.save_edit(response, by=editor, version=response.version, values={"quote": "Неправда"})
    assert search_claims(Claim.objects.all(), "фейком").get() == claim  # pending review
    writing.approve(claim, by=reviewer)
    assert not search_claims(Claim.objects.all(), "фейком").exists()
    report = create_report(title="Офіс президента спростував")
    writing.create(Carriage, by=editor, values={"claim": claim, "report": report})
    assert not search_claims(Claim.objects.all(), "Офісі президента").exists()
    writing.approve(claim, by=reviewer)
    assert search_claims(Claim.objects.all(), "Офісі президента").get() == claim
    report.refresh_from_db()
    writing.save_edit(report, by=editor, version=report.version, values={"title": "Інша назва"})
    writing.approve(claim, by=reviewer)
    assert not search_claims(Claim.objects.all(), "Офісі").exists()


def test_bad_queries_are_harmless(corpus):
    for text in ["", "   ", "'", "’’’", "&|!():*", "\\'", "a' | 'b", "_фейк", "|"]:
        list(search_claims(Claim.objects.all(), text))


def test_sqlite_index_heals_after_a_table_rebuild():
    """A migration that rebuilds the claims table drops its triggers: the next migrate's
    post_migrate puts the index back, filled (SQLite only)."""
    from django.db import connection

    from claims.search import ensure_sqlite_index

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's full-text index")
    claim = create_claim(text="Умєров відмовився")
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER claim_search_insert")
        cursor.execute("DROP TABLE claim_search")
    ensure_sqlite_index()
    assert search_claims(Claim.objects.all(), "Умєрова").get() == claim
    later = create_claim(text="Зеленський звільнив")
    assert search_claims(Claim.objects.all(), "Зеленського").get() == later
    later.delete()
    assert not search_claims(Claim.objects.all(), "Зеленського").exists()


@pytest.mark.parametrize("share", [0.0, 1.0])
def test_rare_and_common_words_come_newest_first_either_way(corpus, monkeypatch, share):
    """PostgreSQL sorts the matches of a rare word and walks the newest claims for a common
    one (claims.search.newest): both give the same order."""
    from claims import search

    monkeypatch.setattr(search, "match_share", lambda claims, q: (share, 1_000_000))
    for text in ("Умєров", "фейк", "Офіс президента"):
        searched = search_claims(Claim.objects.public(), text)
        expected = list(searched.newest().values_list("pk", flat=True))
        assert expected, text
        assert list(search.newest(searched, query(text)).values_list("pk", flat=True)) == expected
