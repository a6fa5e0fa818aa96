"""
Integer lookups that treat a number no column can hold as matching nothing.

Django already does so for `exact`, `gt` and the like on integer fields. `in`, and lookups
through a foreign key (`report=…`, `report__in=…`), pass the number on to the database, where
SQLite raises OverflowError and PostgreSQL an out-of-range error: a 500 for an id typed into
an admin filter or posted to an admin form. Our own forms and URLs refuse such ids before any
query (claims/ids.py); this is the floor under everything else, the admin included.
"""

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignKey, IntegerField
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn
from django.db.models.lookups import In


def integer_column(lookup) -> IntegerField | None:
    """The integer field whose values the lookup compares (a foreign key's target's)."""
    field = lookup.lhs.output_field
    if isinstance(field, ForeignKey):
        field = field.target_field
    return field if isinstance(field, IntegerField) else None


def out_of_range(value, field: IntegerField, connection) -> bool:
    if not isinstance(value, int) or isinstance(value, bool):
        return False
    low, high = connection.ops.integer_field_range(field.get_internal_type())
    return (low is not None and value < low) or (high is not None and value > high)


class InRangeOnly:
    """`in`: numbers out of the column's range are dropped (none left: nothing matches)."""

    def process_rhs(self, compiler, connection):
        field = integer_column(self)
        if field is not None and self.rhs_is_direct_value():
            self.rhs = [value for value in self.rhs if not out_of_range(value, field, connection)]
        return super().process_rhs(compiler, connection)


@IntegerField.register_lookup
class IntegerIn(InRangeOnly, In):
    pass


@ForeignKey.register_lookup
class ForeignKeyIn(InRangeOnly, RelatedIn):
    pass


@ForeignKey.register_lookup
class ForeignKeyExact(RelatedExact):
    def process_rhs(self, compiler, connection):
        field = integer_column(self)
        if field is not None and out_of_range(self.rhs, field, connection):
            raise EmptyResultSet
        return super().process_rhs(compiler, connection)
