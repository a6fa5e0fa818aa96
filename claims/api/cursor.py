"""
Cursor pagination over (time, id): each page starts strictly after the last row of the one
before, so rows added while a client walks the list (new denials arrive at the top) never
shift what comes next, and no row is returned twice or skipped. Offsets would do both.

The cursor is opaque to clients: URL-safe base64 of the last row's sort key and the name of
the ordering it belongs to, so a cursor from one list or ordering is refused by another.
"""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, Q, QuerySet


class BadCursor(ValueError):
    """A cursor this server did not hand out (or one for another list)."""


@dataclass(frozen=True)
class Ordering:
    """Rows sorted by `field` (may be null when `nullable`; nulls come last) and then id."""

    name: str  # e.g. "claims-newest"; written into the cursor
    field: str
    descending: bool = True
    nullable: bool = False
    timed: bool = True  # the field holds times (else ids)
    # What the database sorts and compares, when not `field` itself: a copy of it the rows'
    # index holds (an outlet's claims sort by the first sighting its list copies).
    column: str | None = None

    @property
    def sorted_by(self) -> str:
        return self.column or self.field

    def apply(self, queryset: QuerySet) -> QuerySet:
        if not self.nullable:
            # The plain form, which the (field, id) indexes are built in: NULLS LAST on a
            # descending sort would not match them, and the database would sort every row.
            return queryset.order_by(
                *((f"-{self.sorted_by}", "-pk") if self.descending else (self.sorted_by, "pk"))
            )
        if self.descending:
            return queryset.order_by(F(self.sorted_by).desc(nulls_last=True), "-pk")
        return queryset.order_by(F(self.sorted_by).asc(nulls_last=True), "pk")

    def after(self, queryset: QuerySet, value, pk: int) -> QuerySet:
        """Rows with a value that come after the row keyed (value, pk) in this ordering (the
        rows with a null value, which come last, are `nulls_after`'s)."""
        beyond = "lt" if self.descending else "gt"
        if value is None:
            return queryset.none()
        # "≤ value" first: an index on (field, id) can start there instead of at the top.
        reach = "lte" if self.descending else "gte"
        return queryset.filter(
            Q(**{f"{self.sorted_by}__{reach}": value})
            & (Q(**{f"{self.sorted_by}__{beyond}": value}) | Q(**{f"pk__{beyond}": pk}))
        )

    def nulls_after(self, queryset: QuerySet, value, pk: int | None) -> QuerySet:
        """Rows with a null value after the row keyed (value, pk), in id order."""
        nulls = queryset.filter(**{f"{self.sorted_by}__isnull": True})
        if value is None and pk is not None:
            nulls = nulls.filter(**{f"pk__{'lt' if self.descending else 'gt'}": pk})
        return nulls.order_by("-pk" if self.descending else "pk")


def encode(ordering: Ordering, value, pk: int) -> str:
    if isinstance(value, datetime):
        value = {"t": value.isoformat()}
    payload = json.dumps([ordering.name, value, pk], separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode(ordering: Ordering, cursor: str) -> tuple[object, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        name, value, pk = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        if isinstance(value, dict):
            value = datetime.fromisoformat(value["t"])
    except (ValueError, TypeError, KeyError, UnicodeError, binascii.Error):
        raise BadCursor("This cursor is not one the API handed out.") from None
    if name != ordering.name:
        raise BadCursor("This cursor belongs to another list or ordering.")
    if not valid_id(pk) or not ((value is None and ordering.nullable) or _fits(ordering, value)):
        raise BadCursor("This cursor is not one the API handed out.")
    return value, pk


def valid_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63


def _fits(ordering: Ordering, value) -> bool:
    if ordering.timed:
        return isinstance(value, datetime) and value.tzinfo is not None
    return valid_id(value)


def page(
    queryset: QuerySet,
    ordering: Ordering,
    *,
    cursor: str | None,
    size: int,
    rows_by_id: QuerySet | None = None,
) -> tuple[list, str | None]:
    """One page of rows and the cursor of the next (None on the last page). With `rows_by_id`
    the page's ids are found first, then their rows are read from `rows_by_id` (unfiltered):
    sorting an id list (the claims an outlet carried) then reads indexes only, where sorting
    whole rows read each one from the table first."""

    def fetch(ordered: QuerySet, limit: int) -> list:
        if rows_by_id is None:
            return list(ordered[:limit])
        if ordering.column is None:
            # The page's ids as a subquery of the rows' query: one round trip, not two. The
            # rows sort on their own copy of the field, so in the same order.
            page_ids = ordered.values("pk")[:limit]
            return list(ordering.apply(rows_by_id.filter(pk__in=page_ids)))
        ids = list(ordered.values_list("pk", flat=True)[:limit])
        found = rows_by_id.in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]

    if cursor:
        value, pk = decode(ordering, cursor)
        rows = fetch(ordering.apply(ordering.after(queryset, value, pk)), size + 1)
        if ordering.nullable and len(rows) <= size:
            rows += fetch(ordering.nulls_after(queryset, value, pk), size + 1 - len(rows))
    else:
        rows = fetch(ordering.apply(queryset), size + 1)
    if len(rows) <= size:
        return rows, None
    rows = rows[:size]
    last = rows[-1]
    return rows, encode(ordering, getattr(last, ordering.field), last.pk)
