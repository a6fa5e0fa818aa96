"""Reader search in Ukrainian, Russian and English: the query set (tests/search/queries.json)
over its corpus, ranking, and the search terms kept in step with the chain."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.db.models import Case, Value, When
from django.urls import reverse

from claims.models import Carriage, Claim, writing
from claims.search import ranked, search_claims
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
        assert (
            len(ranked(Claim.objects.public(), text))
            == search_claims(Claim.objects.public(), text).count()
        )


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


def _plain_newest(claims, text: str, window: int) -> list[tuple[int, int]]:
    """The newest matches the plain way: every match, newest first."""
    from claims import search

    q = query(text)
    plain = search_claims(claims, text).newest()
    if len(q.alternatives) > 1:
        plain = plain.annotate(exact=Case(When(search._holds(q.phrase), then=0), default=1))
    else:
        plain = plain.annotate(exact=Value(1))
    return list(plain.values_list("pk", "exact")[:window])


@pytest.mark.parametrize("share", [0.0, 0.01, 0.3, 1.0])
@pytest.mark.parametrize("window", [1, 2, 3])
@pytest.mark.parametrize("spread", [1, 11])
def test_cut_searches_find_the_same_newest_matches(corpus, monkeypatch, share, window, spread):
    """On PostgreSQL a common word's matches are read from the newest claims first, in rounds
    of ten-day periods reaching back as far as the statistics and the matches found suggest
    (claims.search._by_periods): whatever the statistics guessed, and with other filters
    narrowing the claims, the window is the newest matches, as the plain order gives."""
    from django.utils import timezone

    from claims import search

    now = timezone.now()
    for n, pk in enumerate(Claim.objects.order_by("-first_seen_at").values_list("pk", flat=True)):
        Claim.objects.filter(pk=pk).update(first_seen_at=now - timedelta(days=spread * n + 1))
    dates = sorted(
        Claim.objects.exclude(first_seen_at=None).values_list("first_seen_at", flat=True)
    )
    stats = search.Statistics(dates=dates, shares={}, rare=share, rows=len(dates) * 4)
    monkeypatch.setattr(search, "RANKED", window)
    monkeypatch.setattr(search, "MARGIN", 1)
    monkeypatch.setattr(search, "FULL_READ", 0)
    monkeypatch.setattr(search, "statistics", lambda claims: stats)
    rounds = []
    within = search.within_periods
    monkeypatch.setattr(search, "within_periods", lambda *a: rounds.append(a) or within(*a))
    for claims in (Claim.objects.public(), Claim.objects.public().filter(language="en")):
        for text in ("Умєров", "фейк", "Офіс президента", "заява", "the"):
            expected = _plain_newest(claims, text, window)
            assert search.newest_matches(claims, query(text)) == expected, text
    if share >= 0.3:  # the cuts were tried (and on SQLite, never needed)
        from django.db import connection

        assert rounds or connection.vendor != "postgresql"


def test_a_claim_dated_far_ahead_is_found_first(corpus, monkeypatch):
    """A claim typed with a date past the periods a cut names is still the newest match."""
    from django.utils import timezone

    from claims import search

    ahead = create_claim(text="Умєров відмовився знову")
    Claim.objects.filter(pk=ahead.pk).update(
        first_seen_at=timezone.now() + timedelta(days=400), approved_at=timezone.now()
    )
    dates = sorted(
        Claim.objects.exclude(first_seen_at=None).values_list("first_seen_at", flat=True)
    )
    stats = search.Statistics(dates=dates, shares={}, rare=1.0, rows=len(dates) * 4)
    monkeypatch.setattr(search, "RANKED", 2)
    monkeypatch.setattr(search, "FULL_READ", 0)
    monkeypatch.setattr(search, "statistics", lambda claims: stats)
    window = search.newest_matches(Claim.objects.public(), query("Умєров"))
    assert window == _plain_newest(Claim.objects.public(), "Умєров", 2)
    assert window[0][0] == ahead.pk


def test_word_shares_come_from_the_statistics(corpus):
    """The rarest word is chosen by the search document's statistics (PostgreSQL)."""
    from django.db import connection

    from claims import search

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's statistics")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")
    search._statistics.clear()
    stats = search.statistics(Claim.objects.all())
    assert stats.rows == Claim.objects.count()
    common = query("Умєров").needed[0]
    assert search.word_share(stats, common) > search.word_share(stats, ("_ніде",)) > 0


def test_cut_dates_come_from_the_statistics(corpus):
    """The dates a search reaches back to come from PostgreSQL's first_seen_at histogram,
    oldest first."""
    from django.db import connection

    from claims import search

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's statistics")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")
    search._statistics.clear()
    dates = search.seen_dates(Claim.objects.all())
    assert len(dates) >= 2 and dates == sorted(dates)
    seen = Claim.objects.exclude(first_seen_at=None).values_list("first_seen_at", flat=True)
    assert dates[0] == min(seen) and dates[-1] == max(seen)


def test_searches_use_the_search_index():
    """The searched expression is the one migration 0019 indexes, word for word: else
    PostgreSQL would read every claim."""
    from django.db import connection

    from claims import search

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's search index")
    create_claim(text="Умєров відмовився повертатися")
    since = Claim.objects.get().first_seen_at
    q = query("Умєрова")
    within = search.within_periods(q, since)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")  # a bitmap scan, or none
    for searched in (search_claims(Claim.objects.all(), "Умєрова"),
                     Claim.objects.filter(search._Matches(within))):  # fmt: skip
        assert searched.count() == 1
        assert "claim_search_idx" in searched.order_by().explain()
    # The periods Python names are the ones the database computed: from the next period on,
    # the claim is not found; a claim never seen is found by the plain search all the same.
    later = search.within_periods(q, since + timedelta(days=11))
    assert not Claim.objects.filter(search._Matches(later)).exists()
    Claim.objects.update(first_seen_at=None)
    assert search_claims(Claim.objects.all(), "Умєрова").count() == 1
