"""
Row ids from outside (a form, a query string, a URL), checked as ids before any query sees them.

Every primary key is a positive integer that fits a signed 64-bit column on both databases.
Anything else (twenty digits, a minus sign, a letter) cannot name a row of ours, so it is bad
input: a form error, or a 404 for a URL. Passed on to the database instead, an `IN (...)` or a
foreign-key filter raises OverflowError on SQLite and an out-of-range error on PostgreSQL.
"""

from django import forms
from django.core.exceptions import ValidationError

MAX_BIGINT = 2**63 - 1  # the largest integer either database stores


def as_id(value) -> int | None:
    """`value` as a row id, or None if it cannot be one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        # ASCII digits only: int() also reads "١٢" and "1_000", which no id of ours is typed as.
        if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_BIGINT)):
            return None
        number = int(text)
    return number if 1 <= number <= MAX_BIGINT else None


class BoundedIntegerField(forms.IntegerField):
    """A positive whole number in ASCII digits that fits the database: an id, a version."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_BIGINT)
        super().__init__(**kwargs)

    def to_python(self, value):
        text = str(value).strip() if value not in self.empty_values else ""
        if text and not (text.isascii() and text.removeprefix("-").isdigit()):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class IdChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that refuses a value which cannot be an id before looking it up."""

    def to_python(self, value):
        if (
            value not in self.empty_values
            and not isinstance(value, self.queryset.model)
            and self.to_field_name is None
            and as_id(value) is None
        ):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """The same check for each of several ids."""

    def _check_values(self, value):
        if self.to_field_name is None:
            for pk in value:
                if not isinstance(pk, self.queryset.model) and as_id(pk) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super()._check_values(value)


class IdConverter:
    """`<id:pk>` in a URL: an id as above, so a path with any other number is a 404."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = as_id(value)
        if number is None:
            raise ValueError(value)  # the resolver reads ValueError as "no match"
        return number

    def to_url(self, value) -> str:
        return str(value)
