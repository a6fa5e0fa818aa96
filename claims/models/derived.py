"""
What the reader's lists filter and search on, stored on each claim and kept in step with its
chain.

A claim's official position (from its approved responses), the rating of its published verdict
and its search terms (the words of the claim's text, its approved responses' quotes and the
titles of the reports that carry it in approved carriages, normalised in Python by
claims/search_terms.py; on PostgreSQL also indexed as a tsvector, the search document) are
derived data, from approved rows only (see models/writing.py). Deriving them per request costs
hundreds of milliseconds at a million claims: every filter becomes a join over millions of
responses, verdicts or carriages. So they are stored on Claim, indexed, and recomputed from the
chain inside the transaction that changed what readers see (an approval, a verdict's workflow):
`refresh(claim_ids)` (one UPDATE for the position and rating; the search terms are computed in
Python, `store_search_terms`; so are the response times, models/timings.py, and each outlet's
list of public claims, models/outlet_claims.py). Nobody types
them in; `stale()` lists any claim whose stored position or rating differ from what its chain
says.
"""

from collections.abc import Callable, Iterable

from django.contrib.postgres.search import SearchVectorField
from django.db import connection, models, transaction
from django.db.models import Case, Exists, F, Func, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce

from claims import search_terms

from . import timings

# Claims per UPDATE when refreshing a whole table (after a bulk load or a migration).
BATCH = 20_000


def position_expression() -> Case:
    """The official position, from the claim's current responses (see OfficialPosition)."""
    from .claims import OfficialPosition
    from .responses import CONFIRMING_STANCES, DENYING_STANCES, Response

    responses = Response.objects.approved().filter(claim=OuterRef("pk"))
    denied = Exists(responses.filter(stance__in=DENYING_STANCES))
    confirmed = Exists(responses.filter(stance__in=CONFIRMING_STANCES))
    return Case(
        When(denied & confirmed, then=Value(OfficialPosition.MIXED.value)),
        When(denied, then=Value(OfficialPosition.DENIED.value)),
        When(confirmed, then=Value(OfficialPosition.CONFIRMED.value)),
        default=Value(OfficialPosition.NO_RESPONSE.value),
        output_field=models.CharField(),
    )


def rating_expression() -> Coalesce:
    """The published verdict's rating, or "" (a claim has at most one live verdict)."""
    from .verdicts import Verdict

    published = Verdict.objects.filter(state="published", claim=OuterRef("pk")).values("rating")[:1]
    return Coalesce(Subquery(published), Value(""), output_field=models.CharField())


def search_terms_for(claim_ids: Iterable[int]) -> dict[int, str]:
    """Each claim's search terms, from its text, its approved responses' quotes and the titles
    of the reports its approved carriages are in (what readers see)."""
    from .claims import Carriage, Claim
    from .responses import Response

    ids = list(claim_ids)
    texts = {pk: [text] for pk, text in Claim.objects.filter(pk__in=ids).values_list("pk", "text")}
    quotes = Response.objects.approved().filter(claim_id__in=ids).exclude(quote="")
    titles = Carriage.objects.approved().filter(claim_id__in=ids)
    for claim_id, quote in quotes.order_by("pk").values_list("claim_id", "quote"):
        texts[claim_id].append(quote)
    for claim_id, title in titles.order_by("pk").values_list("claim_id", "report__title"):
        texts[claim_id].append(title)
    return {pk: search_terms.document(parts) for pk, parts in texts.items()}


def search_document_expression() -> Func:
    """The stored search terms' tokens, taken verbatim as a tsvector (PostgreSQL)."""
    tokens = Func(
        Func(Func(F("search_terms"), function="btrim"), Value(" "), function="string_to_array"),
        Value(search_terms.FIELD_BREAK),
        function="array_remove",
    )
    return Func(tokens, function="array_to_tsvector", output_field=SearchVectorField())


def store_search_terms(claim_ids: Iterable[int]) -> None:
    """Write the claims' search terms (and, on PostgreSQL, their search document)."""
    from .claims import Claim

    found = search_terms_for(claim_ids)
    rows = [Claim(pk=pk, search_terms=terms) for pk, terms in found.items()]
    Claim.objects.bulk_update(rows, ["search_terms"], batch_size=1000)
    if connection.vendor == "postgresql" and found:
        Claim.objects.filter(pk__in=list(found)).update(
            search_document=search_document_expression()
        )


def derived_values() -> dict:
    return {"official_position": position_expression(), "published_rating": rating_expression()}


def refresh(claim_ids: Iterable[int]) -> None:
    """Recompute the stored values of these claims from their chains.

    Call it inside the transaction that changed the chain. The claims' rows are locked first
    (in id order, so two writers cannot deadlock): a concurrent writer to the same claim waits
    for this transaction, and its own UPDATE then sees this one's rows (on PostgreSQL each
    statement reads what was committed when it starts)."""
    from . import outlet_claims
    from .claims import Claim

    ids = sorted({pk for pk in claim_ids if pk is not None})
    if not ids:
        return
    with transaction.atomic():
        list(Claim.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))
        Claim.objects.filter(pk__in=ids).update(**derived_values())
        store_search_terms(ids)
        timings.store(ids)
        outlet_claims.store(ids)


DERIVED_FIELDS = ["official_position", "published_rating"]


def refresh_for(obj: models.Model) -> None:
    """After writing a claim, or a response, carriage, verdict or report, outside the write
    path (a bulk load, a test's factory), refresh the claims it feeds; a claim object already
    loaded alongside gets the new values too."""
    name = obj._meta.model_name
    if name == "claim":
        claim_ids, loaded = [obj.pk], obj
    elif name == "report":
        claim_ids, loaded = list(obj.carriages.values_list("claim_id", flat=True)), None
    elif hasattr(obj, "claim_id"):
        claim_ids = [obj.claim_id]
        loaded = obj.claim if obj._meta.get_field("claim").is_cached(obj) else None
    else:  # an actor, an outlet…: nothing derived depends on them
        return
    refresh(claim_ids)
    if loaded is not None and loaded.pk is not None:
        fresh = type(loaded).objects.filter(pk=loaded.pk).values(*DERIVED_FIELDS).first()
        for field, value in (fresh or {}).items():
            setattr(loaded, field, value)


def refresh_all(progress: Callable[[int, int], None] | None = None) -> int:
    """Recompute every claim, in batches of id ranges (after a bulk load). Returns the count."""
    from . import outlet_claims
    from .claims import Claim

    bounds = Claim.objects.aggregate(low=models.Min("pk"), high=models.Max("pk"))
    if bounds["low"] is None:
        return 0
    done = 0
    for start in range(bounds["low"], bounds["high"] + 1, BATCH):
        with transaction.atomic():
            batch = Claim.objects.filter(pk__gte=start, pk__lt=start + BATCH)
            done += batch.update(**derived_values())
            store_search_terms(batch.values_list("pk", flat=True))
            timings.store(batch.values_list("pk", flat=True))
            outlet_claims.store_all(start, start + BATCH)
        if progress:
            progress(done, bounds["high"] - bounds["low"] + 1)
    return done


def stale():
    """Claims whose stored position or rating differ from what their chain says."""
    from .claims import Claim

    return Claim.objects.alias(
        derived_position=position_expression(), derived_rating=rating_expression()
    ).exclude(
        official_position=models.F("derived_position"),
        published_rating=models.F("derived_rating"),
    )
