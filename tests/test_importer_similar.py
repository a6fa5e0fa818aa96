"""Similar claims: sentence vectors plus pg_trgm on PostgreSQL or word-stem overlap on SQLite
(claims not yet encoded by the worker are encoded on the fly); same answers on both."""

from django.utils import timezone

from claims.importer.similar import similar_claims, token_overlap
from tests.factories import create_claim


def test_similar_claims_rank_the_closest_first_and_skip_unrelated_ones():
    closest = create_claim(text="Umerov refuses to return to Ukraine")
    related = create_claim(text="Umerov stays abroad and will not return to Ukraine soon")
    create_claim(text="Bread prices rose in Lviv in October")
    found = similar_claims("Umerov refused to return to Ukraine", threshold=0.3)
    assert found[0] == closest
    assert related in found
    assert all(claim.text != "Bread prices rose in Lviv in October" for claim in found)
    assert 0 < found[-1].similarity <= found[0].similarity <= 1
    # At the suggestion threshold only the same claim is left.
    assert similar_claims("Umerov refused to return to Ukraine") == [closest]


def test_withdrawn_claims_and_empty_text_are_left_out():
    create_claim(
        text="Umerov refused to return to Ukraine",
        withdrawn_at=timezone.now(),
        withdrawn_reason="duplicate",
    )
    assert similar_claims("Umerov refused to return to Ukraine") == []
    assert similar_claims("   ") == []


def test_cyrillic_claims_are_compared_too():
    claim = create_claim(text="Умєров відмовився повертатися в Україну")
    assert similar_claims("Умєров відмовився повернутися в Україну")[0] == claim


def test_token_overlap_fallback():
    assert token_overlap("Umerov refused to return", "Umerov refuses to return") == 1.0
    assert token_overlap("a b", "") == 0.0
